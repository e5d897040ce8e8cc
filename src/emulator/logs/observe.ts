/**
 * The lines the emulator writes into an app's log by itself, seen after each request it answered:
 * - the AppLink API's request log of the app's add-on, as `app[heroku-applink]: METHOD PATH STATUS
 *   MSms request_id=ID` (any request to `/addons/{add-on id}/…` but the Platform API's
 *   `addon-attachments`; the app is the one `x-app-uuid` names when the add-on is attached to it,
 *   else the add-on's own app);
 * - `app[api]: Release vN created by user EMAIL` for each release an app got (config vars set,
 *   add-ons created or removed, a new app's v1).
 * `heroku[router]` lines are not written: the emulator does not route requests to apps.
 */
import type {IncomingMessage} from 'node:http'

import type {StoreData} from '../store/records.js'
import {logBook} from './book.js'
import {formatTime, type LogLine, nowMicros} from './lines.js'

const ADDON_PATH = /^\/addons\/([^/]+)\/(.+)$/
/** a request id as written: what is printable, without spaces, at most 200 characters */
const REQUEST_ID = /^[\x21-\x7E]{1,200}$/

/** Notes the apps of a store as they are at start: their releases so far get no lines. */
export function startLogs(store: {data: StoreData}): void {
  const book = logBook(store)
  for (const app of store.data.apps) book.releases.set(app.id, app.release)
}

/** After a request was answered: its AppLink request line, and lines for new releases. */
export function afterRequest(store: {data: StoreData}, req: IncomingMessage, status: number, ms: number): void {
  const book = logBook(store)
  const {data} = store
  const time = formatTime(nowMicros())
  const path = (req.url ?? '/').split('?')[0]
  const addonPath = ADDON_PATH.exec(path)
  if (addonPath && addonPath[2] !== 'addon-attachments') {
    const addon = data.addons.find(a => a.id === decodeSafely(addonPath[1]))
    if (addon) {
      const named = String(req.headers['x-app-uuid'] ?? '')
      const attached = data.attachments.some(a => a.addon_id === addon.id && a.app_id === named)
      const appId = attached ? named : addon.app_id
      const header = String(req.headers['x-request-id'] ?? '')
      const requestId = REQUEST_ID.test(header) ? header : '-'
      book.add(appId, [{dyno: 'heroku-applink', message: `${req.method} ${path} ${status} ${ms}ms request_id=${requestId}`, source: 'app', time}])
    }
  }

  const present = new Set<string>()
  for (const app of data.apps) {
    present.add(app.id)
    const known = book.releases.get(app.id) ?? 0
    if (app.release <= known) continue
    const lines: LogLine[] = []
    for (let v = known + 1; v <= app.release; v++) lines.push({dyno: 'api', message: `Release v${v} created by user ${data.account.email}`, source: 'app', time})
    book.releases.set(app.id, app.release)
    book.add(app.id, lines)
  }

  for (const appId of book.releases.keys()) if (!present.has(appId)) book.forget(appId)
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
