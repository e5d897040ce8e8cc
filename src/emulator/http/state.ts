/**
 * The emulator's shared state, what every route handler reaches as `ctx.emu`: the store, the
 * origin it serves, the Host values it answers, the start options the routes read, and its timers.
 */
import type {Store} from '../store/store.js'

/** The start options the routes read (server/server.ts's EmulatorOptions has them all). */
export interface StateOptions {
  autoApprove?: boolean
  autoApproveMs?: number
  /** --invent-fields: a write may create custom objects and fields it names (else INVALID_FIELD / INVALID_TYPE) */
  inventFields?: boolean
  dataActionTargetMs?: number
  log?: (line: string, kind: 'error' | 'request') => void
}

export class EmulatorState {
  readonly options: StateOptions
  origin = ''
  /** `host:port` values of the Host header that are answered (see allowedHosts in server/server.ts) */
  hosts = new Set<string>()
  readonly store: Store
  private closed = false
  private readonly timers = new Set<NodeJS.Timeout>()

  constructor(store: Store, options: StateOptions) {
    this.store = store
    this.options = options
  }

  get autoApproveMs(): number {
    return this.options.autoApproveMs ?? 1000
  }

  get dataActionTargetMs(): number {
    return this.options.dataActionTargetMs ?? 1500
  }

  log(line: string, kind: 'error' | 'request' = 'error'): void {
    this.options.log?.(line, kind)
  }

  /** Runs `task` after `ms` unless the emulator closes first; failures are logged, never thrown. */
  schedule(ms: number, task: () => Promise<void> | void): void {
    if (this.closed) return
    const timer = setTimeout(async () => {
      this.timers.delete(timer)
      if (this.closed) return
      try {
        await task()
      } catch (error) {
        this.log(`background task failed: ${(error as Error).message}`)
      }
    }, ms)
    this.timers.add(timer)
  }

  stopTimers(): void {
    this.closed = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }
}
