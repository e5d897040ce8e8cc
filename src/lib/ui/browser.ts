/**
 * Opening the OAuth login page in a browser with the `open` package (imported on first use).
 * `open` starts a detached helper (`xdg-open`, `open -a`, `start`) and returns at once, so whether
 * the page really opened is learnt from the helper: a spawn error or a non-zero exit within a short
 * grace period means it did not, and the caller prints the URL instead.
 */
import type {EventEmitter} from 'node:events'

/** The slice of a ChildProcess that the check needs. */
export type LaunchedProcess = EventEmitter

export interface OpenOptions {
  app?: {name: string}
  wait: false
}

/** Test seam: replace `launch` to observe or fake the browser launch. */
export const browserLauncher = {
  async launch(url: string, options: OpenOptions): Promise<LaunchedProcess> {
    const {default: open} = await import('open')
    return open(url, options)
  },
}

/**
 * Why `url` must not be handed to a browser, or undefined when it may be. Only an absolute http(s)
 * URL is opened: a `file:` or `javascript:` URL would open local files or run script, and text
 * starting with `-` would be read as an option by the browser command (`--remote-debugging-port`).
 */
export function browserRefusal(url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'it is not a URL'
  }

  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `it is a ${parsed.protocol} URL, and only http and https URLs are opened`
  return undefined
}

/**
 * Opens `url` in the default browser, or in `app` (e.g. `firefox`, `google chrome`). Resolves true
 * when the launcher started and did not fail within `graceMs`, false when it could not start or
 * exited with an error. Never rejects, and keeps the process alive no longer than `graceMs`.
 */
export async function openBrowser(url: string, app?: string, graceMs = 1000): Promise<boolean> {
  if (browserRefusal(url)) return false
  let child: LaunchedProcess
  try {
    // the parsed form: it starts with the scheme, so it can never be read as an option
    child = await browserLauncher.launch(new URL(url).href, {wait: false, ...(app ? {app: {name: app}} : {})})
  } catch {
    return false
  }

  return new Promise<boolean>(resolve => {
    let settled = false
    const finish = (ok: boolean) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(ok)
    }

    // a detached child's 'error' with no listener would crash the CLI: keep one for its whole life
    child.on('error', () => finish(false))
    child.once('exit', (code: null | number) => finish(code === 0))
    // ref'd on purpose: the launcher is unref'd, so this timer is what keeps the process up meanwhile
    const timer = setTimeout(() => finish(true), graceMs)
  })
}
