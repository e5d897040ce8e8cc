/**
 * src/lib/api/platform.ts: the token found as `@heroku-cli/command` finds it (its own functions are the
 * reference here: the netrc parser, the credential store choice, APIClient.getAuth), and the GETs
 * it sends in place of that client against a real server on 127.0.0.1.
 */
import {expect} from 'chai'
import fc from 'fast-check'
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {PlatformApi} from '../../../src/lib/api/addon.js'
import {apiHostOf, credentialStore, fastPathBlocked, fastPlatformClient, findToken, herokuHost, parseNetrc, PlatformApiError} from '../../../src/lib/api/platform.js'
import {type Recorded, type Reply, ScriptedServer} from '../../integration/helpers/server.js'

// the Heroku CLI's own pieces, as the reference
const {parse: realParseNetrc} = await import('@heroku-cli/command/lib/credential-manager-core/lib/netrc-parser.js') as {parse(body: string): Record<string, {login?: string; password?: string}>}
const {getStorageConfig} = await import('@heroku-cli/command/lib/credential-manager-core/lib/credential-storage-selector.js') as {getStorageConfig(): {credentialStore: null | string}}
const {vars} = await import('@heroku-cli/command/lib/vars.js') as {vars: {apiHost: string}}

function withEnv<T>(env: Record<string, string | undefined>, fn: () => T): T {
  const saved: Record<string, string | undefined> = {}
  for (const k of Object.keys(env)) {
    saved[k] = process.env[k]
    if (env[k] === undefined) delete process.env[k]
    else process.env[k] = env[k]
  }

  const restore = () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }

  try {
    const out = fn()
    if (out instanceof Promise) return out.finally(restore) as T
    restore()
    return out
  } catch (error) {
    restore()
    throw error
  }
}

