/**
 * The mesh's call: POST {HEROKU_APPLINK_API_URL}/invocations/authentication. 200 for an access
 * token this emulator issued for a user of an org connected to the add-on (a connected
 * connection: an authorization alone is refused, as the hosted mesh does); 403 for any other token,
 * org or add-on; 401 for a bearer that is not the add-on's token. Every call is logged.
 */
import {expect} from 'chai'

import type {Emulator} from '../../../src/emulator/server/server.js'
import {answerLogin, applink, provision, type Provisioned, removeTempDirs, request, start} from '../helpers.js'
import {authorize, type AuthorizedOrg} from './helpers.js'

describe('emulated org: invocation authentication for the service mesh', function () {
  this.timeout(60_000)
  let emu: Emulator
  let p: Provisioned
  let org: AuthorizedOrg
  const lines: string[] = []
  beforeEach(async () => {
    lines.length = 0
    emu = await start({log: line => lines.push(line)})
    p = await provision(emu)
    org = await authorize(emu, p)
  })

  /** `heroku salesforce:connect NAME`, logging in as `username`. */
  async function connect(name: string, username: string): Promise<void> {
    const made = await applink(emu, p, 'POST', '/connections/salesforce', {connection_name: name})
    await answerLogin(made.body.redirect_uri, {decision: 'allow', username})
  }
  afterEach(async () => {
    await emu.close()
    removeTempDirs()
  })

  const call = (body: unknown, token = p.token, apiUrl = p.apiUrl) => request(`${apiUrl}/invocations/authentication`, {
    body: JSON.stringify(body),
    headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json', request_id: 'req-42'},
    method: 'POST',
  })
  const context = (over: Record<string, unknown> = {}) => ({app_uuid: p.app.id, core_jwt_token: org.accessToken, org_domain_url: org.instanceUrl, org_id: org.id, ...over})

  it('answers 200 for the invoking user\'s token of a connected org, and logs the call', async () => {
    // another user of the org connects it: the org is connected, whoever logged in
    await connect('my_org', 'admin@acme.example')
    const ok = await call(context())
    expect([ok.status, ok.body]).to.deep.equal([200, {org_id: org.id, status: 'authenticated', user_id: org.userId}])
    expect(await call(context({org_id: org.id.slice(0, 15)}))).to.have.property('status', 200)
    const mesh = lines.filter(l => l.startsWith('mesh '))
    expect(mesh.slice(0, 2)).to.deep.equal([
      `mesh req-42: authenticating invocation for org ${org.id} app ${p.app.id}`,
      `mesh req-42: authenticated invocation for org ${org.id} user ${org.userId} (200)`,
    ])
    expect(lines.join('\n')).to.not.contain(org.accessToken)
    expect(lines.join('\n')).to.not.contain(p.token)
  })

  it('answers 403 for an org that has only an authorization on the add-on, naming the fix; 200 once it is connected', async () => {
    const refused = await call(context())
    expect([refused.status, refused.body]).to.deep.equal([403, {
      id: 'forbidden',
      message: `Invocation not authenticated: org ${org.id} is not connected to this add-on: it has only the authorization my_auth, and invocations need a connection. Connect the org with "heroku salesforce:connect CONNECTION_NAME -a my-app", logging in as one of its users.`,
    }])
    expect(lines).to.include(`mesh req-42: invocation forbidden: org ${org.id} is not connected to this add-on: it has only the authorization my_auth, and invocations need a connection. Connect the org with "heroku salesforce:connect CONNECTION_NAME -a my-app", logging in as one of its users (403)`)
    // a connection to another org does not help
    await connect('other_org', 'admin@globex.example')
    expect(await call(context())).to.have.property('status', 403)
    await connect('my_org', org.username)
    const ok = await call(context())
    expect([ok.status, ok.body]).to.deep.equal([200, {org_id: org.id, status: 'authenticated', user_id: org.userId}])
  })

  it('answers 403 for a token it did not issue, an expired one, another org, or an org not connected to the add-on', async () => {
    await connect('my_org', org.username)
    const forged = await call(context({core_jwt_token: `${org.id}!${'a'.repeat(60)}`}))
    expect([forged.status, forged.body]).to.deep.equal([403, {id: 'forbidden', message: 'Invocation not authenticated: core_jwt_token is not a valid, unexpired access token of an emulated org.'}])
    const otherOrg = await call(context({org_id: '00D000000000001AAA'}))
    expect([otherOrg.status, otherOrg.body.message]).to.deep.equal([403, `Invocation not authenticated: core_jwt_token belongs to org ${org.id}, not to org_id 00D000000000001AAA.`])

    // the same org's user, but through another add-on that has no connection to it
    const other = await provision(emu, 'other-app')
    const elsewhere = await call(context(), other.token, other.apiUrl)
    expect([elsewhere.status, elsewhere.body.message]).to.deep.equal([403, `Invocation not authenticated: org ${org.id} is not connected to this add-on.`])

    for (const s of emu.store.data.orgs[0].sessions) s.expires_at = new Date(Date.now() - 1).toISOString()
    expect(await call(context())).to.have.property('status', 403)
    expect(lines.filter(l => l.includes('(403)'))).to.have.length(4)
  })

  it('answers 401 for a bearer that is not the add-on\'s token, 400 for a body that is not an object', async () => {
    const bad = await call(context(), 'not-the-token')
    expect([bad.status, bad.body.id]).to.deep.equal([401, 'unauthorized'])
    const notJson = await call('just a string')
    expect([notJson.status, notJson.body.id]).to.deep.equal([400, 'invalid_params'])
  })
})
