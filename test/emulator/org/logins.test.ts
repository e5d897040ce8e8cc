/**
 * Which org a login reaches (src/emulator/org/logins.ts): decided by who logs in, never by what the
 * connection or authorization is called. The same user, or another user of the same domain, reaches
 * the same org with the same records and ids, whether through salesforce:connect,
 * salesforce:authorizations:add, datacloud:connect or a JWT create; a new domain starts a new org;
 * the login page can pick an org or a user; --auto-approve logs in as one default admin user.
 */
import {expect} from 'chai'

import type {Emulator} from '../../../src/emulator/server/server.js'
import {answerLogin, applink, eachWithApp, type Provisioned, request, testKeys, waitFor} from '../helpers.js'
import {authorize, sdkOrg} from './helpers.js'

describe('emulated org: who logs in decides the org', function () {
  this.timeout(60_000)
  let emu: Emulator
  let p: Provisioned
  eachWithApp((e, app) => {
    emu = e
    p = app
  })

  /** A connection (or with `authorization`, an authorization) of `kind` allowed on the login page with `fields`; its org as answered. */
  async function login(name: string, fields: Record<string, string>, {authorization = false, kind = 'salesforce'} = {}): Promise<any> {
    const [path, field] = authorization ? ['authorizations', 'developer_name'] : ['connections', 'connection_name']
    const made = await applink(emu, p, 'POST', `/${path}/${kind}`, {[field]: name})
    const answer = await answerLogin(made.body.redirect_uri, {decision: 'allow', ...fields})
    expect(answer.status, answer.text).to.equal(200)
    return (await applink(emu, p, 'GET', `/${path}/${name}`)).body.org
  }

  const orgNames = () => emu.store.data.orgs.map(o => o.name)

  it('the same user reaches the same org and user, with the same records, through a connection, an authorization and a JWT', async () => {
    const auth = await authorize(emu, p, 'my_auth', 'alice@acme.example')
    const {id} = await sdkOrg(auth).dataApi.create({fields: {Name: 'Shared Ltd'}, type: 'Account'})
    const conn = await login('my_org', {username: 'alice@acme.example'})
    expect([conn.id, conn.user_id, conn.username]).to.deep.equal([auth.id, auth.userId, 'alice@acme.example'])
    // usernames compare without regard to case
    const again = await authorize(emu, p, 'other_auth', 'Alice@ACME.example')
    expect([again.id, again.userId, again.username]).to.deep.equal([auth.id, auth.userId, 'alice@acme.example'])
    const found = await sdkOrg(again).dataApi.query('SELECT Id FROM Account WHERE Name = \'Shared Ltd\'')
    expect(found.records.map((r: any) => r.fields.id)).to.deep.equal([id])

    const jwt = await applink(emu, p, 'POST', '/authorizations/salesforce/jwt', {client_id: 'c', developer_name: 'jwt_auth', jwt_private_key: (await testKeys()).rsa, username: 'alice@acme.example'})
    expect([jwt.body.org.id, jwt.body.org.user_id]).to.deep.equal([auth.id, auth.userId])
    expect(orgNames()).to.deep.equal(['acme'])
    // one org: sample data once, one User
    const counts = await sdkOrg(again).dataApi.query('SELECT Id, Username FROM User')
    expect(counts.records.map((r: any) => r.fields.username)).to.deep.equal(['alice@acme.example'])
  })

  it('another user of the same domain joins the org; a new domain starts a new org', async () => {
    const alice = await authorize(emu, p, 'alice_auth', 'alice@acme.example')
    await sdkOrg(alice).dataApi.create({fields: {Name: 'Acme Only'}, type: 'Account'})
    const bob = await authorize(emu, p, 'bob_auth', 'bob@acme.example')
    expect(bob.id).to.equal(alice.id)
    expect(bob.userId).to.not.equal(alice.userId)
    const seen = await sdkOrg(bob).dataApi.query('SELECT Name FROM Account WHERE Name = \'Acme Only\'')
    expect(seen.records).to.have.length(1)
    const users = await sdkOrg(bob).dataApi.query('SELECT Id, Username FROM User ORDER BY Username')
    expect(users.records.map((r: any) => [r.fields.id, r.fields.username])).to.deep.equal([[alice.userId, 'alice@acme.example'], [bob.userId, 'bob@acme.example']])

    const carol = await authorize(emu, p, 'carol_auth', 'carol@globex.example')
    expect(carol.id).to.not.equal(alice.id)
    const none = await sdkOrg(carol).dataApi.query('SELECT Name FROM Account WHERE Name = \'Acme Only\'')
    expect(none.records).to.have.length(0)
    expect(orgNames()).to.deep.equal(['acme', 'globex'])
  })

  it('a Data Cloud connection by a user of an org reaches that org, which is then also a Data Cloud org', async () => {
    const sf = await login('my_org', {username: 'alice@acme.example'})
    const dc = await login('my_dc', {username: 'bob@acme.example'}, {kind: 'datacloud'})
    expect(dc).to.deep.include({id: sf.id, type: 'DataCloudOrg'})
    expect(emu.store.data.orgs.map(o => [o.name, o.data_cloud])).to.deep.equal([['acme', true]])
    const page = await request(`${emu.url}/`)
    expect(page.text).to.contain('<span class="org-datacloud">with Data Cloud</span> · users: <span class="org-users">alice@acme.example, bob@acme.example</span>')
  })

  it('the login page lists the orgs and their users; picking an org adds the username to it, picking a user logs in as that user', async () => {
    const alice = await login('alice_org', {username: 'alice@acme.example'})
    await login('carol_org', {username: 'carol@globex.example'})
    const made = await applink(emu, p, 'POST', '/connections/salesforce', {connection_name: 'picked_org'})
    const page = await request(made.body.redirect_uri)
    expect(page.text).to.contain('<select id="login_as" name="login_as"><option value="" selected>the username above: its org, else its domain\'s org, else a new org</option>')
    expect(page.text).to.contain(`<optgroup label="acme · ${alice.id} · Production or Developer Edition"><option value="org:${alice.id}">the username above, in acme</option><option value="user:${alice.id}:${alice.user_id}">alice@acme.example</option></optgroup>`)
    expect(page.text).to.contain('>carol@globex.example</option>')

    // a user of another domain, added to the org picked
    await answerLogin(made.body.redirect_uri, {decision: 'allow', login_as: `org:${alice.id}`, username: 'dave@initech.example'})
    const picked = (await applink(emu, p, 'GET', '/connections/picked_org')).body.org
    expect([picked.id, picked.username]).to.deep.equal([alice.id, 'dave@initech.example'])
    // an existing user picked: the username typed is not read
    const asAlice = await login('as_alice', {login_as: `user:${alice.id}:${alice.user_id}`, username: 'ignored@elsewhere.example'})
    expect([asAlice.id, asAlice.user_id, asAlice.username]).to.deep.equal([alice.id, alice.user_id, 'alice@acme.example'])
    expect(orgNames()).to.deep.equal(['acme', 'globex'])
  })

  it('refuses, on the page, a username of one org added to another; the login stays pending', async () => {
    const alice = await login('alice_org', {username: 'alice@acme.example'})
    const carol = await login('carol_org', {username: 'carol@globex.example'})
    const made = await applink(emu, p, 'POST', '/connections/salesforce', {connection_name: 'wrong_org'})
    const refused = await answerLogin(made.body.redirect_uri, {decision: 'allow', login_as: `org:${carol.id}`, username: 'alice@acme.example'})
    expect(refused.status).to.equal(400)
    expect(refused.headers.get('content-type')).to.equal('text/html; charset=utf-8')
    expect(refused.text).to.contain(`<p id="login-error" class="failed" role="alert">alice@acme.example is a user of org acme (${alice.id}), and a username belongs to one org only. Type a username that is new to globex (${carol.id}) to add it there, or pick acme (or that user) to log in to its org.</p>`)
    expect((await applink(emu, p, 'GET', '/connections/wrong_org')).body.status).to.equal('connecting')
    const gone = await answerLogin(made.body.redirect_uri, {decision: 'allow', login_as: 'org:00D000000000009AAA', username: 'x@acme.example'})
    expect(gone.text).to.contain('The org 00D000000000009AAA picked on the login page does not exist (any more).')
    const bad = await answerLogin(made.body.redirect_uri, {decision: 'allow', login_as: 'everyone'})
    expect([bad.status, bad.body]).to.deep.equal([400, {id: 'invalid_params', message: 'login_as must be empty (the username decides the org), org:ORG_ID or user:ORG_ID:USER_ID.'}])

    await answerLogin(made.body.redirect_uri, {decision: 'allow', login_as: `org:${alice.id}`, username: 'alice@acme.example'})
    expect((await applink(emu, p, 'GET', '/connections/wrong_org')).body.org).to.deep.include({id: alice.id, user_id: alice.user_id})
  })
})

