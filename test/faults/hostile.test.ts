/**
 * A hostile (or broken) server against the commands: control characters in everything it says, a
 * login URL that is not a web page, malformed shapes, answers nested 100,000 deep, and a Platform
 * API response that trickles one byte at a time. The output is asserted raw (no ANSI stripping):
 * what would reach the terminal.
 */
import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {APP, BASE, root, run} from '../helpers/applink.js'
import {type Backend, useBackend, useRealNetwork} from '../helpers/backend.js'
import {aliasBomb, deepJson} from '../helpers/hostile.js'
import {STACK} from './cases.js'

const ENV = {APPLINK_HTTP_TIMEOUT: '0.5', APPLINK_POLL_INTERVAL_MS: '20', APPLINK_WAIT_TIMEOUT: '20', CI: 'true'}
const FOREVER = Number.POSITIVE_INFINITY

/** Terminal controls a hostile server may send: window title (OSC 0), a hyperlink (OSC 8), clear screen, C1 CSI, carriage return, backspace. */
const TITLE = '\u001B]0;pwned\u0007'
const LINK = '\u001B]8;;https://evil.example/\u0007click\u001B]8;;\u0007'
const CLEAR = '\u001B[2J'
const C1 = '\u009B31m'
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/

interface Raw {
  exitCode: number
  stderr: string
  stdout: string
}

/** Runs a command through oclif's lifecycle; stdout and stderr exactly as written. */
async function runRaw(args: string[]): Promise<Raw> {
  const previous = process.exitCode
  process.exitCode = undefined
  try {
    const {error, stderr, stdout} = await runCommand([...args, '-a', APP.name], {root}, {stripAnsi: false})
    return {exitCode: error ? (error.oclif?.exit ?? 1) : Number(process.exitCode ?? 0), stderr, stdout}
  } finally {
    process.exitCode = previous
  }
}

function expectNoRawControls(r: Raw): void {
  expect(RAW_CONTROL.test(r.stdout), JSON.stringify(r.stdout)).to.equal(false)
  expect(RAW_CONTROL.test(r.stderr), JSON.stringify(r.stderr)).to.equal(false)
}

