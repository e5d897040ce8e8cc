/**
 * The copy of the mesh's lines to the emulator's log store (`heroku logs -a APP` against the
 * emulator), as the emulator's extension route takes them: `POST
 * {HEROKU_HOST}/__emulator/apps/{app}/log-lines` with the emulator's API key, body `{"lines":
 * [{source: "app", dyno: "web.1", message, time}]}`, at most every 200 ms and 500 lines a call.
 * Only when HEROKU_HOST is on this machine and the app is known. A failed post drops its lines; the
 * first failure is one warning, later ones are silent; neither the app nor the proxy waits for it.
 */
import {request} from 'node:http'

const FLUSH_MS = 200
const MAX_LINES = 500

export interface LogStoreTarget {
  apiKey: string
  app: string
  /** HEROKU_HOST, an http:// URL on this machine */
  host: string
}

/** ISO time with microseconds and `+00:00`, as the log store keeps it. */
function storeTime(epochMs: number): string {
  const whole = Math.floor(epochMs)
  const micros = Math.floor((epochMs - whole) * 1000)
  return `${new Date(whole).toISOString().slice(0, -1)}${String(micros).padStart(3, '0')}+00:00`
}

export class LogStore {
  private pending: {dyno: string; message: string; source: string; time: string}[] = []
  private timer?: NodeJS.Timeout
  private warned = false
  private inFlight = 0

  constructor(private readonly target: LogStoreTarget, private readonly warn: (text: string) => void) {}

  add(message: string): void {
    const time = storeTime(performance.timeOrigin + performance.now())
    // whole: the store cuts a line over 10,000 bytes into pieces, as Logplex does
    this.pending.push({dyno: 'web.1', message, source: 'app', time})
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS)
    this.timer.unref()
  }

  /** Sends what is waiting (in calls of at most 500 lines); resolves when the calls are answered. */
  flush(): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    const calls: Promise<void>[] = []
    while (this.pending.length > 0) calls.push(this.post(this.pending.splice(0, MAX_LINES)))
    return Promise.all(calls).then(() => {})
  }

  private post(lines: LogStore['pending']): Promise<void> {
    const url = new URL(`/__emulator/apps/${encodeURIComponent(this.target.app)}/log-lines`, this.target.host)
    const body = JSON.stringify({lines})
    this.inFlight++
    return new Promise<void>(resolve => {
      const req = request(url, {
        headers: {Authorization: `Bearer ${this.target.apiKey}`, 'Content-Length': String(Buffer.byteLength(body)), 'Content-Type': 'application/json'},
        method: 'POST',
        timeout: 5000,
      }, res => {
        res.resume()
        res.on('end', () => {
          if (res.statusCode !== 202 && res.statusCode !== 200) this.failed(`the emulator answered ${res.statusCode}`)
          resolve()
        })
      })
      req.on('timeout', () => req.destroy(new Error('no answer within 5 s')))
      req.on('error', error => {
        this.failed((error as Error).message)
        resolve()
      })
      req.end(body)
    }).finally(() => {
      this.inFlight--
    })
  }

  private failed(why: string): void {
    if (this.warned) return
    this.warned = true
    this.warn(`the mesh's log lines do not reach the emulator's log store for ${this.target.app} (${why}); \`heroku logs\` will not show them. The mesh runs on.`)
  }
}
