import {expect} from 'chai'

import type {Emulator} from '../../src/emulator/server/server.js'
import {answerLogin, applink, eachWithApp, type Provisioned, request, start} from './helpers.js'

/** The cells of the row of `section` whose first cell is `name`, keyed by their class. */
function row(html: string, section: string, name: string): Record<string, string> | undefined {
  const part = new RegExp(`<section id="${section}">([\\s\\S]*?)</section>`).exec(html)?.[1] ?? ''
  for (const tr of part.match(/<tr class="row"[\s\S]*?<\/tr>/g) ?? []) {
    const cells: Record<string, string> = {}
    for (const m of tr.matchAll(/<td class="([^"]+)">([\s\S]*?)<\/td>/g)) cells[m[1]] = m[2].replaceAll(/<[^>]+>/g, '')
    if (cells.name === name) return cells
  }

  return undefined
}

describe('emulator: dashboard', () => {
  let emu: Emulator
  let p: Provisioned
  eachWithApp((e, app) => {
    emu = e
    p = app
  })

  it('shows apps, add-ons, connections and authorizations with their statuses, and no token', async () => {
    const ok = await applink(emu, p, 'POST', '/connections/salesforce', {connection_name: 'my_org'})
    await answerLogin(ok.body.redirect_uri, {decision: 'allow', username: '<b>boss</b>@acme.example'})
    const denied = await applink(emu, p, 'POST', '/connections/datacloud', {connection_name: 'dc_org'})
    await answerLogin(denied.body.redirect_uri, {decision: 'deny'})
    await applink(emu, p, 'POST', '/connections/salesforce', {connection_name: 'waiting_org'})
    await applink(emu, p, 'POST', '/authorizations/salesforce', {developer_name: 'my_auth'})

    const page = await request(`${emu.url}/`)
    expect(page.status).to.equal(200)
    expect(page.headers.get('content-type')).to.equal('text/html; charset=utf-8')
    expect(page.text).to.contain(`<p id="summary">Serving ${emu.url} · 1 app · 1 add-on · 3 connections · 1 authorization · 0 publications`)
    expect(row(page.text, 'apps', 'my-app')).to.deep.include({addons: p.addon.name, id: p.app.id})
    expect(row(page.text, 'addons', p.addon.name)).to.deep.include({'api-url': p.apiUrl, app: 'my-app', attachments: 'my-app::HEROKU_APPLINK', plan: 'heroku-applink:base', status: 'provisioned'})
    const connected = row(page.text, 'connections', 'my_org')!
    expect(connected).to.deep.include({method: 'OAuth', status: 'connected', type: 'Salesforce Org', username: '&lt;b&gt;boss&lt;/b&gt;@acme.example'})
    expect(connected['org-id']).to.match(/^00D\w{15}$/)
    expect(row(page.text, 'connections', 'dc_org')).to.deep.include({error: 'The Salesforce user denied access (OAuth error access_denied: end-user denied authorization).', status: 'failed', type: 'Data Cloud Org'})
    expect(row(page.text, 'connections', 'waiting_org')!.status).to.equal('connecting log in')
    expect(page.text).to.match(/<span class="status status-connecting">connecting<\/span> <a class="login-link" href="\/oauth\/login\?state=[0-9a-f]{32}">log in<\/a>/)
    expect(row(page.text, 'authorizations', 'my_auth')).to.deep.include({app: 'my-app', method: 'OAuth', status: 'authorizing log in'})
    expect(page.text).to.contain('<p class="empty">Nothing published yet')
    expect(page.text).to.not.contain(p.token)
    expect(page.text).to.not.contain(emu.apiKey)
  })

  it('shows an empty state', async () => {
    const fresh = await start()
    const page = await request(`${fresh.url}/`)
    expect(page.text).to.contain('<section id="apps">\n<h2>Apps <span class="count">0</span></h2>\n<p class="empty">No apps yet: heroku apps:create NAME</p>')
    await fresh.close()
  })
})