describe('platform: the Heroku token and Platform API GETs without @heroku-cli/command', () => {
  let tmp: string
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'applink-platform-'))
  })
  after(() => rmSync(tmp, {force: true, recursive: true}))

  describe('parseNetrc reads a netrc body as the Heroku CLI\'s parser does', () => {
    const samples = [
      'machine api.heroku.com\n  login a@b.c\n  password tok1\nmachine git.heroku.com\n  login a@b.c\n  password tok2\n',
      'machine api.heroku.com login a@b.c password tok1',
      'machine api.heroku.com login a@b.c password tok1 # comment\n',
      '# machine api.heroku.com login commented password out\nmachine api.heroku.com login x password real\n',
      'machine api.heroku.com\n  login first\n  password one\nmachine api.heroku.com\n  login second\n  password two\n',
      'default login x password y\nmachine 127.0.0.1:5000\n\tlogin me\n\tpassword pw # note\n',
      'machine api.heroku.com\n  login a\n\n  password after-blank-line\n',
      'machine api.heroku.com login a password\n',
      'machine api.heroku.com  login a  password b\n',
      '',
    ]
    const compare = (body: string) => {
      const real = realParseNetrc(body)
      const ours = parseNetrc(body)
      for (const host of Object.keys(real)) {
        expect(ours.get(host)?.password, `${JSON.stringify(body)} ${host} password`).to.equal(real[host].password)
        expect(ours.get(host)?.login, `${JSON.stringify(body)} ${host} login`).to.equal(real[host].login)
      }

      expect([...ours.keys()].sort(), JSON.stringify(body)).to.deep.equal(Object.keys(real).sort())
    }

    it('on hand-picked bodies (inline, multi-line, comments, duplicates, tabs, odd spacing)', () => {
      for (const body of samples) compare(body)
    })

    it('on generated bodies', () => {
      const word = fc.constantFrom('machine', 'login', 'password', 'api.heroku.com', '127.0.0.1:5000', 'a@b.c', 'tok', '#', '# x', 'default', 'account')
      const sep = fc.constantFrom(' ', '  ', '\t', '\n', '\n  ', '\n\t', ' # c\n')
      const body = fc.array(fc.tuple(word, sep), {maxLength: 14}).map(parts => parts.map(([w, s]) => w + s).join(''))
      fc.assert(fc.property(body, b => {
        compare(b)
      }), {numRuns: 400})
    })
  })

  it('HEROKU_HOST: the API host the netrc entry is looked up by, as the CLI computes it', () => {
    for (const host of [undefined, 'heroku.com', 'staging.herokudev.com', 'http://127.0.0.1:5000', 'https://api.heroku.com', 'http://localhost:8080/', 'http://localhost']) {
      withEnv({HEROKU_HOST: host}, () => {
        expect(apiHostOf(herokuHost() as string), String(host)).to.equal(vars.apiHost)
      })
    }

    expect(withEnv({HEROKU_HOST: 'https://evil.example.com'}, () => herokuHost())).to.equal(undefined)
    expect(withEnv({HEROKU_HOST: 'https://evil.example.com'}, () => fastPathBlocked())).to.equal('HEROKU_HOST is invalid')
  })

  it('credentialStore picks the store the CLI\'s credential manager picks (Linux: secret-tool on PATH)', () => {
    const bin = join(tmp, 'store-bin')
    mkdirSync(bin, {recursive: true})
    writeFileSync(join(bin, 'secret-tool'), '#!/bin/sh\n')
    chmodSync(join(bin, 'secret-tool'), 0o755)
    const cases: Record<string, string | undefined>[] = [
      {HEROKU_NETRC_WRITE: undefined, PATH: `${bin}:/usr/bin:/bin`},
      {HEROKU_NETRC_WRITE: undefined, PATH: '/usr/bin:/bin'},
      {HEROKU_NETRC_WRITE: 'true', PATH: `${bin}:/usr/bin:/bin`},
      {HEROKU_NETRC_WRITE: 'TRUE', PATH: `${bin}:/usr/bin:/bin`},
      {HEROKU_NETRC_WRITE: '1', PATH: `${bin}:/usr/bin:/bin`},
    ]
    for (const env of cases) {
      withEnv(env, () => {
        const real = getStorageConfig().credentialStore
        expect(credentialStore() === null ? null : 'linux', JSON.stringify(env)).to.equal(real === null ? null : 'linux')
      })
    }

    expect(credentialStore({}, 'darwin')).to.equal('macos')
    expect(credentialStore({}, 'win32')).to.equal('windows')
    expect(credentialStore({HEROKU_NETRC_WRITE: 'true'}, 'darwin')).to.equal(null)
  })

  describe('findToken', () => {
    let home: string
    let dataDir: string
    let bin: string
    beforeEach(() => {
      home = mkdtempSync(join(tmp, 'home-'))
      dataDir = join(home, 'data')
      bin = join(home, 'bin')
      mkdirSync(dataDir)
      mkdirSync(bin)
    })

    const storeScript = (script: string) => {
      writeFileSync(join(bin, 'secret-tool'), `#!/bin/sh\n${script}\n`)
      chmodSync(join(bin, 'secret-tool'), 0o755)
    }

    /** ours, and the CLI's APIClient.getAuth() in the same environment */
    async function both(env: Record<string, string | undefined>): Promise<{ours?: {source: string; token: string}; real?: string}> {
      const full = {DISABLE_TELEMETRY: 'true', HEROKU_API_KEY: undefined, HEROKU_HOST: 'http://127.0.0.1:5000', HEROKU_NETRC_WRITE: undefined, HOME: home, PATH: `${bin}:/usr/bin:/bin`, ...env}
      return withEnv(full, async () => {
        const ours = await findToken({dataDir})
        const {APIClient} = await import('@heroku-cli/command')
        const real = await new APIClient({dataDir, platform: 'linux', version: '11.10.0'} as never).getAuth()
        return {ours, real}
      })
    }

    it('HEROKU_API_KEY first', async () => {
      writeFileSync(join(home, '.netrc'), 'machine 127.0.0.1:5000 login a password from-netrc\n')
      const r = await both({HEROKU_API_KEY: 'from-env'})
      expect(r.ours).to.deep.equal({source: 'HEROKU_API_KEY', token: 'from-env'})
      expect(r.real).to.equal('from-env')
    })

    it('netrc: the entry of the API host', async () => {
      writeFileSync(join(home, '.netrc'), 'machine api.heroku.com login a password other\nmachine 127.0.0.1:5000 login a password from-netrc\n')
      const r = await both({})
      expect(r.ours).to.deep.equal({source: 'netrc', token: 'from-netrc'})
      expect(r.real).to.equal('from-netrc')
    })

    it('the credential store when login.json names the account, and netrc when it does not', async () => {
      writeFileSync(join(home, '.netrc'), 'machine 127.0.0.1:5000 login a password from-netrc\n')
      storeScript('[ "$1 $2 $3 $4 $5" = "lookup service heroku-cli account dev@example.com" ] && echo from-store')
      let r = await both({})
      expect(r.ours).to.deep.equal({source: 'netrc', token: 'from-netrc'})
      expect(r.real).to.equal('from-netrc')
      writeFileSync(join(dataDir, 'login.json'), JSON.stringify({account: 'dev@example.com'}))
      r = await both({})
      expect(r.ours).to.deep.equal({source: 'store', token: 'from-store'})
      expect(r.real).to.equal('from-store')
      r = await both({HEROKU_NETRC_WRITE: 'true'})
      expect(r.ours).to.deep.equal({source: 'netrc', token: 'from-netrc'})
      expect(r.real).to.equal('from-netrc')
    })

    it('leaves to the CLI\'s client what it cannot settle: a failing store, an encrypted netrc, nothing found', async () => {
      writeFileSync(join(dataDir, 'login.json'), JSON.stringify({account: 'dev@example.com'}))
      storeScript('exit 1')
      writeFileSync(join(home, '.netrc'), 'machine 127.0.0.1:5000 login a password from-netrc\n')
      let r = await both({})
      expect(r.ours).to.equal(undefined)
      expect(r.real).to.equal('from-netrc')
      rmSync(join(dataDir, 'login.json'))
      writeFileSync(join(home, '.netrc.gpg'), 'encrypted')
      // a quiet stand-in for gpg, which the CLI's client runs to decrypt it
      writeFileSync(join(bin, 'gpg'), '#!/bin/sh\nexit 2\n')
      chmodSync(join(bin, 'gpg'), 0o755)
      expect((await both({})).ours).to.equal(undefined)
      rmSync(join(home, '.netrc.gpg'))
      rmSync(join(home, '.netrc'))
      r = await both({})
      expect(r.ours).to.equal(undefined)
      expect(r.real).to.equal(undefined)
    })
  })

  it('fastPathBlocked: debug switches, proxies and HEROKU_API_TOKEN leave everything to the CLI\'s client', () => {
    expect(fastPathBlocked({})).to.equal(undefined)
    expect(fastPathBlocked({HEROKU_DEBUG: '1'})).to.equal('a debug switch is set')
    expect(fastPathBlocked({DEBUG: 'http'})).to.equal('a debug switch is set')
    expect(fastPathBlocked({HTTPS_PROXY: 'http://proxy:3128'})).to.equal('a proxy is set')
    expect(fastPathBlocked({HEROKU_API_TOKEN: 'x'})).to.equal('HEROKU_API_TOKEN is set without HEROKU_API_KEY')
    expect(fastPathBlocked({HEROKU_API_KEY: 'y', HEROKU_API_TOKEN: 'x'})).to.equal(undefined)
  })

  describe('fastPlatformClient against a server on 127.0.0.1', () => {
    let server: ScriptedServer
    let url: string
    let seen: Recorded[]
    before(async () => {
      server = await ScriptedServer.start()
      url = server.url
      seen = server.requests
    })
    after(() => server.close())
    beforeEach(() => server.reset())

    /** every request gets what `answer` says */
    const answer = (reply: (req: Recorded) => Reply) => server.always('*', /./, reply)
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({body, headers: {'content-type': 'application/json; charset=utf-8', ...headers}, status})

    function client(fallback: PlatformApi = {get: () => Promise.reject(new Error('no fallback expected'))}, warnings: string[] = []): PlatformApi {
      return withEnv({HEROKU_HEADERS: JSON.stringify({'X-Team': 'blue'}), HEROKU_HOST: url}, () => fastPlatformClient({
        config: {dataDir: tmp, platform: 'linux', version: '11.10.0'},
        fallback: async () => fallback,
        sleep: async () => {},
        token: 'tok-123',
        warn: m => warnings.push(m),
      }))
    }

    it('sends the CLI\'s headers, follows Next-Range for lists, shows each warning header once', async () => {
      answer(req => {
        const warning = {'x-heroku-warning': 'Warning: this app is in maintenance'}
        return req.headers.range ? json(200, [{n: 3}], warning) : json(206, [{n: 1}, {n: 2}], {...warning, 'next-range': ']n 2; max=2'})
      })

      const warnings: string[] = []
      const r = await client(undefined, warnings).get('/apps/x/addons', {headers: {Accept: 'application/vnd.heroku+json; version=3.sdk'}})
      expect(r.body).to.deep.equal([{n: 1}, {n: 2}, {n: 3}])
      expect(seen.map(q => q.headers.range)).to.deep.equal([undefined, ']n 2; max=2'])
      const [first] = seen
      expect(first.headers.authorization).to.equal('Bearer tok-123')
      expect(first.headers['user-agent']).to.equal('heroku-cli/11.10.0 linux')
      expect(first.headers.accept).to.equal('application/vnd.heroku+json; version=3.sdk')
      expect(first.headers['x-team']).to.equal('blue')
      expect(first.headers['request-id']).to.match(/^[\da-f-]{36}/)
      expect(warnings).to.deep.equal(['this app is in maintenance'])
    })

    it('an API error has the CLI client\'s shape: http.statusCode, http.headers, body', async () => {
      answer(() => json(404, {id: 'not_found', message: 'Couldn\'t find that app.'}, {'retry-after': '3'}))
      const error = await client().get('/apps/nope').catch(error_ => error_)
      expect(error).to.be.instanceOf(PlatformApiError)
      expect(error.http.statusCode).to.equal(404)
      expect(error.http.headers['retry-after']).to.equal('3')
      expect(error.body).to.deep.equal({id: 'not_found', message: 'Couldn\'t find that app.'})
      expect(error.message).to.equal('Couldn\'t find that app.\n\nError ID: not_found')
    })

    it('hands a 401, a two-factor 403 and a redirect to the CLI\'s client, with the same request', async () => {
      for (const [status, body, headers] of [[401, {id: 'unauthorized', message: 'Invalid credentials provided.'}, {}], [403, {id: 'two_factor', message: '2FA'}, {}], [302, {}, {location: '/elsewhere'}]] as const) {
        server.reset()
        answer(() => json(status, body, headers))
        const asked: unknown[] = []
        const r = await client({get: async (path, options) => {
          asked.push([path, options])
          return {body: 'from the CLI client' as never}
        }}).get('/apps/x', {headers: {accept: 'a/b'}})
        expect(r.body, String(status)).to.equal('from the CLI client')
        expect(asked).to.deep.equal([['/apps/x', {headers: {accept: 'a/b'}}]])
      }

      // a 403 that is not about two-factor is an error like any other
      server.reset()
      answer(() => json(403, {id: 'forbidden', message: 'You do not have access to the app x.'}))
      expect((await client().get('/apps/x').catch(error => error)).http.statusCode).to.equal(403)
    })

    it('retries a connection reset, as the CLI client does', async () => {
      server.faults.add('GET', '/apps/x', 'reset', {times: 2})
      answer(() => json(200, {ok: true}))
      expect((await client().get('/apps/x')).body).to.deep.equal({ok: true})
      expect(seen.map(q => `${q.method} ${q.path} ${q.fault}`)).to.deep.equal(['GET /apps/x reset', 'GET /apps/x reset', 'GET /apps/x reply'])
    })
  })
})
