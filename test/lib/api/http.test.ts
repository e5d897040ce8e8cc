/**
 * send() over real sockets: the whole-request timeout, whether a failed request may have reached
 * the server, proxies (HTTP_PROXY / HTTPS_PROXY / NO_PROXY) through a small recording proxy on
 * 127.0.0.1, redacted debug lines, and the Platform API client's debug output once guarded.
 */
import {expect} from 'chai'
import {createRequire} from 'node:module'
import {createServer, request as httpRequest, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {AppLinkClient} from '../../../src/lib/api/applink-client.js'
import {AppLinkError} from '../../../src/lib/api/errors.js'
import {debugEnabled, debugLog, guardPlatformDebug, redactPlatformBody} from '../../../src/lib/api/debug.js'
import {defaultTimeoutMs, NetworkError, send} from '../../../src/lib/api/http.js'
import {resilientPlatformApi} from '../../../src/lib/api/platform-resilience.js'
import {REDACTED, registerSecret} from '../../../src/lib/api/redact.js'
import {setTraceWriter} from '../../../src/lib/api/trace.js'
import {ADDON, APP, APPLINK_TOKEN, HEROKU_TOKEN, SSO_BODY, SSO_HEADER} from '../../helpers/applink.js'
import {Backend, useRealNetwork} from '../../helpers/backend.js'

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy', 'DEBUG', 'HEROKU_DEBUG', 'HEROKU_DEBUG_HEADERS', 'APPLINK_HTTP_TIMEOUT']

/** Sets env vars for one test; restores them after. */
function withEnv(): (vars: Record<string, string>) => void {
  const saved: Record<string, string | undefined> = {}
  beforeEach(() => {
    for (const k of PROXY_VARS) {
      saved[k] = process.env[k]
      delete process.env[k]
    }
  })
  afterEach(() => {
    for (const k of PROXY_VARS) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
  })
  return vars => Object.assign(process.env, vars)
}

/** Captures what is written to stderr while `fn` runs. */
async function stderrOf(fn: () => Promise<unknown>): Promise<string> {
  const original = process.stderr.write.bind(process.stderr)
  let text = ''
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    return true
  }) as typeof process.stderr.write
  // debug traces go where a command's IO sends them (src/lib/cli/base.ts); here, to that stderr
  setTraceWriter(chunk => process.stderr.write(chunk))
  try {
    await fn().catch(() => {})
  } finally {
    setTraceWriter(undefined)
    process.stderr.write = original
  }

  return text
}

/**
 * A forward proxy that records what it was asked for: plain HTTP is relayed to `target`, CONNECT is
 * refused. (A proxy, not a fake service: the emulator cannot stand in for it.)
 */
class RecordingProxy {
  readonly seen: Array<{headers: Record<string, unknown>; method: string; url: string}> = []
  private constructor(private readonly server: Server) {}

