/**
 * `applink:mesh` from start to end: listen on the mesh's port (one clear error when it is taken),
 * check that nothing holds the app's port yet, write the start-up lines, start the app with
 * `APP_PORT` set, say when it listens, and end when it ends: exit 0 when it exits 0 after it
 * listened, 1 otherwise (an app that exits before it listens is one clear error). Ctrl-C and
 * SIGTERM go to the app's whole process group (`stopNow`, called by the command's interrupt handler).
 */
import type {Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {AppLinkError, ExitCode} from '../api/errors.js'
import type {IO} from '../ui/io.js'
import {accepts, type AppExit, type AppProcess, startApp, waitListening} from './app-process.js'
import {type AppLinkEndpoint, Authenticator} from './authenticate.js'
import {appHostname, loadMeshConfig, type MeshFileConfig, parseGoBool, type Ports, resolvePorts} from './config.js'
import {levelOf, MeshLog} from './log.js'
import {LogStore, type LogStoreTarget} from './log-store.js'
import {createMeshServer} from './proxy.js'

export interface MeshSettings {
  appHost: string
  bypassAll: boolean
  /** the env value when it is set but not a Go boolean (a warning at start) */
  bypassAllInvalid?: string
  file: MeshFileConfig
  ports: Ports
}

/** Everything decided before any request: the YAML file, the ports, the switches (input errors exit 2). */
export async function meshSettings(flags: {appPort?: number; config?: string; port?: number}, env: NodeJS.ProcessEnv, cwd: string): Promise<MeshSettings> {
  const file = await loadMeshConfig(flags.config, cwd)
  const ports = resolvePorts(flags, env, file)
  const raw = env.HEROKU_APPLINK_SERVICE_MESH_BYPASS_ALL_ROUTES
  const bypass = parseGoBool(raw)
  return {appHost: appHostname(file), bypassAll: bypass === true, bypassAllInvalid: raw !== undefined && raw !== '' && bypass === undefined ? raw : undefined, file, ports}
}

export interface MeshRun {
  appPort: number
  /** resolves with the exit code once the app has ended (or the mesh could not serve) */
  done: Promise<number>
  port: number
  /** resolves when the app accepts connections on its port */
  ready: Promise<void>
  /** synchronously: the signal to the app's group, the wait, the server closed (the interrupt handler) */
  stopNow(signal: NodeJS.Signals): void
}

export interface MeshRunOptions {
  applink: AppLinkEndpoint
  /** the command line of the app: its program and arguments */
  command: string[]
  cwd: string
  env: NodeJS.ProcessEnv
  /** variables the app gets beside the environment (the add-on's config vars read from the app) */
  extraEnv?: Record<string, string>
  /** where the mesh listens: 127.0.0.1 unless told */
  host?: string
  io: IO
  logStore?: LogStoreTarget
  settings: MeshSettings
  version: string
}

const GO_SIGNALS: Partial<Record<NodeJS.Signals, string>> = {SIGABRT: 'aborted', SIGHUP: 'hangup', SIGINT: 'interrupt', SIGKILL: 'killed', SIGQUIT: 'quit', SIGSEGV: 'segmentation fault', SIGTERM: 'terminated'}

/** The exit as Go's `exec` error words it: `exit status 1`, `signal: killed`. */
export function goExitText(exit: AppExit): string {
  return exit.signal ? `signal: ${GO_SIGNALS[exit.signal] ?? exit.signal}` : `exit status ${exit.code}`
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

async function freePort(host: string): Promise<number> {
  const {createServer} = await import('node:net')
  const probe = createServer()
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject)
    probe.listen(0, host, () => resolve())
  })
  const {port} = probe.address() as AddressInfo
  await new Promise(resolve => {
    probe.close(resolve)
  })
  return port
}

