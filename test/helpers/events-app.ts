/**
 * A small app that receives Data Cloud data action events, for the applink:events:trigger tests: a
 * real HTTP server on 127.0.0.1 (port 0) with the Node getting-started app's route
 * `POST /handleDataCloudDataChangeEvent` (needs `events` with at least one event, each with
 * ActionDeveloperName, EventType and SourceObjectDeveloperName; answers 201).
 *
 * In front of the route sits a stand-in for the service mesh's one step that matters here (the
 * real mesh is another piece of work): a request with `x-signature` is first checked with
 * `POST {HEROKU_APPLINK_API_URL}/data_action_targets/authenticate`; a 401 or 403 from AppLink
 * becomes 403 Forbidden, as the mesh answers. Every request is recorded with AppLink's status.
 */
import {createServer, type IncomingHttpHeaders} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'

export interface EventRequest {
  /** AppLink's answer to the signature check */
  authStatus: number
  body: string
  headers: IncomingHttpHeaders
  path: string
  status: number
}

export interface EventsApp {
  close(): Promise<void>
  requests: EventRequest[]
  url: string
}

const REQUIRED = ['ActionDeveloperName', 'EventType', 'SourceObjectDeveloperName']

/** The route: 201 for a good event list, 400 naming what is missing. */
function handleEvents(body: string): {answer: unknown; status: number} {
  let parsed: {events?: Array<Record<string, unknown>>} | undefined
  try {
    parsed = JSON.parse(body)
  } catch {}

  const events = parsed?.events
  if (!Array.isArray(events) || events.length === 0) return {answer: {error: 'events must have at least 1 item'}, status: 400}
  for (const [i, e] of events.entries()) {
    const missing = REQUIRED.filter(f => typeof e?.[f] !== 'string')
    if (missing.length > 0) return {answer: {error: `events[${i}] must have ${missing.join(', ')}`}, status: 400}
  }

  return {answer: {received: events.length}, status: 201}
}

export async function startEventsApp(applink: {apiUrl: string; token: string}): Promise<EventsApp> {
  const sockets = new Set<Socket>()
  const requests: EventRequest[] = []
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://app.invalid')
    const signature = String(req.headers['x-signature'] ?? '')
    const answer = (status: number, json: unknown, authStatus = 0) => {
      requests.push({authStatus, body, headers: req.headers, path: `${url.pathname}${url.search}`, status})
      res.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify(json))
    }

    if (!signature) return answer(401, {error: 'Invalid request'})
    const auth = await fetch(`${applink.apiUrl}/data_action_targets/authenticate`, {
      body: JSON.stringify({api_name: url.searchParams.get('apiName') ?? '', org_id: url.searchParams.get('orgId') ?? '', payload: body, signature}),
      headers: {authorization: `Bearer ${applink.token}`, 'content-type': 'application/json', request_id: String(req.headers['x-request-id'] ?? 'events-app')},
      method: 'POST',
    })
    if (auth.status === 401 || auth.status === 403) return answer(403, {error: 'Forbidden'}, auth.status)
    if (auth.status !== 200) return answer(auth.status, {error: await auth.text()}, auth.status)
    if (req.method !== 'POST' || url.pathname !== '/handleDataCloudDataChangeEvent') return answer(404, {error: 'Not Found'}, 200)
    const {answer: json, status} = handleEvents(body)
    answer(status, json, 200)
  })
  server.on('connection', s => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>(resolve => {
    server.listen(0, '127.0.0.1', () => resolve())
  })
  return {
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise<void>(resolve => {
        server.close(() => resolve())
      })
    },
    requests,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  }
}