  static async start(target: () => string): Promise<RecordingProxy> {
    const server = createServer()
    const proxy = new RecordingProxy(server)
    server.on('request', (req, res) => {
      proxy.seen.push({headers: req.headers, method: req.method ?? '', url: req.url ?? ''})
      const {pathname, search} = new URL(req.url ?? '/')
      const upstream = new URL(target())
      // addressed to the upstream itself: the emulator answers only its own host names
      const forward = httpRequest({headers: {...req.headers, host: upstream.host}, host: upstream.hostname, method: req.method, path: pathname + search, port: upstream.port}, up => {
        res.writeHead(up.statusCode ?? 502, up.headers)
        up.pipe(res)
      })
      forward.on('error', () => res.destroy())
      req.pipe(forward)
    })
    server.on('connect', (req, socket) => {
      proxy.seen.push({headers: req.headers, method: 'CONNECT', url: req.url ?? ''})
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n')
    })
    await new Promise<void>(resolve => {
      server.listen(0, '127.0.0.1', () => resolve())
    })
    return proxy
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  close(): Promise<void> {
    this.server.closeAllConnections()
    return new Promise(resolve => {
      this.server.close(() => resolve())
    })
  }
}

describe('http send()', () => {
  let server: Backend
  let sso: string
  useRealNetwork()
  const setEnv = withEnv()
  before(async () => {
    server = await Backend.start()
    sso = await server.ssoHeader()
  })
  after(() => server.close())
  beforeEach(() => server.reset())

  const url = (path = '/connections') => new URL(`${server.apiUrl}${path}`)
  let headers: Record<string, string>
  beforeEach(() => {
    headers = {accept: 'application/json', authorization: `Bearer ${APPLINK_TOKEN}`, 'x-addon-sso': sso, 'x-app-uuid': APP.id}
  })

  it('times out the whole exchange, even when headers arrived', async () => {
    server.inject('GET', /connections/, 'stall-body')
    let error: unknown
    await send({headers, method: 'GET', timeoutMs: 200, url: url()}).catch(error_ => {
      error = error_
    })
    expect(error).to.be.instanceOf(NetworkError)
    expect(error).to.include({code: 'ETIMEDOUT', sent: true})
  })

  it('tells a reset (may have arrived) from a refused connection (never arrived)', async () => {
    server.inject('POST', /connections/, 'reset')
    const reset = await send({body: '{}', headers, method: 'POST', timeoutMs: 10_000, url: url('/connections/salesforce')}).catch(error => error)
    expect(reset).to.include({code: 'ECONNRESET', sent: true})
    const refused = await send({headers, method: 'POST', timeoutMs: 10_000, url: new URL('http://127.0.0.1:1/x')}).catch(error => error)
    expect(refused).to.include({code: 'ECONNREFUSED', sent: false})
    expect((refused as Error).message).to.equal('127.0.0.1:1 refused the connection')
  })

  it('defaultTimeoutMs: APPLINK_HTTP_TIMEOUT seconds, else 30 s; nonsense is ignored', () => {
    expect(defaultTimeoutMs()).to.equal(30_000)
    setEnv({APPLINK_HTTP_TIMEOUT: '5'})
    expect(defaultTimeoutMs()).to.equal(5000)
    setEnv({APPLINK_HTTP_TIMEOUT: '0.5'})
    expect(defaultTimeoutMs()).to.equal(500)
    for (const bad of ['0', '-3', 'soon', '']) {
      setEnv({APPLINK_HTTP_TIMEOUT: bad})
      expect(defaultTimeoutMs()).to.equal(30_000)
    }
  })

  it('debugEnabled follows DEBUG and HEROKU_DEBUG', () => {
    expect(debugEnabled()).to.equal(false)
    for (const on of [{DEBUG: '*'}, {DEBUG: 'applink'}, {DEBUG: 'http,applink*'}, {HEROKU_DEBUG: '1'}, {HEROKU_DEBUG: 'TRUE'}] as Array<Record<string, string>>) {
      for (const k of ['DEBUG', 'HEROKU_DEBUG']) delete process.env[k]
      setEnv(on)
      expect(debugEnabled(), JSON.stringify(on)).to.equal(true)
    }

    for (const k of ['DEBUG', 'HEROKU_DEBUG']) delete process.env[k]
    setEnv({DEBUG: 'http', HEROKU_DEBUG: '0'})
    expect(debugEnabled()).to.equal(false)
  })

  describe('proxies', () => {
    let proxy: RecordingProxy
    beforeEach(async () => {
      proxy = await RecordingProxy.start(() => server.url)
    })
    afterEach(() => proxy.close())

    it('sends plain-HTTP AppLink requests through HTTP_PROXY', async () => {
      setEnv({HTTP_PROXY: proxy.url})
      // a name that does not resolve: only the proxy can have reached the server
      const target = `http://applink.invalid:${new URL(server.url).port}/addons/${ADDON.id}`
      const client = new AppLinkClient({addonId: ADDON.id, apiUrl: target, appId: APP.id, retries: 0, sso, timeoutMs: 10_000, token: APPLINK_TOKEN})
      const connections = await client.listConnections()
      expect(connections).to.have.length(2)
      expect(proxy.seen.map(s => `${s.method} ${s.url}`)).to.deep.equal([`GET ${target}/connections`])
      expect(proxy.seen[0].headers).to.include({authorization: `Bearer ${APPLINK_TOKEN}`, 'x-app-uuid': APP.id})
    })

    it('honours NO_PROXY', async () => {
      setEnv({HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1'})
      const res = await send({headers, method: 'GET', timeoutMs: 10_000, url: url()})
      expect(res.status).to.equal(200)
      expect(proxy.seen).to.deep.equal([])
    })

    it('tunnels HTTPS through HTTPS_PROXY with CONNECT, and a refused tunnel is a clear network error', async () => {
      setEnv({HTTPS_PROXY: proxy.url})
      const client = new AppLinkClient({addonId: 'x', apiUrl: 'https://applink.example.com/addons/x', appId: APP.id, retries: 0, sso: SSO_HEADER, timeoutMs: 10_000, token: APPLINK_TOKEN})
      const error = await client.listConnections().catch(error_ => error_)
      expect(proxy.seen.map(s => `${s.method} ${s.url}`)).to.deep.equal(['CONNECT applink.example.com:443'])
      expect(error).to.be.instanceOf(AppLinkError)
      expect((error as AppLinkError).request).to.equal('GET /addons/x/connections')
      expect((error as AppLinkError).message).to.equal(`GET /addons/x/connections failed with HTTP 403 (answered by the proxy ${proxy.url}).`)
      expect((error as AppLinkError).hints.join(' ')).to.contain('HTTPS_PROXY')
      // the proxy never sees the AppLink credentials in clear: they travel inside the tunnel
      expect(JSON.stringify(proxy.seen)).not.to.contain(APPLINK_TOKEN)
    })

    it('the lowercase variables work too', async () => {
      setEnv({http_proxy: proxy.url})
      const target = new URL(`http://applink.invalid:${new URL(server.url).port}/addons/${ADDON.id}/connections`)
      const res = await send({headers, method: 'GET', timeoutMs: 10_000, url: target})
      expect(res.status).to.equal(200)
      expect(proxy.seen).to.have.length(1)
    })
  })

  describe('debug output', () => {
    it('shows requests and responses with secrets redacted', async () => {
      setEnv({DEBUG: 'applink'})
      const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n'
      server.inject('POST', /jwt/, {body: {access_token: 'sf-access-token-123456', id: 'x', redirect_uri: 'https://cb.example.com/cb?code=oauth-code-987654&state=s', status: 'connected'}, status: 201})
      const text = await stderrOf(() => send({
        body: JSON.stringify({client_id: 'cid', jwt_private_key: key, username: 'u'}),
        headers: {...headers, 'content-type': 'application/json'},
        method: 'POST',
        timeoutMs: 10_000,
        url: new URL(`${server.apiUrl}/connections/salesforce/jwt?code=oauth-code-555555`),
      }))
      expect(text).to.contain(`applink --> POST ${server.apiUrl}/connections/salesforce/jwt?code=[REDACTED] {`)
      expect(text).to.contain('"authorization":"[REDACTED]"')
      expect(text).to.contain('"x-addon-sso":"[REDACTED]"')
      expect(text).to.contain('applink --> body {"client_id":"cid","jwt_private_key":"[REDACTED]","username":"u"}')
      expect(text).to.match(/applink <-- 201 POST \/addons\/[\w-]+\/connections\/salesforce\/jwt \(\d+ ms\)/)
      expect(text).to.contain('"access_token":"[REDACTED]"')
      for (const secret of [APPLINK_TOKEN, sso, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'sf-access-token-123456', 'oauth-code-987654', 'oauth-code-555555']) expect(text).not.to.contain(secret)
    })

    it('is silent without a debug switch', async () => {
      const text = await stderrOf(() => send({headers, method: 'GET', timeoutMs: 10_000, url: url()}))
      expect(text).to.equal('')
    })

    it('masks proxy credentials', async () => {
      const proxy = await RecordingProxy.start(() => server.url)
      try {
        setEnv({DEBUG: '*', HTTP_PROXY: proxy.url.replace('http://', 'http://proxyuser:proxy-pass-31337@')})
        const text = await stderrOf(() => send({headers, method: 'GET', timeoutMs: 10_000, url: new URL(`http://applink.invalid:${new URL(server.url).port}/x`)}))
        expect(text).to.contain('applink via proxy http://127.0.0.1')
        expect(text).not.to.contain('proxy-pass-31337')
      } finally {
        await proxy.close()
      }
    })
  })
})

describe('the Heroku Platform API client', () => {
  let server: Backend
  useRealNetwork()
  const setEnv = withEnv()
  before(async () => {
    server = await Backend.start()
  })
  after(() => server.close())
  beforeEach(() => server.reset())

  it('redactPlatformBody hides config var values and the SSO payload, keeps the rest', () => {
    expect(redactPlatformBody('/apps/a/config-vars', {DATABASE_URL: 'postgres://u:p@h/d', HEROKU_APPLINK_TOKEN: 't'})).to.deep.equal({DATABASE_URL: REDACTED, HEROKU_APPLINK_TOKEN: REDACTED})
    expect(redactPlatformBody('/apps/a/addons/x/sso', SSO_BODY)).to.equal(REDACTED)
    expect(redactPlatformBody('/apps/a', {id: 'x', name: 'a'})).to.deep.equal({id: 'x', name: 'a'})
    expect(redactPlatformBody('/apps/a', {token: 'abcdef123'})).to.deep.equal({token: REDACTED})
    // an error answer keeps its words (secret-named fields and known secrets are still masked)
    const notFound = {id: 'not_found', message: 'Couldn\'t find that app.', resource: 'app'}
    expect(redactPlatformBody('/apps/a/config-vars', notFound, 404)).to.deep.equal(notFound)
    expect(redactPlatformBody('/apps/a/addons/x/sso', {id: 'forbidden', message: 'No access.'}, 403)).to.deep.equal({id: 'forbidden', message: 'No access.'})
    expect(redactPlatformBody('/apps/a/config-vars', {message: 'nope', token: 'abcdef123'}, 422)).to.deep.equal({message: 'nope', token: REDACTED})
  })

  it('prints no secret in its debug output once guarded (DEBUG=* HEROKU_DEBUG=1 HEROKU_DEBUG_HEADERS=1)', async () => {
    setEnv({DEBUG: '*', HEROKU_DEBUG: '1', HEROKU_DEBUG_HEADERS: '1'})
    await guardPlatformDebug()
    const req = createRequire(import.meta.url)
    const commandEntry = req.resolve('@heroku-cli/command')
    const httpCallEntry = createRequire(commandEntry).resolve('@heroku/http-call')
    const {HTTP} = createRequire(commandEntry)(httpCallEntry) as {HTTP: {get(url: string, options: object): Promise<unknown>}}
    const debug = createRequire(httpCallEntry)('debug') as {disable(): string; enable(ns: string): void}
    debug.enable('http,http:headers')
    // the SSO answer of the fixture, so that its token and nav-data are known
    server.inject('GET', /\/sso$/, {body: SSO_BODY, status: 200})
    try {
      const text = await stderrOf(async () => {
        for (const path of ['config-vars', `addons/${ADDON.id}/sso`]) {
          await HTTP.get(`${server.url}/apps/${APP.name}/${path}`, {headers: {authorization: `Bearer ${HEROKU_TOKEN}`, 'x-addon-sso': SSO_HEADER}})
        }

        // an error answer is shown as it came: nothing secret in it
        await HTTP.get(`${server.url}/apps/no-such-app/config-vars`, {headers: {authorization: `Bearer ${HEROKU_TOKEN}`}}).catch(() => {})
      })
      expect(text).to.contain(`/apps/${APP.name}/config-vars`)
      expect(text).to.match(/HEROKU_APPLINK_TOKEN: '\[REDACTED\]'/)
      expect(text).to.match(/id: 'not_found',\s+message: "Couldn't find that app.",\s+resource: 'app'/)
      for (const secret of [HEROKU_TOKEN, APPLINK_TOKEN, SSO_HEADER, SSO_BODY.params.token, SSO_BODY.params['nav-data']]) expect(text).not.to.contain(secret)
    } finally {
      debug.disable()
    }
  })

  describe('resilientPlatformApi', () => {
    /** a stand-in for APIClient with scripted failures */
    function fake(failures: unknown[], body: unknown = {id: APP.id, name: APP.name}) {
      const calls: Array<{options: unknown; url: string}> = []
      return {
        api: {
          async get<T>(url: string, options?: object): Promise<{body: T}> {
            calls.push({options, url})
            const next = failures.shift()
            if (next) throw next
            return {body: body as T}
          },
        },
        calls,
      }
    }

    const httpError = (statusCode: number, body: unknown, headers: Record<string, string> = {}) => Object.assign(new Error(`HTTP Error ${statusCode}`), {body, http: {headers, statusCode}})

    it('retries 503 and 429 (Retry-After) and passes our timeout', async () => {
      setEnv({APPLINK_HTTP_TIMEOUT: '7'})
      const {api, calls} = fake([httpError(503, '<html></html>'), httpError(429, {id: 'rate_limit', message: 'slow down'}, {'retry-after': '2'})])
      const waits: number[] = []
      const wrapped = resilientPlatformApi(api, {sleep: async ms => {
        waits.push(ms)
      }})
      const res = await wrapped.get<{id: string}>(`/apps/${APP.name}`)
      expect(res.body.id).to.equal(APP.id)
      expect(calls).to.have.length(3)
      expect(calls[0].options).to.deep.equal({timeout: 7000})
      expect(waits[1]).to.equal(2000)
    })

    it('turns an HTML 502 into an error naming the request', async () => {
      const {api} = fake([1, 2, 3, 4].map(() => httpError(502, '<!DOCTYPE html><html>Bad gateway</html>')))
      const wrapped = resilientPlatformApi(api, {sleep: async () => {}})
      const error = await wrapped.get(`/apps/${APP.name}/addons`).catch(error_ => error_)
      expect(error).to.be.instanceOf(AppLinkError)
      expect(error).to.include({id: 'service_unavailable', message: `GET /apps/${APP.name}/addons failed with HTTP 502 (the response was an HTML page, not JSON).`, status: 502})
    })

    it('passes JSON errors with a message through (the base command renders them)', async () => {
      const original = httpError(404, {id: 'not_found', message: 'Couldn\'t find that app.'})
      const {api} = fake([original])
      const error = await resilientPlatformApi(api).get('/apps/nope').catch(error_ => error_)
      expect(error).to.equal(original)
    })

    it('rejects an answer of the wrong shape', async () => {
      const {api} = fake([], '<html>login</html>')
      const error = await resilientPlatformApi(api).get(`/apps/${APP.name}/addon-attachments`).catch(error_ => error_)
      expect(error).to.include({id: 'invalid_response', message: `GET /apps/${APP.name}/addon-attachments returned an unexpected response: expected a list, got an HTML page.`})
    })

    it('a timeout is retried, then reported with the request and the knob', async () => {
      setEnv({APPLINK_HTTP_TIMEOUT: '2'})
      const {api, calls} = fake([1, 2, 3, 4].map(() => new Error('Request timed out')))
      const error = await resilientPlatformApi(api, {host: 'api.heroku.com', sleep: async () => {}}).get(`/apps/${APP.name}/config-vars`).catch(error_ => error_)
      expect(calls).to.have.length(4)
      expect(error).to.include({id: 'timeout', message: `GET /apps/${APP.name}/config-vars timed out: no response from api.heroku.com within 2 s.`})
      expect(error.hints[0]).to.contain('APPLINK_HTTP_TIMEOUT')
    })

    it('does not wait for a Retry-After past 30 s: the error comes at once', async () => {
      const {api, calls} = fake([httpError(429, '', {'retry-after': '120'})])
      const waits: number[] = []
      const error = await resilientPlatformApi(api, {sleep: async ms => {
        waits.push(ms)
      }}).get(`/apps/${APP.name}`).catch(error_ => error_)
      expect(calls).to.have.length(1)
      expect(waits).to.deep.equal([])
      expect(error).to.include({id: 'rate_limited', status: 429})
    })

    it('a network failure (after the client\'s own retries) is an error naming the request', async () => {
      const {api, calls} = fake([Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {code: 'ECONNREFUSED'})])
      const error = await resilientPlatformApi(api, {host: 'api.heroku.com'}).get(`/apps/${APP.name}`).catch(error_ => error_)
      // the Platform API client has retried it already: not once more here
      expect(calls).to.have.length(1)
      expect(error).to.include({id: 'network_error', message: `GET /apps/${APP.name} failed: api.heroku.com refused the connection.`})
    })

    it('a body that is not JSON (parse error) is an invalid response', async () => {
      const {api} = fake([new SyntaxError('Unexpected token < in JSON at position 0')])
      const error = await resilientPlatformApi(api).get(`/apps/${APP.name}`).catch(error_ => error_)
      expect(error).to.include({id: 'invalid_response', message: `GET /apps/${APP.name} returned a response that is not valid JSON.`})
    })
  })

  it('registerSecret masks values seen later, in debug lines too', async () => {
    registerSecret('late-secret-value-42')
    setEnv({DEBUG: 'applink'})
    const text = await stderrOf(async () => debugLog('something late-secret-value-42 happened'))
    expect(text).to.equal('applink something [REDACTED] happened\n')
  })
})
