/**
 * No secret ever reaches stdout or stderr: every command runs as a user runs it (the compiled
 * plugin, staged as it is installed, in a child process, so the debug module and console output
 * are what a terminal would show), with every debug switch on (DEBUG=* HEROKU_DEBUG=1
 * HEROKU_DEBUG_HEADERS=1), on its success path (human and --json) and its failure paths (a refusal
 * whose message echoes the credentials, an HTML error page echoing the request's headers, a
 * connection reset before and after the request took effect), against a service that also hands
 * out an org access token, an OAuth code and a database password. A few runs go through the real
 * `heroku` CLI with the plugin linked.
 *
 * Uses the compiled plugin: `npm test` builds first (see test/integration/helpers/cli.ts).
 *
 * The commands are split over the files secrets-1.test.ts … secrets-4.test.ts (each with its own
 * service), so that parallel test workers share them out: one file of them all took a third of the
 * whole suite's time.
 */
import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {runHeroku} from '../../scripts/lib/heroku-env.mjs'
import {APP, APPLINK_TOKEN, HEROKU_TOKEN} from '../helpers/applink.js'
import {Backend, type Fault, type RecordedRequest, useRealNetwork} from '../helpers/backend.js'
import {sharedStage, type Stage} from '../integration/helpers/cli.js'
import {argvOf, CASES, type CommandCase, KEY_FILE, SPEC_FILE, title} from './cases.js'

const OAUTH_CODE = 'oauth-code-c0ffee5ecret'
const ACCESS_TOKEN = '00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog.7eHFAKE'
const DB_PASSWORD = 'db-pa55w0rd-9f8e7d'
const KEY_TEXT = readFileSync(KEY_FILE, 'utf8')
/** every line of the key's body: none may appear, not even one */
const KEY_LINES = KEY_TEXT.split('\n').filter(l => l.length >= 16 && !l.startsWith('-----'))

const SECRETS: Record<string, string> = {
  'AppLink token': APPLINK_TOKEN,
  'Heroku token': HEROKU_TOKEN,
  'OAuth code': OAUTH_CODE,
  'database password': DB_PASSWORD,
  'org access token': ACCESS_TOKEN,
  ...Object.fromEntries(KEY_LINES.map((l, i) => [`JWT key line ${i + 1}`, l])),
}

/** The x-addon-sso header a request carried (what the emulator's SSO answer gave the plugin). */
const sso = (r: RecordedRequest) => String(r.headers['x-addon-sso'] ?? '')

/** The SSO payloads the plugin sent in the last run (the emulator signs a new one each time), by name. */
function ssoSecrets(requests: RecordedRequest[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [i, header] of [...new Set(requests.map(r => sso(r)).filter(Boolean))].entries()) {
    const {params} = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as {params: {'nav-data': string; token: string}}
    Object.assign(out, {[`SSO header ${i + 1}`]: header, [`SSO nav-data ${i + 1}`]: params['nav-data'], [`SSO token ${i + 1}`]: params.token})
  }

  if (requests.some(r => r.path.startsWith('/addons/')) && !out['SSO header 1']) throw new Error('no AppLink request carried x-addon-sso')
  return out
}

/** A finished login's status answer, with an OAuth code left in its redirect_uri. */
function withCode(_r: RecordedRequest, answer?: {json?: unknown}): unknown {
  const json = answer?.json as Record<string, unknown> | undefined
  return json && !['authorizing', 'connecting'].includes(String(json.status)) ? {...json, redirect_uri: `https://applink.example.com/oauth/callback?code=${OAUTH_CODE}&state=st`} : json
}

/** the status reads of the resources a flow creates */
const NEW_RESOURCE = /\/(connections|authorizations)\/[0-9a-f]{8}-[0-9a-f-]{27}$/

interface Outcome {
  code: null | number
  stderr: string
  stdout: string
}

/** How many files the cases are split over (secrets-1.test.ts … secrets-N.test.ts). */
export const PARTS = 4

/**
 * Registers part `part` (1 … PARTS) of the tests: every PARTS-th command case, and the few tests
 * that are not per command in the part whose number they are given.
 */
