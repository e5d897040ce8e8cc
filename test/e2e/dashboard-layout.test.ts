/**
 * The emulator's dashboard in a real headless browser (Debian's chromium through playwright-core)
 * at 900 px: nothing scrolls sideways, names stay on one line, and it speaks the CLI's words
 * ("Salesforce Org", the External Service's name).
 */
import {expect} from 'chai'
import {zipSync} from 'fflate'
import {readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {type Browser, chromium} from 'playwright-core'

import type {Emulator} from '../../src/emulator/server/server.js'
import {answerLogin, applink, provision, removeTempDirs, start} from '../emulator/helpers.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SPEC = readFileSync(new URL('../emulator/fixtures/orders.yaml', import.meta.url))

describe('emulator dashboard at 900 px in chromium', function () {
  this.timeout(120_000)
  let emu: Emulator
  let browser: Browser

  before(async function () {
    this.timeout(150_000)
    emu = await start()
    const p = await provision(emu, 'orders-service-production')
    await provision(emu, 'billing-worker-staging-eu')
    const login = (path: string, body: Record<string, string>, answer: Record<string, string>) => applink(emu, p, 'POST', path, body).then(r => answerLogin(r.body.redirect_uri, answer))
    await login('/connections/salesforce', {connection_name: 'production_org'}, {decision: 'allow', username: 'integration.user@orders-company.example'})
    await login('/connections/datacloud', {connection_name: 'customer_data_cloud'}, {decision: 'deny'})
    await login('/authorizations/salesforce', {developer_name: 'orders_user_auth'}, {decision: 'allow'})
    const form = new FormData()
    form.append('metadata', new Blob([zipSync({'api-spec.yaml': new Uint8Array(SPEC)})], {type: 'application/zip'}), 'metadata.zip')
    form.append('app_request', new Blob([JSON.stringify({client_name: 'OrdersAPI'})], {type: 'application/json'}))
    const res = new Response(form)
    const published = await applink(emu, p, 'POST', '/connections/salesforce/production_org/apps', Buffer.from(await res.arrayBuffer()), {'content-type': res.headers.get('content-type')!})
    expect(published.status, published.text).to.be.oneOf([200, 201, 202])
    browser = await chromium.launch({args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'], executablePath: CHROMIUM})
  })
  after(async () => {
    await browser?.close()
    await emu?.close()
    removeTempDirs()
  })

  it('fits 900 px without sideways scrolling, keeps names on one line, and uses the CLI\'s words', async () => {
    const page = await browser.newPage({viewport: {height: 900, width: 900}})
    try {
      await page.goto(`${emu.url}/`)
      await page.screenshot({fullPage: true, path: join(tmpdir(), 'applink-dashboard-900.png')})
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
      expect(scrollWidth, 'the page scrolls sideways').to.be.at.most(900)
      // every name-like cell is drawn on a single line
      const wrapped = await page.evaluate(() => [...document.querySelectorAll('td.name, td.app, td.addon, td.type, td.connection, td.status')]
      .filter(td => {
        const range = document.createRange()
        range.selectNodeContents(td)
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)))
        return tops.size > 1
      })
      .map(td => td.textContent))
      expect(wrapped, 'cells drawn on more than one line').to.deep.equal([])
      expect(await page.textContent('#connections tr.row:nth-child(1) td.type')).to.equal('Salesforce Org')
      expect(await page.textContent('#connections tr.row:nth-child(2) td.type')).to.equal('Data Cloud Org')
      expect(await page.textContent('#publications tr.row td.esr-name')).to.equal('OrdersAPI')
    } finally {
      await page.close()
    }
  })
})
