/**
 * The data directory's lock file (`emulator.lock`, holding the pid of the emulator using the
 * directory), so that a second emulator stays off it; `applink:emulator --stop` reads it too.
 */
import {randomBytes} from 'node:crypto'
import {linkSync, readFileSync, unlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

export const LOCK_FILE = 'emulator.lock'

/** A problem with the data directory that stops the emulator from starting; shown as is. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StoreError'
  }
}

/** True while process `pid` runs (also when it is another user's). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readPid(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * Takes the data directory's lock file, or says which process holds it. The file is created whole
 * (written aside, then hard-linked into place, which fails if it exists), so a reader never sees it
 * empty; a lock whose pid is gone is taken over.
 */
export function takeLock(dir: string): string {
  const path = join(dir, LOCK_FILE)
  const mine = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`
  writeFileSync(mine, `${process.pid}\n`)
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, path)
        return path
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }

      const text = readPid(path)
      const pid = Number.parseInt(text ?? '', 10)
      if (Number.isInteger(pid) && pid > 0 && pidAlive(pid)) {
        throw new StoreError(`Another emulator (pid ${pid}) is already using ${dir}. Stop it first, or give this one another --data-dir.`)
      }

      // a stale lock from a process that died: take it over, unless it changed meanwhile
      if (readPid(path) === text) {
        try {
          unlinkSync(path)
        } catch {}
      }
    }
  } finally {
    unlinkSync(mine)
  }

  throw new StoreError(`Could not take the lock file ${path}.`)
}