describe('commands against a hostile server', function () {
  this.timeout(30_000)
  useRealNetwork()
  const backend = useBackend({}, ENV)
  let server: Backend
  beforeEach(() => {
    server = backend()
  })

  describe('control characters from the service', () => {
    const evil = {
      created_at: '2026-11-01T10:00:00Z',
      created_by: `dev@example.com${CLEAR}`,
      id: 'e0e0e0e0-1111-4222-8333-444444444444',
      org: {connection_name: `evil${TITLE}`, id: `00D${C1}`, instance_url: `https://evil.example${LINK}`, type: 'SalesforceOrg', username: `admin\rroot\b`},
      status: 'connected',
    }

    it('shows them as visible escapes in a table; --json keeps the data', async () => {
      server.inject('GET', `${BASE}/connections`, {body: [evil], status: 200}, {times: 2})
      const r = await runRaw(['applink:connections'])
      expect(r.exitCode, r.stderr).to.equal(0)
      expectNoRawControls(r)
      expect(r.stdout).to.contain(String.raw`evil\x1b]0;pwned\x07`)
      expect(r.stdout).to.contain(String.raw`00D\x9b31m`)
      expect(r.stdout).to.contain(String.raw`admin\rroot\b`)

      const json = await runRaw(['applink:connections', '--json'])
      expect(JSON.parse(json.stdout)[0].org).to.deep.equal(evil.org)
    })

    it('shows them as visible escapes in an info block and its hint', async () => {
      server.inject('GET', `${BASE}/connections/evil`, {body: {...evil, error: {id: 'org_failed', message: `denied${TITLE}`}, status: `failed`}, status: 200})
      const r = await runRaw(['applink:connections:info', 'evil'])
      expectNoRawControls(r)
      expect(r.stdout).to.match(/Connection Name: +evil\\x1b]0;pwned\\x07\n/)
      expect(r.stdout).to.match(/Created By: +dev@example.com\\x1b\[2J\n/)
      expect(r.stdout).to.match(/Error: +denied\\x1b]0;pwned\\x07 \(org_failed\)\n/)
      expect(r.stdout).to.match(/Org ID: +00D\\x9b31m\n/)
      expect(r.stdout).to.match(/Instance URL: +https:\/\/evil.example\\x1b]8;;https:\/\/evil.example\/\\x07click\\x1b]8;;\\x07\n/)
      expect(r.stderr).to.equal(String.raw`Reconnect with: heroku salesforce:connect evil\x1b]0;pwned\x07 -a my-app` + '\n')
    })

    it('shows them in AppLink\'s and the Platform API\'s error messages', async () => {
      server.inject('GET', `${BASE}/connections`, {body: {id: 'bad', message: `refused${CLEAR}${TITLE}\r\nFake: line`}, status: 422})
      const applink = await runRaw(['applink:connections'])
      expect(applink.exitCode).to.equal(1)
      expectNoRawControls(applink)
      expect(applink.stderr).to.contain(String.raw`Error: refused\x1b[2J\x1b]0;pwned\x07\r` + '\nFake: line')

      server.inject('GET', `/apps/${APP.name}`, {body: {id: 'forbidden', message: `no${C1}${LINK}`}, status: 403})
      const platform = await runRaw(['applink:connections'])
      expect(platform.exitCode).to.not.equal(0)
      expectNoRawControls(platform)
      expect(platform.stderr).to.contain(String.raw`Error: no\x9b31m\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07`)
    })

    it('shows them in progress lines and the printed login URL', async () => {
      const pending = {id: 'e1e1e1e1-1111-4222-8333-444444444444', org: {connection_name: 'new_org', type: 'SalesforceOrg'}, redirect_uri: `https://login.example/${LINK}`, status: `connecting${CLEAR}`}
      server.inject('POST', `${BASE}/connections/salesforce`, {body: pending, status: 201})
      server.inject('GET', `${BASE}/connections/${pending.id}`, {body: {...pending, redirect_uri: undefined, status: 'connected'}, status: 200})
      const r = await runRaw(['salesforce:connect', 'new_org'])
      expect(r.exitCode, r.stderr).to.equal(0)
      expectNoRawControls(r)
      expect(r.stderr).to.contain(String.raw`Open this URL in a browser to log in: https://login.example/\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07`)
      expect(r.stderr).to.contain(String.raw`: connecting\x1b[2J`)
    })
  })

  describe('the login URL and the browser', () => {
    const launched: string[] = []
    let restore: () => void
    before(async () => {
      // the compiled plugin's launcher, the one the commands use
      const {browserLauncher} = await import('../../dist/lib/ui/browser.js')
      const original = browserLauncher.launch
      browserLauncher.launch = async (url: string) => {
        launched.push(url)
        const {EventEmitter} = await import('node:events')
        const child = new EventEmitter()
        setImmediate(() => child.emit('exit', 0))
        return child
      }

      restore = () => {
        browserLauncher.launch = original
      }
    })
    after(() => restore())
    beforeEach(() => {
      launched.length = 0
    })

    const connectWith = async (redirectUri: string) => {
      const pending = {id: 'e2e2e2e2-1111-4222-8333-444444444444', org: {connection_name: 'new_org', type: 'SalesforceOrg'}, redirect_uri: redirectUri, status: 'connecting'}
      server.inject('POST', `${BASE}/connections/salesforce`, {body: pending, status: 201})
      server.inject('GET', `${BASE}/connections/${pending.id}`, {body: {...pending, status: 'connected'}, status: 200}, {times: FOREVER})
      return runRaw(['salesforce:connect', 'new_org', '--browser', 'chromium'])
    }

    for (const [uri, reason] of [
      ['--remote-debugging-port=9222', 'it is not a URL'],
      ['file:///etc/passwd', 'it is a file: URL, and only http and https URLs are opened'],
      ['javascript:alert(1)', 'it is a javascript: URL, and only http and https URLs are opened'],
    ]) {
      it(`never hands ${uri} to the browser, and says why`, async () => {
        const r = await connectWith(uri)
        expect(launched).to.deep.equal([])
        expect(r.stderr).to.contain(`Not opening the login URL in a browser: ${reason}. Check it before opening it yourself: ${uri}\n`)
        expect(r.exitCode, r.stderr).to.equal(0)
      })
    }

    it('opens an https login URL, in its parsed form', async () => {
      const r = await connectWith('https://login.example/oauth?x=a b')
      expect(r.exitCode, r.stderr).to.equal(0)
      expect(launched).to.deep.equal(['https://login.example/oauth?x=a%20b'])
    })
  })

  describe('malformed answers', () => {
    it('an add-on list holding [null, 5, "x"]: an error naming the request', async () => {
      server.inject('GET', `/apps/${APP.name}/addons`, {body: [null, 5, 'x'], status: 200}, {times: FOREVER})
      const r = await runRaw(['applink:connections'])
      expect(r.exitCode).to.equal(1)
      expect(r.stderr).to.contain(`Error: GET /apps/${APP.name}/addons returned an unexpected response: expected a list of objects, item 1 is null.`)
      expect(r.stderr).not.to.match(/Cannot read|TypeError/)
    })

    for (const [value, problem] of [['ftp://files.example/applink', 'is a ftp: URL, not an http(s) URL'], ['applink.example.com', 'is not a URL']]) {
      it(`an _API_URL config var ${JSON.stringify(value)}: an error naming the config var`, async () => {
        server.inject('GET', `/apps/${APP.name}/config-vars`, {body: {HEROKU_APPLINK_API_URL: value, HEROKU_APPLINK_TOKEN: 'applink-token-5d8e2f4a6c'}, status: 200})
        const r = await runRaw(['applink:connections'])
        expect(r.exitCode).to.equal(1)
        expect(r.stderr).to.contain(`Error: The HEROKU_APPLINK_API_URL config var of ${APP.name} ${problem}.\n  › The applink-curved-12345 add-on sets it; check it with: heroku config -a ${APP.name}\n`)
        expect(r.stderr).not.to.contain('Invalid URL')
      })
    }

    it('a connection nested 100,000 levels deep: one JSON document with --json, a clear error without', async () => {
      const deep = `{"id": "c", "status": "connected", "org": {"connection_name": "deep", "extra": ${deepJson()}}}`
      server.inject('GET', `${BASE}/connections/deep`, {body: deep, status: 200}, {times: 8})
      const json = await runRaw(['applink:connections:info', 'deep', '--json'])
      expect(json.exitCode).to.equal(1)
      expect(JSON.parse(json.stdout).error).to.deep.include({id: 'invalid_response', message: `GET ${BASE}/connections/deep returned an unexpected response (HTTP 200): it nests more than 100 levels deep.`})
      const human = await runRaw(['applink:connections:info', 'deep'])
      expect(human.exitCode).to.equal(1)
      expect(human.stderr).to.contain(`Error: GET ${BASE}/connections/deep returned an unexpected response (HTTP 200): it nests more than 100 levels deep.`)
      expect(human.stderr).not.to.match(/Maximum call stack|RangeError/)
      expect(human.stderr).not.to.match(STACK)
    })
  })

  describe('hostile specs', () => {
    let dir: string
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'applink-hostile-'))
      writeFileSync(join(dir, 'bomb.yaml'), aliasBomb())
      writeFileSync(join(dir, 'deep.json'), deepJson())
    })
    after(() => rmSync(dir, {force: true, recursive: true}))

    for (const [file, where, message] of [
      ['bomb.yaml', '9:27', 'YAML error: expanding the aliases would add more than 100,000 values to the document'],
      ['deep.json', '1:101', 'the document nests objects and arrays more than 100 levels deep'],
    ]) {
      it(`applink:spec:validate and salesforce:publish refuse ${file} at once (exit 2), nothing sent`, async () => {
        const validate = await run(['applink:spec:validate', join(dir, file)])
        expect(validate.exitCode).to.equal(2)
        expect(validate.stdout + validate.stderr).to.contain(`${where}`).and.to.contain(message)
        expect(validate.stderr).not.to.match(/Maximum call stack|RangeError/)

        const publish = await runRaw(['salesforce:publish', join(dir, file), '-c', 'Orders', '--connection-name', 'my_org'])
        expect(publish.exitCode).to.equal(2)
        expect(publish.stderr).to.contain(message)
        expect(server.seen('POST')).to.deep.equal([])
      })
    }
  })

  it('a Platform API answer that trickles a byte every 0.3 s: a timeout naming the request', async () => {
    server.inject('GET', `/apps/${APP.name}/addon-attachments`, 'trickle', {times: FOREVER})
    const r = await runRaw(['applink:connections'])
    expect(r.exitCode).to.equal(1)
    expect(r.stderr).to.match(new RegExp(`Error: GET /apps/${APP.name}/addon-attachments timed out: no response from \\S+ within 0.5 s.\\n`))
    // tried once and retried three times: each attempt cut off at its deadline
    expect(server.seen('GET', `/apps/${APP.name}/addon-attachments`)).to.have.length(4)
  })
})
