/**
 * `applink:emulator:wait`: polls the emulator's health route (`GET /__emulator/health`, 200
 * `{"service": "applink-emulator", "status": "ok"}`) until it answers, for scripts that started one
 * in the background.
 */
/** server/server.ts's HEALTH_PATH, written out so that waiting does not load the emulator */
const HEALTH_PATH = '/__emulator/health'

export interface WaitOutcome {
  ok: boolean
  /** what the last try met, for the timeout's message: "connection refused", "HTTP 404 …" */
  last: string
}

/** True when `url` answers the health route as an AppLink emulator. */
async function probe(url: string): Promise<{ok: boolean; what: string}> {
  try {
    const res = await fetch(`${url.replace(/\/+$/, '')}${HEALTH_PATH}`, {signal: AbortSignal.timeout(2000)})
    const body = await res.json().catch(() => undefined) as undefined | {service?: unknown; status?: unknown}
    if (res.status === 200 && body?.service === 'applink-emulator' && body.status === 'ok') return {ok: true, what: 'ready'}
    return {ok: false, what: `HTTP ${res.status} from ${HEALTH_PATH}: it is not an AppLink emulator`}
  } catch (error) {
    const cause = (error as {cause?: {code?: string}}).cause
    if (cause?.code === 'ECONNREFUSED') return {ok: false, what: 'connection refused'}
    if ((error as Error).name === 'TimeoutError') return {ok: false, what: 'no answer within 2 s'}
    return {ok: false, what: cause?.code ?? (error as Error).message}
  }
}

/** Tries `url` every `everyMs` until it answers or `timeoutMs` passed (at least one try). */
export async function waitForEmulator(url: string, timeoutMs: number, everyMs = 200): Promise<WaitOutcome> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  for (;;) {
    const {ok, what} = await probe(url)
    if (ok) return {last: what, ok}
    last = what
    if (Date.now() + everyMs > deadline) return {last, ok: false}
    await new Promise(r => {
      setTimeout(r, everyMs)
    })
  }
}
