/**
 * Where the Heroku token comes from, through the real `heroku` CLI with the compiled plugin, against
 * a scripted Platform API on 127.0.0.1: HEROKU_API_KEY, then the OS credential store (a stand-in
 * `secret-tool` on PATH, as on a Linux desktop) when `login.json` names the account, then ~/.netrc,
 * an encrypted ~/.netrc.gpg (a stand-in `gpg`); and what a 401 or a two-factor demand leads to:
 * the Heroku CLI's own handling. Each test pins the token on every Platform API request. The
 * two-factor prompt runs on a terminal with the plugin as installed and telemetry on, as a user has it.
 */
import {expect} from 'chai'
import {chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {APP, APPLINK_TOKEN, BASE} from '../helpers/fixture.js'
import {type CliResult, expectNoSecrets, explain, heroku, type Stage} from './helpers/cli.js'
import {installedStage, OWN_COPY_MARKER, TELEMETRY_DEFAULT} from './helpers/installed.js'
import {herokuOnTerminal, type PtyResult} from './helpers/pty.js'
import {resolutionRoutes, scriptResolution, useScriptedWorld} from './helpers/scripted.js'
import type {ScriptedServer} from './helpers/server.js'

const KEY_TOKEN = 'key-token-cred-11aa22bb'
const NETRC_TOKEN = 'netrc-token-cred-33cc44dd'
const STORE_TOKEN = 'store-token-cred-55ee66ff'
const GPG_TOKEN = 'gpg-token-cred-77aa88bb'
const ACCOUNT = 'dev@example.com'
const SECRETS = [APPLINK_TOKEN, KEY_TOKEN, NETRC_TOKEN, STORE_TOKEN, GPG_TOKEN]
const RESOLUTION = ['', '/addons', '/addon-attachments', '/config-vars'].map(p => `/apps/${APP.name}${p}`)

describe('integration: Heroku credentials, as the Heroku CLI resolves them', function () {
  this.timeout(120_000)

  let platform: ScriptedServer
  let applink: ScriptedServer
  let tmp: string
  /** a HOME for the netrc files of one test (the plugin stays linked in the shared stage's data dir) */
  let home: string
  let bin: string
  let dataDir: string

  const world = useScriptedWorld('applink-cred-')
  before(() => {
    ({applink, platform, tmp} = world)
    dataDir = join(world.stage.env.XDG_DATA_HOME as string, 'heroku')
  })

  beforeEach(() => {
    home = mkdtempSync(join(tmp, 'home-'))
    bin = mkdtempSync(join(tmp, 'bin-'))
    scriptResolution(platform, `${applink.url}${BASE}`)
    applink.always('GET', `${BASE}/connections`, {body: [{id: 'c1', org: {connection_name: 'cred_org', type: 'SalesforceOrg'}, status: 'connected'}]})
  })

  afterEach(() => {
    // the login state lives in the shared stage's data dir: never leave it for the next test
    rmSync(join(dataDir, 'login.json'), {force: true})
  })

  const apiHost = () => platform.url.replace(/^http:\/\//, '')

  /** The usual multi-line netrc entry for the scripted API, with NETRC_TOKEN. */
  function netrcEntry(): void {
    netrc(`machine ${apiHost()}\n  login ${ACCOUNT}\n  password ${NETRC_TOKEN}\n`)
  }

  /** Every add-on resolution read answers `status` with `body`, whoever asks. */
  function refuseResolution(status: number, body: unknown): void {
    platform.reset()
    for (const p of RESOLUTION) platform.always('GET', p, {body, status})
  }

  function netrc(body: string, file = '.netrc'): void {
    writeFileSync(join(home, file), body, {mode: 0o600})
  }

  /** A stand-in for a command on PATH: logs its arguments, then runs `script`. */
  function fakeCommand(name: string, script: string): string {
    const log = join(bin, `${name}.log`)
    writeFileSync(join(bin, name), `#!/bin/sh\necho "$@" >> '${log}'\n${script}\n`)
    chmodSync(join(bin, name), 0o755)
    return log
  }

  const calls = (log: string) => existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []

  function env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return {
      HEROKU_API_KEY: undefined,
      HEROKU_HOST: platform.url,
      HOME: home,
      // the stand-ins first; no real secret-tool or gpg of the machine can answer
      PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`,
      ...extra,
    }
  }

  async function connections(extra: Record<string, string | undefined> = {}): Promise<CliResult> {
    const r = await heroku(['applink:connections', '-a', APP.name], {env: env(extra)})
    if (process.env.SHOW_OUTPUT) console.error(explain(r))
    return r
  }

  /** The command worked, and every Platform API request carried `token`. */
  function expectListedWith(r: CliResult, token: string): void {
    expect(r.code, explain(r)).to.equal(0)
    expect(r.stdout).to.contain('cred_org')
    const paths = platform.requests.map(q => q.path)
    for (const p of RESOLUTION) expect(paths, p).to.include(p)
    for (const q of platform.requests) expect(q.headers.authorization, `${q.method} ${q.path}`).to.equal(`Bearer ${token}`)
    expectNoSecrets(r.stdout + r.stderr, SECRETS)
  }

  it('HEROKU_API_KEY comes first, even with a netrc entry and a credential store; the requests carry the CLI\'s headers', async () => {
    netrcEntry()
    const store = fakeCommand('secret-tool', `echo ${STORE_TOKEN}`)
    writeFileSync(join(dataDir, 'login.json'), JSON.stringify({account: ACCOUNT}))
    const r = await connections({HEROKU_API_KEY: KEY_TOKEN, HEROKU_HEADERS: JSON.stringify({'X-Extra-Header': 'from-env', 'accept': 'application/vnd.heroku+json; version=3.extra'})})
    expectListedWith(r, KEY_TOKEN)
    expect(calls(store).filter(c => c.startsWith('lookup'))).to.deep.equal([])
    const app = platform.requests.find(q => q.path === `/apps/${APP.name}`)!
    expect(app.headers['user-agent']).to.match(/^heroku-cli\/11\.\d+\.\d+ linux/)
    expect(app.headers['request-id']).to.match(/^[\da-f-]{36}(,[\da-f-]{36})*$/)
    // HEROKU_HEADERS is added to (and overrides) the defaults on every request, except where a
    // request sets its own (the SSO call asks for the SDK variant)
    for (const q of platform.requests) expect(q.headers['x-extra-header'], q.path).to.equal('from-env')
    expect(app.headers.accept).to.equal('application/vnd.heroku+json; version=3.extra')
    expect(platform.requests.find(q => q.path.endsWith('/sso'))!.headers.accept).to.equal('application/vnd.heroku+json; version=3.sdk')
  })

  it('without HEROKU_API_KEY, the netrc password of the API host (HEROKU_HOST\'s host:port), first entry wins', async () => {
    netrc([
      'machine api.heroku.com login other@example.com password not-this-one',
      `machine ${apiHost()}`,
      `  login ${ACCOUNT}`,
      `  password ${NETRC_TOKEN}`,
      `machine ${apiHost()} login ${ACCOUNT} password second-entry-ignored`,
      '',
    ].join('\n'))
    expectListedWith(await connections(), NETRC_TOKEN)
  })

  it('an inline netrc entry works too', async () => {
    netrc(`# heroku\nmachine ${apiHost()} login ${ACCOUNT} password ${NETRC_TOKEN}\n`)
    expectListedWith(await connections(), NETRC_TOKEN)
  })

  it('with a credential store (secret-tool) and login.json naming the account, the store\'s token', async () => {
    netrcEntry()
    const store = fakeCommand('secret-tool', `[ "$1" = lookup ] && echo ${STORE_TOKEN}`)
    writeFileSync(join(dataDir, 'login.json'), JSON.stringify({account: ACCOUNT}))
    expectListedWith(await connections(), STORE_TOKEN)
    expect(calls(store)).to.include(`lookup service heroku-cli account ${ACCOUNT}`)
  })

  it('a credential store that fails falls back to netrc, the CLI\'s way', async () => {
    netrcEntry()
    const store = fakeCommand('secret-tool', 'echo "No such secret collection" >&2; exit 1')
    writeFileSync(join(dataDir, 'login.json'), JSON.stringify({account: ACCOUNT}))
    expectListedWith(await connections(), NETRC_TOKEN)
    expect(calls(store)).to.include(`lookup service heroku-cli account ${ACCOUNT}`)
  })

  it('a credential store without login.json, or with HEROKU_NETRC_WRITE=true, is not asked: netrc', async () => {
    netrcEntry()
    const store = fakeCommand('secret-tool', `echo ${STORE_TOKEN}`)
    expectListedWith(await connections(), NETRC_TOKEN)
    writeFileSync(join(dataDir, 'login.json'), JSON.stringify({account: ACCOUNT}))
    platform.requests.length = 0
    expectListedWith(await connections({HEROKU_NETRC_WRITE: 'true'}), NETRC_TOKEN)
    expect(calls(store).filter(c => c.startsWith('lookup'))).to.deep.equal([])
  })

  it('an encrypted ~/.netrc.gpg is decrypted with gpg, as the CLI does', async () => {
    netrc('not really encrypted', '.netrc.gpg')
    const gpg = fakeCommand('gpg', `printf 'machine ${apiHost()}\\n  login ${ACCOUNT}\\n  password ${GPG_TOKEN}\\n'`)
    expectListedWith(await connections(), GPG_TOKEN)
    expect(calls(gpg)[0]).to.equal(`--batch --quiet --decrypt ${join(home, '.netrc.gpg')}`)
  })

  it('a 401 with HEROKU_API_KEY set: the CLI\'s message about that variable, exit 1, no token shown', async () => {
    refuseResolution(401, {id: 'unauthorized', message: 'Invalid credentials provided.'})
    const r = await connections({HEROKU_API_KEY: KEY_TOKEN})
    expect(r.code, explain(r)).to.equal(1)
    expect(r.stderr).to.contain('The token provided to HEROKU_API_KEY is invalid. Please double-check that you have the correct token, or run `heroku login` without HEROKU_API_KEY set.')
    expect(r.stdout).to.equal('')
    expect(applink.requests).to.deep.equal([])
    expectNoSecrets(r.stdout + r.stderr, SECRETS)
  })

  it('a 401 with a netrc token and no terminal: the refusal and how to log in again, never a login prompt', async () => {
    netrcEntry()
    refuseResolution(401, {id: 'unauthorized', message: 'Invalid credentials provided.'})
    const r = await connections()
    expect(r.code, explain(r)).to.equal(1)
    expect(r.stderr).to.contain('Invalid credentials provided.')
    expect(r.stderr).to.contain('Log in again with: heroku login (or set HEROKU_API_KEY)')
    expect(r.stderr).not.to.contain('Press any key')
    expect(applink.requests).to.deep.equal([])
    expectNoSecrets(r.stdout + r.stderr, SECRETS)
  })

  it('a two-factor demand without a terminal: the CLI\'s own error', async () => {
    netrcEntry()
    refuseResolution(403, {app: {name: APP.name}, id: 'two_factor', message: 'A second authentication factor is required.'})
    const r = await connections()
    expect(r.code, explain(r)).to.not.equal(0)
    expect(r.stderr).to.contain('Two-factor authentication requires an interactive terminal.')
    expect(platform.requests.some(q => q.method === 'PUT')).to.equal(false)
  })

  describe('a two-factor demand on a terminal, the plugin as installed (its own copies beside the CLI\'s), telemetry at its default', () => {
    let installed: Stage
    let marker: string
    before(async function () {
      this.timeout(240_000)
      installed = await installedStage()
    })
    after(() => installed?.cleanup())
    beforeEach(() => {
      marker = join(mkdtempSync(join(tmp, 'marker-')), 'loaded')
      netrcEntry()
    })

    /**
     * `heroku applink:connections` on a terminal, every resolution read demanding a second factor
     * until the app is pre-authorized with 246810; types `keys` at the CLI's prompt. The plugin
     * never loads its own copy of a package the CLI has.
     */
    async function atTwoFactorPrompt(keys: string): Promise<PtyResult> {
      let preauthorized = false
      platform.reset()
      platform.on('PUT', `/apps/${APP.name}/pre-authorizations`, q => {
        preauthorized = q.headers['heroku-two-factor-code'] === '246810'
        return {body: {}}
      })
      for (const [path, body] of resolutionRoutes(`${applink.url}${BASE}`)) {
        platform.always('GET', path, () => preauthorized
          ? {body}
          : {body: {app: {name: APP.name}, id: 'two_factor', message: 'A second authentication factor is required.'}, status: 403})
      }

      const t = herokuOnTerminal(installed, ['applink:connections', '-a', APP.name], env({...TELEMETRY_DEFAULT, [OWN_COPY_MARKER]: marker}))
      await t.waitFor(/Two-factor code/)
      t.write(keys)
      const r = await t.done
      expect(existsSync(marker), 'the plugin loaded its own copy of a package the CLI has').to.equal(false)
      return r
    }

    it('the CLI\'s own prompt (from the CLI\'s copy of @heroku-cli/command): the code pre-authorizes the app and the command goes on', async () => {
      const r = await atTwoFactorPrompt('246810\r')
      expect(r.code, r.text).to.equal(0)
      expect(r.text).to.contain('cred_org')
      expect(platform.requests.filter(q => q.method === 'PUT').map(q => q.headers['heroku-two-factor-code'])).to.deep.equal(['246810'])
      for (const q of platform.requests) expect(q.headers.authorization).to.equal(`Bearer ${NETRC_TOKEN}`)
      expectNoSecrets(r.text, SECRETS)
    })

    it('Ctrl-C at the prompt: exit 130, interrupted, no pre-authorization and nothing asked of AppLink', async () => {
      const r = await atTwoFactorPrompt('\u0003')
      expect(r.code, r.text).to.equal(130)
      expect(r.text).to.equal('? Two-factor code\nError: Interrupted at the Heroku CLI\'s prompt: nothing was changed.\n')
      expect(platform.requests.filter(q => q.method === 'PUT')).to.deep.equal([])
      expect(applink.requests).to.deep.equal([])
    })
  })
})