export async function startMesh(options: MeshRunOptions): Promise<MeshRun> {
  const {io, settings} = options
  const host = options.host ?? '127.0.0.1'
  const [program, ...args] = options.command
  const store = options.logStore ? new LogStore(options.logStore, text => io.warn(text)) : undefined
  const log = new MeshLog({app: options.env.HEROKU_APP_NAME || 'local', level: levelOf(options.env.GO_LOG), onLine: store ? line => store.add(line) : undefined, writer: io})
  // --app-port 0: a free port, chosen now, for the app and the proxy
  const appPort = settings.ports.appPort === 0 ? await freePort(settings.appHost) : settings.ports.appPort
  const server = createMeshServer({
    appHost: settings.appHost,
    appPort,
    auth: new Authenticator(options.applink),
    bypassAll: settings.bypassAll,
    bypassRoutes: settings.file.bypassRoutes,
    healthcheck: settings.file.healthcheck,
    log,
  })
  let port: number
  try {
    port = await listen(server, host, settings.ports.port)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const from = settings.ports.port === Number(options.env.PORT) ? ' ($PORT)' : ''
    throw new AppLinkError(code === 'EADDRINUSE'
      ? `Port ${settings.ports.port}${from} is already in use, so the mesh cannot listen there; the app was not started.`
      : `The mesh cannot listen on ${host}:${settings.ports.port}: ${(error as Error).message}; the app was not started.`, {
      hints: ['Stop what listens there, or give the mesh another port with --port PORT (else $PORT, else 8070).'],
      id: 'port_in_use',
    })
  }

  const closeServer = () => {
    server.closeAllConnections()
    server.close()
  }

  if (await accepts(settings.appHost, appPort)) {
    closeServer()
    throw new AppLinkError(`Something already listens on port ${appPort} (${settings.ports.appPortFrom}), where the app must listen: the mesh would forward to it. The app was not started.`, {
      hints: ['Stop what listens there, or run the app on another port with --app-port PORT (else $APP_PORT, else 3000).'],
      id: 'port_in_use',
    })
  }

  if (settings.bypassAllInvalid !== undefined) log.warn(`HEROKU_APPLINK_SERVICE_MESH_BYPASS_ALL_ROUTES=${settings.bypassAllInvalid} is not a boolean (true, false, 1, 0, t, f): routes are validated`)
  log.info('environment', undefined, [['node_version', process.version], ['os', process.platform], ['arch', process.arch], ['http_port', port], ['version', options.version], ['environment', options.env.ENVIRONMENT || 'local'], ['app_port', appPort]])
  if (settings.file.bypassRoutes.length > 0) log.warn(`Authentication bypass routes: ${settings.file.bypassRoutes.join(', ')}`)
  if (settings.bypassAll) log.warn('Bypassing authentication and validation for ALL routes')
  log.info('router running', undefined, [['port', port]])
  const lines = {err: '', out: ''}
  const pass = (stream: 'err' | 'out', chunk: Buffer) => {
    const text = chunk.toString('utf8')
    io[stream](text)
    if (!store) return
    const all = lines[stream] + text
    const parts = all.split('\n')
    lines[stream] = parts.pop() ?? ''
    for (const line of parts) store.add(line.replace(/\r$/, ''))
  }

  const app: AppProcess = startApp({
    args,
    command: program,
    cwd: options.cwd,
    env: {...options.extraEnv, ...options.env, APP_PORT: String(appPort)},
    output: store ? {err: c => pass('err', c), out: c => pass('out', c)} : undefined,
  })
  const failed = await Promise.race([app.failed, new Promise<undefined>(resolve => {
    setImmediate(() => resolve(undefined))
  })])
  if (failed) {
    closeServer()
    throw new AppLinkError(`Cannot run ${program}: ${failed.code === 'ENOENT' ? 'no such command (ENOENT)' : failed.message}.`, {
      exitCode: ExitCode.INVALID_INPUT,
      hints: ['Give the app\'s command after the mesh\'s flags, e.g. heroku applink:mesh -- npm start (the command is run as it is, without a shell).'],
      id: 'app_not_started',
    })
  }

  let stopping = false
  let listened = false
  const slow = setTimeout(() => {
    if (!listened && app.running()) log.warn(`The app has not listened on port ${appPort} for 30 s: it must listen on APP_PORT (${appPort}), not on PORT (${port})`)
  }, 30_000)
  slow.unref()
  const ready = waitListening(settings.appHost, appPort, () => !app.running() || stopping).then(ok => {
    if (!ok) return
    listened = true
    clearTimeout(slow)
    log.info('App listening, forwarding requests', undefined, [['app_port', appPort], ['port', port]])
  })
  const done = (async () => {
    const exit = await app.exited
    clearTimeout(slow)
    closeServer()
    for (const stream of ['out', 'err'] as const) if (lines[stream]) store?.add(lines[stream])
    await store?.flush()
    if (stopping) return ExitCode.INTERRUPTED
    if (!listened) {
      throw new AppLinkError(`The app exited (${goExitText(exit)}) before it listened on port ${appPort}: ${options.command.join(' ')}`, {
        hints: [`Its own output is above. The app must keep running and listen on APP_PORT (${appPort}), not on PORT (${port}, the mesh's).`],
        id: 'app_exited',
      })
    }

    if (exit.code === 0) return 0
    log.plain('out', `Error executing command: ${goExitText(exit)}`)
    return ExitCode.FAILED
  })()
  return {
    appPort,
    done,
    port,
    ready: ready.then(() => {}),
    stopNow(signal) {
      stopping = true
      app.stopNow(signal)
      closeServer()
    },
  }
}
