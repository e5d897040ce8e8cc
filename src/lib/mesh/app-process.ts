/**
 * The app's process, as the production mesh runs it (the rest of its command line, a child) but so
 * that nothing outlives the mesh (docs/mesh.md, "Processes"):
 * - the app runs in a session and process group of its own, so a signal reaches the whole of it
 *   (`npm start` and the node it starts) and never a stranger;
 * - a watchdog (`/bin/sh`, a few kilobytes) holds the read end of a pipe from the mesh: when the
 *   mesh is gone for any reason (kill -9 included) the pipe closes and the watchdog sends SIGTERM to
 *   the app's group, then SIGKILL after 5 s. A clean stop tells it `done` first;
 * - when the app's own process exits (or is killed), the rest of its group is stopped the same way.
 * On Windows there are no process groups: the child is stopped by its pid.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {readSync} from 'node:fs'
import {connect} from 'node:net'

const POSIX = process.platform !== 'win32'
const GRACE_SECONDS = 5

/** The watchdog's script: `$1` is the app's process group. */
const WATCHDOG = `trap '' INT TERM HUP
read pgid || exit 0
read word
[ "$word" = done ] && exit 0
kill -TERM -"$pgid" 2>/dev/null || exit 0
n=0
while kill -0 -"$pgid" 2>/dev/null; do
  n=$((n+1))
  [ $n -ge ${GRACE_SECONDS * 10} ] && { kill -KILL -"$pgid" 2>/dev/null; exit 0; }
  sleep 0.1
done`

export interface AppExit {
  code: null | number
  signal: NodeJS.Signals | null
}

export interface AppProcess {
  /** resolves when the app's own process has exited (its group is then being stopped) */
  exited: Promise<AppExit>
  /** resolves with the spawn error (ENOENT, EACCES) when the command could not start */
  failed: Promise<NodeJS.ErrnoException>
  pid?: number
  /** true while the app's own process runs */
  running(): boolean
  /**
   * Synchronously: sends `signal` to the app's group, waits up to 5 s for the whole group to be
   * gone (blocking: the heroku CLI exits the process right after a signal handler), then SIGKILL;
   * and releases the watchdog.
   */
  stopNow(signal: NodeJS.Signals): void
}

export interface StartAppOptions {
  args: string[]
  command: string
  cwd: string
  env: NodeJS.ProcessEnv
  /** receives the app's output when it is piped (else the app writes to the mesh's own stdout and stderr) */
  output?: {err(chunk: Buffer): void; out(chunk: Buffer): void}
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(POSIX ? -pid : pid, signal)
  } catch {}
}

export function startApp(options: StartAppOptions): AppProcess {
  // the watchdog first: it is waiting before the app exists, and learns its group on the pipe
  const watchdog: ChildProcess | undefined = POSIX ? spawn('/bin/sh', ['-c', WATCHDOG], {detached: true, stdio: ['pipe', 'ignore', 'ignore']}) : undefined
  watchdog?.on('error', () => {})
  watchdog?.stdin?.on('error', () => {})
  watchdog?.unref()
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    detached: POSIX,
    env: options.env,
    stdio: ['ignore', options.output ? 'pipe' : 'inherit', options.output ? 'pipe' : 'inherit'],
  })
  if (child.pid !== undefined) watchdog?.stdin?.write(`${child.pid}\n`)
  // the pipe must not keep the mesh alive, nor close before the mesh does
  ;(watchdog?.stdin as unknown as {unref?: () => void} | undefined)?.unref?.()
  let alive = child.pid !== undefined
  let released = false
  const release = () => {
    if (released) return
    released = true
    try {
      watchdog?.stdin?.write('done\n')
    } catch {}
  }

  if (options.output) {
    child.stdout?.on('data', (c: Buffer) => options.output?.out(c))
    child.stderr?.on('data', (c: Buffer) => options.output?.err(c))
  }

  const failed = new Promise<NodeJS.ErrnoException>(resolve => {
    child.once('error', error => {
      alive = false
      release()
      resolve(error as NodeJS.ErrnoException)
    })
  })
  const exited = new Promise<AppExit>(resolve => {
    child.once('exit', (code, signal) => {
      alive = false
      // what the app started stays in its group: stop it, then let the watchdog go
      const pid = child.pid as number
      if (POSIX && groupAlive(pid)) {
        signalGroup(pid, 'SIGTERM')
        const started = Date.now()
        const timer = setInterval(() => {
          if (!groupAlive(pid)) {
            clearInterval(timer)
            release()
          } else if (Date.now() - started > GRACE_SECONDS * 1000) {
            clearInterval(timer)
            signalGroup(pid, 'SIGKILL')
            release()
          }
        }, 50)
        timer.unref()
      } else {
        release()
      }

      resolve({code, signal})
    })
  })

  return {
    exited,
    failed,
    pid: child.pid,
    running: () => alive,
    stopNow(signal) {
      const pid = child.pid
      if (pid === undefined) return
      if (!POSIX) {
        if (alive) child.kill(signal)
        return
      }

      if (!groupAlive(pid)) {
        release()
        return
      }

      signalGroup(pid, signal)
      // blocking wait: nothing asynchronous runs after a signal under the heroku CLI
      spawnSync('/bin/sh', ['-c', `n=0; while kill -0 -${pid} 2>/dev/null && [ $n -lt ${GRACE_SECONDS * 20} ]; do n=$((n+1)); sleep 0.05; done`], {stdio: 'ignore'})
      if (groupAlive(pid)) signalGroup(pid, 'SIGKILL')
      release()
      // what the app wrote while it stopped is still in the pipes: hand it on before the process exits
      if (options.output) {
        drainSync(child.stdout, c => options.output?.out(c))
        drainSync(child.stderr, c => options.output?.err(c))
      }
    },
  }
}

/** Reads what is left in a child's pipe without waiting (its writers are gone). */
function drainSync(stream: unknown, onChunk: (chunk: Buffer) => void): void {
  const fd = (stream as {_handle?: {fd?: number}} | null)?._handle?.fd
  if (typeof fd !== 'number' || fd < 0) return
  const buffer = Buffer.alloc(65_536)
  for (let i = 0; i < 64; i++) {
    let n = 0
    try {
      n = readSync(fd, buffer, 0, buffer.length, null)
    } catch {
      return
    }

    if (n <= 0) return
    onChunk(Buffer.from(buffer.subarray(0, n)))
  }
}

/** Resolves true once something accepts connections on host:port, false when `stop()` says to give up. */
export async function waitListening(host: string, port: number, stop: () => boolean, intervalMs = 20): Promise<boolean> {
  while (!stop()) {
    if (await accepts(host, port)) return true
    await new Promise(resolve => {
      setTimeout(resolve, intervalMs)
    })
  }

  return false
}

/** One TCP connect: true when it is accepted. */
export function accepts(host: string, port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect({host, port})
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => {
      socket.destroy()
      resolve(false)
    })
  })
}
