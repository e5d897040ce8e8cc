/**
 * End to end with a real headless browser (Debian's chromium driven by playwright-core): the
 * `heroku` CLI runs `salesforce:connect` without a TTY against the emulator (no --auto-approve), so
 * it prints the login URL on stderr and polls; the browser opens that URL, fills the login form and
 * clicks Allow (the command then exits 0) or Deny (exit 1 with the reason), or picks an existing org
 * on the page for a user of another domain. Then the browser reads the emulator's dashboard.
 */
import {expect} from 'chai'
import {type Browser, chromium, type Page} from 'playwright-core'

import {type CliHandle, expectNoSecrets, explain} from '../integration/helpers/cli.js'
import {type EmulatorFixture, startEmulatorFixture} from './helpers/emulator.js'

const APP = 'e2e-browser'
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const LOGIN_LINE = /Open this URL in a browser to log in: (\S+)\n/

describe('e2e: OAuth login in a headless browser, and the dashboard', function () {
  this.timeout(90_000)

  let emu: EmulatorFixture
  let browser: Browser
  let page: Page
  let applinkToken = ''
  const running: CliHandle[] = []

  before(async function () {
    this.timeout(150_000)
    emu = await startEmulatorFixture({autoApprove: false})
    browser = await chromium.launch({
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      executablePath: CHROMIUM,
    })
    for (const args of [['apps:create', APP], ['addons:create', 'heroku-applink', '-a', APP]]) {
      const r = await emu.heroku(args)
      expect(r.code, `heroku ${args.join(' ')}\n${explain(r)}`).to.equal(0)
    }

    const config = await emu.heroku(['config', '-a', APP, '--json'])
    applinkToken = (JSON.parse(config.stdout) as Record<string, string>).HEROKU_APPLINK_TOKEN
    expect(applinkToken).to.be.a('string')
  })

  beforeEach(async () => {
    page = await browser.newPage()
  })

  afterEach(async () => {
    await page?.close()
    // a command left waiting by a failed test must not outlive it
    for (const handle of running.splice(0)) await handle.stop('SIGKILL')
  })

  after(async () => {
    await browser?.close()
    await emu?.stop()
  })

  /** Starts `heroku salesforce:connect NAME` in the background and returns it with the login URL it printed. */
  async function startConnect(name: string): Promise<{handle: CliHandle; url: string}> {
    const handle = emu.start(['salesforce:connect', name, '-a', APP])
    running.push(handle)
    const [, url] = await handle.waitFor(LOGIN_LINE, {stream: 'stderr', timeoutMs: 30_000})
    expect(url.startsWith(`${emu.emulator.url}/oauth/login?state=`), url).to.equal(true)
    return {handle, url}
  }

  /** Waits for the command to end (it must end by itself) and returns its result. */
  async function finished(handle: CliHandle) {
    const timer = setTimeout(() => handle.stop('SIGKILL'), 30_000)
    const r = await handle.done
    clearTimeout(timer)
    running.splice(running.indexOf(handle), 1)
    if (process.env.SHOW_OUTPUT) console.error(`$ heroku ${handle.args.join(' ')}\n${explain(r)}`)
    return r
  }

  it('Allow: the browser logs in as the given user and the waiting command exits 0 with the org', async () => {
    const {handle, url} = await startConnect('web_org')
    await page.goto(url)
    expect(await page.title()).to.contain('Log in to Salesforce')
    expect(await page.textContent('#record-name')).to.equal('web_org')
    expect(await page.textContent('#app-name')).to.equal(APP)
    await page.fill('#username', 'alice@web.example')
    await page.click('#allow')
    await page.waitForSelector('#result')
    expect(await page.getAttribute('#result', 'data-status')).to.equal('connected')
    expect(await page.textContent('#result h1')).to.equal('Connected')
    expect(await page.textContent('#result-username')).to.equal('alice@web.example')

    const r = await finished(handle)
    expect(r.code, explain(r)).to.equal(0)
    expect(r.stderr).to.contain(`Connecting Salesforce org web_org to ${APP}: connected\n`)
    expect(r.stdout).to.match(/Connection Name:\s+web_org\n/)
    expect(r.stdout).to.match(/Status:\s+connected\n/)
    expect(r.stdout).to.match(/Username:\s+alice@web\.example\n/)
    expectNoSecrets(r.stdout + r.stderr, [applinkToken, emu.env.HEROKU_API_KEY])
  })

  it('Deny: the waiting command exits 1 and says the login was denied', async () => {
    const {handle, url} = await startConnect('denied_org')
    await page.goto(url)
    await page.click('#deny')
    await page.waitForSelector('#result')
    expect(await page.getAttribute('#result', 'data-status')).to.equal('failed')
    expect(await page.textContent('#result h1')).to.equal('Access denied')

    const r = await finished(handle)
    expect(r.code, explain(r)).to.equal(1)
    expect(r.stdout).to.equal('')
    expect(r.stderr).to.contain(`Connecting Salesforce org denied_org to ${APP}: failed\n`)
    expect(r.stderr).to.contain('Error: Salesforce connection denied_org failed: The Salesforce user denied access (OAuth error access_denied: end-user denied authorization).\n')
    expectNoSecrets(r.stdout + r.stderr, [applinkToken, emu.env.HEROKU_API_KEY])
  })

  it('picking an org on the login page: a user of another domain joins that org, and the command shows it', async () => {
    const {handle, url} = await startConnect('picked_org')
    await page.goto(url)
    const options = await page.$$eval('#login_as option', list => list.map(o => [(o as HTMLOptionElement).value, o.textContent]))
    // the org web_org's login started (named after its user's domain), with that user
    const webOrg = options.find(([, text]) => text === 'the username above, in web')?.[0] ?? ''
    expect(webOrg).to.match(/^org:00D\w{15}$/)
    expect(options.map(([, text]) => text)).to.include('alice@web.example')
    await page.fill('#username', 'bob@elsewhere.example')
    await page.selectOption('#login_as', webOrg)
    await page.click('#allow')
    await page.waitForSelector('#result')
    expect(await page.getAttribute('#result', 'data-status')).to.equal('connected')
    expect(await page.textContent('#result-username')).to.equal('bob@elsewhere.example')
    expect(await page.textContent('#result-org-name')).to.equal('web')
    const orgId = webOrg.slice('org:'.length)
    expect(await page.textContent('#result-org-id')).to.equal(orgId)

    const r = await finished(handle)
    expect(r.code, explain(r)).to.equal(0)
    expect(r.stdout).to.match(new RegExp(`Org ID:\\s+${orgId}\\n`))
    expect(r.stdout).to.match(/Username:\s+bob@elsewhere\.example\n/)
  })

  it('the dashboard lists the app, its add-on, the connections with their statuses and the one org with its users, and no token', async () => {
    await page.goto(`${emu.emulator.url}/`)
    expect(await page.title()).to.equal('AppLink emulator')
    const apps = await page.$$eval('#apps tr.row td.name', cells => cells.map(c => c.textContent))
    expect(apps).to.deep.equal([APP])
    const addonApp = await page.$$eval('#addons tr.row td.app', cells => cells.map(c => c.textContent))
    expect(addonApp).to.deep.equal([APP])
    const connections = await page.$$eval('#connections tr.row', rows => rows.map(r => [r.querySelector('td.name')?.textContent, r.querySelector('td.status .status')?.textContent, r.querySelector('td.username')?.textContent]))
    expect(connections).to.deep.include(['web_org', 'connected', 'alice@web.example'])
    expect(connections).to.deep.include(['picked_org', 'connected', 'bob@elsewhere.example'])
    // one org, web, with both users
    const orgs = await page.$$eval('#orgs .org', list => list.map(o => [o.querySelector('h3')?.textContent, o.querySelector('.org-users')?.textContent]))
    expect(orgs.map(([h3, users]) => [h3?.replace(/ 00D\w{15}$/, ''), users])).to.deep.equal([['web', 'alice@web.example, bob@elsewhere.example']])
    expect(connections.find(c => c[0] === 'denied_org')?.[1]).to.equal('failed')
    const html = await page.content()
    expectNoSecrets(html, [applinkToken, emu.env.HEROKU_API_KEY])
  })
})
