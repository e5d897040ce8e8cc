/**
 * The checks before the first Heroku Platform API request, for the two ways a first run goes wrong:
 *
 * - HEROKU_HOST points at this machine (the local emulator) and nothing listens there. The Platform
 *   API client would retry the refused connection for seconds, then blame the network; one TCP
 *   connect tells at once, and the error names HEROKU_HOST and how to start the emulator.
 * - No Heroku token at all (no HEROKU_API_KEY, no stored login). The client would start an
 *   interactive login, which without a terminal fails with `setRawMode is not a function`; against
 *   the emulator the Heroku login makes no sense either. Both say what to run instead.
 */
import {AppLinkError} from '../api/errors.js'

const LOOPBACK_NAMES = new Set(['localhost', '[::1]', '::1'])

/** True for localhost, ::1 and 127.0.0.0/8. */
export function isLoopback(hostname: string): boolean {
  return LOOPBACK_NAMES.has(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname)
}

/** HEROKU_HOST as a URL when it names a server on this machine (`http://127.0.0.1:5050`), else undefined. */
export function localHerokuHost(env: NodeJS.ProcessEnv = process.env): URL | undefined {
  const value = env.HEROKU_HOST
  if (!value || !/^https?:\/\//i.test(value)) return undefined
  try {
    const url = new URL(value)
    return isLoopback(url.hostname) ? url : undefined
  } catch {
    return undefined
  }
}

function portOf(url: URL): number {
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80))
}

/** The error for a HEROKU_HOST on this machine where nothing listens. */
export function nothingListening(url: URL): AppLinkError {
  const port = portOf(url)
  const shown = url.href.replace(/\/$/, '')
  return new AppLinkError(`Nothing is listening at HEROKU_HOST=${shown}: the connection was refused.`, {
    hints: [
      `Start the AppLink emulator there (in another terminal): heroku applink:emulator${port === 5050 ? '' : ` --port ${port}`}`,
      'Or point HEROKU_HOST at a running emulator, or unset it to use the Heroku API.',
    ],
    id: 'network_error',
  })
}

/**
 * Resolves once something accepts connections at `url`; rejects with `nothingListening` when the
 * connection is refused. Any other failure resolves: the real request reports it.
 */
export async function assertListening(url: URL, timeoutMs = 5000): Promise<void> {
  const {connect} = await import('node:net')
  const host = url.hostname.replace(/^\[|\]$/g, '')
  await new Promise<void>((resolve, reject) => {
    const socket = connect({host, port: portOf(url)})
    const done = (error?: AppLinkError) => {
      clearTimeout(timer)
      socket.destroy()
      if (error) reject(error)
      else resolve()
    }

    const timer = setTimeout(() => done(), timeoutMs)
    socket.once('connect', () => done())
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? nothingListening(url) : undefined))
  })
}

/** The error when there is no Heroku token and no way to log in here. */
export function notLoggedIn(local: URL | undefined): AppLinkError {
  if (local) {
    return new AppLinkError(`HEROKU_HOST points at a local emulator (${local.href.replace(/\/$/, '')}) but HEROKU_API_KEY is not set.`, {
      hints: ['Set it to the key the emulator printed when it started: export HEROKU_API_KEY=… (the line `export HEROKU_API_KEY=…` on its output)'],
      id: 'not_logged_in',
    })
  }

  return new AppLinkError('Not logged in to Heroku: HEROKU_API_KEY is not set and there is no stored login.', {
    hints: ['Log in with: heroku login', 'Or, in scripts and CI, set HEROKU_API_KEY (e.g. to the output of heroku auth:token on a machine where you are logged in).'],
    id: 'not_logged_in',
  })
}