describe('emulated org: --auto-approve logs in as one default admin user', function () {
  this.timeout(60_000)
  let emu: Emulator
  let p: Provisioned
  eachWithApp((e, app) => {
    emu = e
    p = app
  }, () => ({autoApprove: true, autoApproveMs: 300}))

  it('so a connection, a Data Cloud connection and an authorization share one org', async () => {
    for (const [path, body] of [['/connections/salesforce', {connection_name: 'demo_org'}], ['/connections/datacloud', {connection_name: 'demo_dc'}], ['/authorizations/salesforce', {developer_name: 'demo_auth'}]] as const) {
      const made = await applink(emu, p, 'POST', path, body)
      expect(made.status, made.text).to.equal(202)
    }

    const done = async (path: string) => waitFor(async () => {
      const r = await applink(emu, p, 'GET', path)
      return ['connected', 'authorized'].includes(r.body.status) ? r.body.org : undefined
    }, path, 30_000)
    const [conn, dc, auth] = [await done('/connections/demo_org'), await done('/connections/demo_dc'), await done('/authorizations/demo_auth')]
    expect(conn).to.deep.include({username: 'admin@emulated-org.example'})
    expect([dc.id, dc.user_id, auth.id, auth.user_id]).to.deep.equal([conn.id, conn.user_id, conn.id, conn.user_id])
    expect(emu.store.data.orgs.map(o => [o.id, o.name, o.data_cloud])).to.deep.equal([[conn.id, 'emulated-org', true]])
  })
})