export function describeNoSecrets(part: number): void {
  if (!Number.isInteger(part) || part < 1 || part > PARTS) throw new Error(`part must be 1 … ${PARTS}, got ${part}`)
  const mine = (i: number) => i % PARTS === part - 1
  describe(`no secret in any output, with every debug switch on (part ${part} of ${PARTS})`, function () {
    this.timeout(60_000)
    useRealNetwork()
    let server: Backend
    let stage: Stage

    before(async function () {
      this.timeout(180_000)
      stage = await sharedStage()
      // a service that also hands out an org access token, a database password and an OAuth code
      server = await Backend.start({accessToken: ACCESS_TOKEN, config: {DATABASE_URL: `postgres://user:${DB_PASSWORD}@db.example.com:5432/db`}, settleAfter: 2})
    })
    after(() => server.close())
    beforeEach(() => {
      server.reset()
      server.inject('GET', NEW_RESOURCE, {body: withCode, status: 200}, {processed: true, times: Number.POSITIVE_INFINITY})
    })

    /** Everything on: the debug switches, and the emulator as both services. */
    const debugEnv = (): Record<string, string> => ({
      // generous: no case here stalls on purpose, and a busy machine must not make a healthy request time out
      APPLINK_HTTP_TIMEOUT: '10',
      APPLINK_POLL_INTERVAL_MS: '20',
      APPLINK_WAIT_TIMEOUT: '20',
      CI: 'true',
      DEBUG: '*',
      HEROKU_API_KEY: HEROKU_TOKEN,
      HEROKU_DEBUG: '1',
      HEROKU_DEBUG_HEADERS: '1',
      HEROKU_HOST: server.url,
    })

    /** Runs the staged plugin's bin/run.js as a user would; kills it (and fails) if it hangs. */
    function cli(argv: string[]): Promise<Outcome> {
      return new Promise((resolve, reject) => {
        const env = {...stage.env, ...debugEnv()} as Record<string, string>
        const child = spawn(process.execPath, [join(stage.pluginDir, 'bin', 'run.js'), ...argv], {cwd: stage.cwd, env, stdio: ['ignore', 'pipe', 'pipe']})
        let stdout = ''
        let stderr = ''
        child.stdout.on('data', c => {
          stdout += c
        })
        child.stderr.on('data', c => {
          stderr += c
        })
        const timer = setTimeout(() => {
          child.kill('SIGKILL')
          reject(new Error(`${argv.join(' ')} hung`))
        }, 45_000)
        child.on('close', code => {
          clearTimeout(timer)
          resolve({code, stderr, stdout})
        })
      })
    }

    /** The same through the real `heroku` CLI with the plugin linked. */
    function heroku(argv: string[]): Promise<Outcome> {
      return runHeroku(stage, argv, {env: debugEnv(), timeoutMs: 45_000})
    }

    function expectNoSecrets(o: Outcome, what: string): void {
      for (const [name, value] of Object.entries({...SECRETS, ...ssoSecrets(server.requests)})) {
        for (const [stream, text] of [['stdout', o.stdout], ['stderr', o.stderr]]) {
          const at = text.indexOf(value)
          // the context of a leak, with the secret itself replaced, so the failure is easy to trace
          const context = at === -1 ? '' : `: …${text.slice(Math.max(0, at - 300), at)}«${name}»${text.slice(at + value.length, at + value.length + 100)}…`
          expect(at, `${what}: the ${name} is on ${stream}${context}`).to.equal(-1)
        }
      }
    }

    /**
     * After a fault on a request that went through: the fault was served (so this is not the success
     * path again), and the command ended as docs/faults.md says: a read retried and succeeded, a
     * write looked its record up and said so, a publication (nothing to look up) says it could not tell.
     */
    function expectWentThrough(c: CommandCase, o: Outcome): void {
      const main = server.seen(c.main.method, c.main.path)
      expect(main.filter(r => r.fault).length, `the fault on ${c.main.method} ${c.main.path} was served`).to.equal(1)
      const tail = o.stderr.slice(-2000)
      if (c.kind === 'read') {
        expect(o.code, tail).to.equal(0)
        expect(main.length, 'the read was retried').to.be.at.least(2)
        return
      }

      expect(main, 'the write was sent once').to.have.length(1)
      if (c.kind === 'publish') {
        expect(o.code, tail).to.equal(1)
        expect(o.stderr).to.match(/Could not tell whether the publication of \S*small\.yaml to my_org was created\./)
      } else {
        expect(o.code, tail).to.equal(0)
        expect(o.stderr).to.match(c.kind === 'delete' ? /But .+ is gone: it was deleted\./ : /But .+ exists now \(status \w+\): the request went through\./)
      }
    }

    /** The failure paths of one command: scripted on its main request. */
    function failures(c: CommandCase): Array<[string, Fault, {processed?: boolean; times?: number}]> {
      const echo = (r: RecordedRequest) => `<!DOCTYPE html><html><body><h1>500</h1><pre>Authorization: Bearer ${APPLINK_TOKEN}\nx-addon-sso: ${sso(r)}\n${KEY_TEXT}</pre></body></html>`
      return [
        // only the JWT commands hold the key: they can tell a line of it when the service quotes one back
        ['a refusal that quotes the credentials back', {body: (r: RecordedRequest) => ({id: 'unauthorized', message: `Invalid credentials: Bearer ${APPLINK_TOKEN} (sso ${sso(r)})${c.argv[0].includes('jwt') ? ` key ${KEY_LINES[0]}` : ''}`}), status: 401}, {}],
        ['an HTML error page echoing the request headers', {body: echo, headers: {'content-type': 'text/html'}, status: 500}, {times: Number.POSITIVE_INFINITY}],
        ['a connection reset', 'reset', {times: c.kind === 'read' ? Number.POSITIVE_INFINITY : 1}],
        ['a reset after the request went through', 'reset', {processed: true}],
        ['a 502 quoting the credentials, after the request went through', {body: (r: RecordedRequest) => ({id: 'bad_gateway', message: `upstream refused Bearer ${APPLINK_TOKEN} x-addon-sso ${sso(r)}`}), status: 502}, {processed: true}],
      ]
    }

    for (const c of CASES.filter((_c, i) => mine(i))) {
      describe(title(c), () => {
        it('success, human output', async () => {
          const o = await cli(argvOf(c))
          expect(o.code, o.stderr.slice(-2000)).to.equal(0)
          // the debug output is there, redacted
          expect(o.stderr).to.match(/applink --> (GET|POST|DELETE) /)
          expect(o.stderr).to.contain('authorization":"[REDACTED]"')
          // …and so is the Heroku client's, config vars by name only
          expect(o.stderr).to.match(/http ← GET \S+\/apps\/my-app\/config-vars 200/)
          expect(o.stderr).to.contain('HEROKU_APPLINK_TOKEN: \'[REDACTED]\'')
          // a login flow's last status read carried the OAuth code
          if (c.kind === 'flow' && !c.argv[0].includes('data-action-target')) expect(server.seen('GET', NEW_RESOURCE).map(r => r.fault)).to.include('status 200')
          expectNoSecrets(o, 'success')
        })

        it('success, --json', async () => {
          const o = await cli(argvOf(c, ['--json']))
          expect(o.code, o.stderr.slice(-2000)).to.equal(0)
          expect(() => JSON.parse(o.stdout)).not.to.throw()
          expectNoSecrets(o, 'success --json')
        })

        for (const [name, fault, options] of failures(c)) {
          it(`failure: ${name}`, async () => {
            server.inject(c.main.method, c.main.path, fault, options)
            const o = await cli(argvOf(c))
            if (options.processed) expectWentThrough(c, o)
            else expect(o.code).to.not.equal(0)
            expectNoSecrets(o, name)
          })
        }
      })
    }

    if (mine(0)) it('JWT commands: a service that echoes the key back in a failed resource', async () => {
      const jwtCase = CASES.find(c => c.argv[0] === 'salesforce:connect:jwt') as CommandCase
      server.inject('POST', jwtCase.main.path, {body: {error: {id: 'invalid_grant', message: `bad key ${KEY_TEXT}`}, id: 'x', org: {connection_name: 'jwt_org'}, status: 'failed'}, status: 201})
      const o = await cli(argvOf(jwtCase, ['--json']))
      expect(o.code).to.equal(1)
      expectNoSecrets(o, 'jwt failed resource')
    })

    if (mine(1)) it('authorizations --json: the org access token is left out or redacted, the rest kept', async () => {
      const o = await cli(['applink:authorizations:info', 'my_auth', '-a', APP.name, '--json'])
      expect(o.code).to.equal(0)
      const json = JSON.parse(o.stdout) as {org: {developer_name: string; user_auth?: {access_token?: string; username?: string}}}
      expect(json.org.developer_name).to.equal('my_auth')
      expect(json.org.user_auth?.username).to.equal('user@my-org.example')
      expect([undefined, '[REDACTED]']).to.include(json.org.user_auth?.access_token)
    })

    describe('through the real heroku CLI', () => {
      const argvs = [['applink:connections'], ['applink:authorizations:info', 'my_auth', '--json'], ['salesforce:connect', 'new_org']]
      for (const argv of argvs.filter((_a, i) => mine(i + 1))) {
        it(`heroku ${argv.join(' ')}: success, and a refusal that quotes the credentials back`, async () => {
          const ok = await heroku([...argv, '-a', APP.name])
          expect(ok.code, ok.stderr.slice(-2000)).to.equal(0)
          expectNoSecrets(ok, `heroku ${argv[0]}`)
          server.inject(argv[0] === 'salesforce:connect' ? 'POST' : 'GET', /^\/addons\//, {body: (r: RecordedRequest) => ({id: 'unauthorized', message: `Invalid credentials: Bearer ${APPLINK_TOKEN} (sso ${sso(r)})`}), status: 401})
          const refused = await heroku([...argv, '-a', APP.name])
          expect(refused.code).to.equal(1)
          expectNoSecrets(refused, `heroku ${argv[0]}, refused`)
        })
      }
    })

    if (mine(3)) it('applink:spec:validate (local only) prints no secret either', async () => {
      const o = await cli(['applink:spec:validate', SPEC_FILE])
      expect(o.code).to.equal(0)
      expectNoSecrets(o, 'spec validate')
    })
  })
}
