/**
 * An app using the published `@heroku/applink` SDK, run with the add-on's config vars and
 * HEROKU_APP_ID as Heroku would set them, gets its org credentials from the emulator. The SDK calls
 * `GET {HEROKU_APPLINK_API_URL}/authorizations/{name}` with `Authorization: Bearer
 * {HEROKU_APPLINK_TOKEN}` and `X-App-UUID: {HEROKU_APP_ID}`, and reads `org.user_auth`.
 */
import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

import type {Emulator} from '../../src/emulator/server/server.js'
import {answerLogin, applink, platform, provision, removeTempDirs, start, testKeys} from './helpers.js'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../..', import.meta.url))
const script = fileURLToPath(new URL('fixtures/sdk-app.mjs', import.meta.url))

describe('emulator: an app using the @heroku/applink SDK', () => {
  let emu: Emulator
  afterEach(async () => {
    await emu.close()
    removeTempDirs()
  })

  it('gets the authorization\'s org access token with the add-on\'s config vars and HEROKU_APP_ID', async function () {
    this.timeout(60_000)
    emu = await start()
    const p = await provision(emu)
    const added = await applink(emu, p, 'POST', '/authorizations/salesforce', {developer_name: 'my_auth'})
    await answerLogin(added.body.redirect_uri, {decision: 'allow', username: 'int@acme.example'})
    await applink(emu, p, 'POST', '/authorizations/datacloud/jwt', {alias: 'applink:dc_auth', client_id: 'c', developer_name: 'dc_auth', jwt_private_key: (await testKeys()).rsa, username: 'dc@acme.example'})
    const auth = emu.store.data.authorizations.find(a => a.name === 'my_auth')!
    const dc = emu.store.data.authorizations.find(a => a.name === 'dc_auth')!

    // the app's environment, as `heroku config` shows it plus the dyno metadata
    const config = (await platform(emu, 'GET', '/apps/my-app/config-vars')).body
    const env = {HOME: process.env.HOME, PATH: process.env.PATH, ...config, HEROKU_APP_ID: p.app.id}
    const {stdout} = await run(process.execPath, [script, 'my_auth', 'applink:dc_auth', 'nope'], {cwd: root, env, timeout: 50_000})
    const [mine, byAlias, missing] = stdout.trim().split('\n').map(l => JSON.parse(l))
    expect(mine).to.deep.equal({
      accessToken: auth.access_token,
      apiVersion: '62.0',
      domainUrl: emu.url,
      id: auth.org.id,
      name: 'my_auth',
      userId: auth.org.user_id,
      username: 'int@acme.example',
    })
    expect(mine.accessToken).to.match(/^00D\w{15}![0-9a-f]{60}$/)
    expect(byAlias).to.deep.include({accessToken: dc.access_token, id: dc.org.id, username: 'dc@acme.example'})
    expect(missing).to.deep.equal({error: 'Unable to get connection nope: HTTP Error Response: 404: Not Found', name: 'nope'})
  })

  it('is refused with another app\'s HEROKU_APP_ID', async function () {
    this.timeout(60_000)
    emu = await start()
    const p = await provision(emu)
    const other = await platform(emu, 'POST', '/apps', {name: 'other-app'})
    const config = (await platform(emu, 'GET', '/apps/my-app/config-vars')).body
    const env = {HOME: process.env.HOME, PATH: process.env.PATH, ...config, HEROKU_APP_ID: other.body.id}
    await applink(emu, p, 'POST', '/authorizations/salesforce/jwt', {client_id: 'c', developer_name: 'my_auth', jwt_private_key: (await testKeys()).rsa, username: 'u@acme.example'})
    const {stdout} = await run(process.execPath, [script, 'my_auth'], {cwd: root, env, timeout: 50_000})
    expect(JSON.parse(stdout)).to.deep.equal({error: 'Unable to get connection my_auth: HTTP Error Response: 403: Forbidden', name: 'my_auth'})
  })
})
