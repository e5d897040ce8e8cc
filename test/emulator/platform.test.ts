import {expect} from 'chai'

import type {Emulator} from '../../src/emulator/server/server.js'
import {platform, provision, removeTempDirs, request, start} from './helpers.js'

describe('emulator: Heroku Platform API', () => {
  let emu: Emulator
  beforeEach(async () => {
    emu = await start()
  })
  afterEach(async () => {
    await emu.close()
    removeTempDirs()
  })

  it('listens on 127.0.0.1 only and requires its API key', async () => {
    expect(emu.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/)
    const none = await request(`${emu.url}/apps`)
    expect(none.status).to.equal(401)
    expect(none.body).to.deep.equal({id: 'unauthorized', message: 'No credentials: send the emulator\'s API key as "Authorization: Bearer KEY".'})
    const wrong = await platform(emu, 'GET', '/apps', undefined, {}, 'not-the-key')
    expect(wrong.status).to.equal(401)
    expect(wrong.body.id).to.equal('unauthorized')
    const basic = await request(`${emu.url}/account`, {headers: {authorization: `Basic ${Buffer.from(`me@example.com:${emu.apiKey}`).toString('base64')}`}})
    expect(basic.status).to.equal(200)
    expect(basic.body.email).to.equal('developer@emulator.local')
  })

  it('creates, lists, shows and destroys apps with Heroku\'s name rules', async () => {
    const created = await platform(emu, 'POST', '/apps', {name: 'my-app'})
    expect(created.status).to.equal(201)
    expect(created.body).to.include({name: 'my-app', web_url: 'https://my-app.emulator.local/'})
    expect(created.body.id).to.match(/^[0-9a-f-]{36}$/)
    expect(created.body.owner).to.deep.include({email: 'developer@emulator.local'})
    expect((await platform(emu, 'POST', '/apps', {name: 'my-app'})).body).to.deep.equal({id: 'invalid_params', message: 'Name my-app is already taken'})
    const bad = await platform(emu, 'POST', '/apps', {name: 'My_App'})
    expect(bad.status).to.equal(422)
    expect(bad.body.message).to.contain('lowercase letters, digits, and dashes')
    const generated = await platform(emu, 'POST', '/apps')
    expect(generated.status).to.equal(201)
    expect(generated.body.name).to.match(/^[a-z]+-[a-z]+-\d{5}$/)

    const list = await platform(emu, 'GET', '/users/~/apps')
    expect(list.body.map((a: {name: string}) => a.name).sort()).to.deep.equal([generated.body.name, 'my-app'].sort())
    expect((await platform(emu, 'GET', `/apps/${created.body.id}`)).body.name).to.equal('my-app')
    const missing = await platform(emu, 'GET', '/apps/nope')
    expect(missing.status).to.equal(404)
    expect(missing.body).to.deep.equal({id: 'not_found', message: 'Couldn\'t find that app.', resource: 'app'})

    expect((await platform(emu, 'DELETE', '/apps/my-app')).status).to.equal(200)
    expect((await platform(emu, 'GET', '/apps/my-app')).status).to.equal(404)
  })

  it('provisions heroku-applink, sets its config vars and answers the SSO endpoint', async () => {
    await platform(emu, 'POST', '/apps', {name: 'my-app'})
    const addon = await platform(emu, 'POST', '/apps/my-app/addons', {attachment: {}, config: {}, plan: {name: 'heroku-applink'}})
    expect(addon.status).to.equal(201)
    expect(addon.body).to.deep.include({config_vars: ['HEROKU_APPLINK_API_URL', 'HEROKU_APPLINK_TOKEN'], state: 'provisioned'})
    expect(addon.body.addon_service.name).to.equal('heroku-applink')
    expect(addon.body.app.name).to.equal('my-app')
    expect(addon.body.name).to.match(/^applink-[a-z]+-\d{5}$/)

    const config = await platform(emu, 'GET', '/apps/my-app/config-vars')
    expect(config.body.HEROKU_APPLINK_API_URL).to.equal(`${emu.url}/addons/${addon.body.id}`)
    expect(config.body.HEROKU_APPLINK_TOKEN).to.match(/^[0-9a-f]{48}$/)

    const attachments = await platform(emu, 'GET', '/apps/my-app/addon-attachments')
    expect(attachments.body).to.have.length(1)
    expect(attachments.body[0]).to.deep.include({addon: {app: {id: addon.body.app.id, name: 'my-app'}, id: addon.body.id, name: addon.body.name}, name: 'HEROKU_APPLINK'})

    const sso = await platform(emu, 'GET', `/apps/my-app/addons/${addon.body.id}/sso`, undefined, {accept: 'application/vnd.heroku+json; version=3.sdk'})
    expect(sso.status).to.equal(200)
    expect(sso.body).to.deep.include({action: `${emu.url}/sso/login`, method: 'POST'})
    expect(sso.body.params).to.include({app: 'my-app', email: 'developer@emulator.local', id: addon.body.id})
    expect(sso.body.params.token).to.match(/^[0-9a-f]{64}$/)
    // the SSO form lands on the dashboard; a forged token does not
    const landing = await request(sso.body.action, {body: new URLSearchParams(sso.body.params).toString(), headers: {'content-type': 'application/x-www-form-urlencoded'}, method: 'POST'})
    expect(landing.status).to.equal(303)
    expect(landing.headers.get('location')).to.equal('/')
    const forged = await request(sso.body.action, {body: new URLSearchParams({...sso.body.params, token: 'f'.repeat(64)}).toString(), headers: {'content-type': 'application/x-www-form-urlencoded'}, method: 'POST'})
    expect(forged.status).to.equal(403)
    expect(forged.body.id).to.equal('forbidden')
  })

  it('refuses other add-on services and plans, and add-on owned config vars', async () => {
    await platform(emu, 'POST', '/apps', {name: 'my-app'})
    const redis = await platform(emu, 'POST', '/apps/my-app/addons', {plan: {name: 'heroku-redis'}})
    expect(redis.status).to.equal(404)
    expect(redis.body.message).to.contain('The emulator provides only heroku-applink')
    expect((await platform(emu, 'POST', '/apps/my-app/addons', {plan: 'heroku-applink:premium'})).status).to.equal(404)
    expect((await platform(emu, 'POST', '/apps/my-app/addons', {plan: 'heroku-applink:base'})).status).to.equal(201)
    const patch = await platform(emu, 'PATCH', '/apps/my-app/config-vars', {FOO: 'bar', HEROKU_APPLINK_TOKEN: 'x'})
    expect(patch.status).to.equal(422)
    expect(patch.body.message).to.equal('HEROKU_APPLINK_TOKEN is set by an add-on attachment and cannot be changed.')
    const ok = await platform(emu, 'PATCH', '/apps/my-app/config-vars', {FOO: 'bar'})
    expect(ok.body.FOO).to.equal('bar')
    expect((await platform(emu, 'PATCH', '/apps/my-app/config-vars', {FOO: null})).body).to.not.have.property('FOO')
  })

  it('resolves add-ons like the heroku CLI asks, attaches them to other apps and destroys them', async () => {
    const p = await provision(emu)
    await platform(emu, 'POST', '/apps', {name: 'other-app'})
    for (const ref of [p.addon.name, p.addon.id, 'HEROKU_APPLINK', 'heroku-applink']) {
      const resolved = await platform(emu, 'POST', '/actions/addons/resolve', {addon: ref, app: 'my-app'})
      expect(resolved.status, ref).to.equal(200)
      expect(resolved.body.map((a: {id: string}) => a.id), ref).to.deep.equal([p.addon.id])
    }

    const unknown = await platform(emu, 'POST', '/actions/addons/resolve', {addon: 'nope', app: null})
    expect(unknown.status).to.equal(404)
    expect(unknown.body).to.deep.include({id: 'not_found', resource: 'add_on'})

    const attached = await platform(emu, 'POST', '/addon-attachments', {addon: {name: p.addon.name}, app: {name: 'other-app'}})
    expect(attached.status).to.equal(201)
    expect(attached.body.name).to.equal('HEROKU_APPLINK')
    const color = await platform(emu, 'POST', '/addon-attachments', {addon: {name: p.addon.name}, app: {name: 'other-app'}, name: 'SECOND'})
    expect(color.body.name).to.equal('SECOND')
    const other = await platform(emu, 'GET', '/apps/other-app/config-vars')
    expect(other.body).to.deep.equal({
      HEROKU_APPLINK_API_URL: p.apiUrl, HEROKU_APPLINK_TOKEN: p.token, SECOND_API_URL: p.apiUrl, SECOND_TOKEN: p.token,
    })
    const releases = await platform(emu, 'GET', '/apps/other-app/releases', undefined, {range: 'version ..; max=1, order=desc'})
    expect(releases.body).to.have.length(1)
    expect(releases.body[0].version).to.equal(3)

    // only the owning app destroys it; then every attachment and its config vars go
    expect((await platform(emu, 'DELETE', `/apps/other-app/addons/${p.addon.id}`)).status).to.equal(422)
    const destroyed = await platform(emu, 'DELETE', `/apps/${p.app.id}/addons/${p.addon.id}`, {force: false})
    expect(destroyed.status).to.equal(200)
    expect(destroyed.body.state).to.equal('deprovisioned')
    expect((await platform(emu, 'GET', '/apps/other-app/config-vars')).body).to.deep.equal({})
    expect((await platform(emu, 'GET', '/addon-attachments')).body).to.deep.equal([])
  })

  it('answers unknown routes and methods with 404/405 JSON', async () => {
    const unknown = await platform(emu, 'GET', '/nothing/here')
    expect(unknown.status).to.equal(404)
    expect(unknown.body).to.deep.equal({id: 'not_found', message: 'The emulator has no route for GET /nothing/here.'})
    const method = await platform(emu, 'PUT', '/apps')
    expect(method.status).to.equal(405)
    expect(method.body).to.deep.equal({id: 'method_not_allowed', message: 'PUT is not allowed on /apps; use GET or POST.'})
  })
})
