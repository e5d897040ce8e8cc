/**
 * Data action events in the emulator (docs/events.md): each target's signing key (made while the
 * target is generating_signing_key, kept across restarts, never answered, shown or logged), the
 * statuses a poller sees, the mesh's check POST /addons/{addon}/data_action_targets/authenticate,
 * and the emulated Data Cloud's events route that applink:events:trigger calls.
 */
import {expect} from 'chai'
import {createHmac} from 'node:crypto'

import {normalizeId} from '../../src/emulator/org/ids.js'
import type {Emulator} from '../../src/emulator/server/server.js'
import {answerLogin, applink, provision, type Provisioned, removeTempDirs, request, start, waitFor} from './helpers.js'

const sign = (key: string, payload: string) => createHmac('sha256', key).update(payload, 'utf8').digest('base64')

describe('emulator: data action events', function () {
  this.timeout(60_000)
  let emu: Emulator
  let p: Provisioned
  const lines: string[] = []
  const log = (line: string) => lines.push(line)

  beforeEach(async () => {
    lines.length = 0
    emu = await start({dataActionTargetMs: 30, log})
    p = await provision(emu)
  })
  afterEach(async () => {
    await emu.close()
    removeTempDirs()
  })

  async function dataCloudOrg(name = 'dc_org', app = p): Promise<string> {
    const conn = await applink(emu, app, 'POST', '/connections/datacloud', {connection_name: name})
    await answerLogin(conn.body.redirect_uri, {decision: 'allow'})
    return (await applink(emu, app, 'GET', `/connections/${name}`)).body.org.id
  }

  async function createdTarget(apiName = 'My_Target', conn = 'dc_org', app = p): Promise<void> {
    const made = await applink(emu, app, 'POST', `/connections/datacloud/${conn}/data_action_targets`, {api_name: apiName, label: 'My Target', target_endpoint: '/handleDataCloudDataChangeEvent', type: 'webhook'})
    expect(made.body.status).to.equal('pending')
    await waitFor(async () => ((await applink(emu, app, 'GET', `/connections/datacloud/${conn}/data_action_targets/${apiName}`)).body.status === 'created' ? true : undefined), 'the target to be created')
  }

  /** A target New_Target still being created, held there (its timers have run out, so it stays). */
  async function notCreatedYet(): Promise<void> {
    await createdTarget('New_Target')
    await emu.store.update(data => {
      const t = data.data_action_targets.find(x => x.api_name === 'New_Target')!
      t.status = 'creating'
      delete t.signing_key
    })
  }

  const keyOf = (apiName = 'My_Target') => emu.store.data.data_action_targets.find(t => t.api_name === apiName)!.signing_key!

  const authenticate = (body: unknown, token = p.token, addonId = p.addon.id) => request(`${emu.url}/addons/${addonId}/data_action_targets/authenticate`, {
    body: JSON.stringify(body),
    headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json', request_id: 'req-7'},
    method: 'POST',
  })

  const trigger = (body: Record<string, unknown> = {}, apiName = 'My_Target', app = p) => applink(emu, app, 'POST', `/data_action_targets/${apiName}/events`, body)

  describe('the signing key and the statuses', () => {
    it('a poller sees pending → generating_signing_key → creating → created; the key exists from creating on', async () => {
      await emu.close()
      // a second per step: a poller asking without pause sees every status
      emu = await start({dataActionTargetMs: 3000, dataDir: emu.dataDir, log})
      await dataCloudOrg()
      const made = await applink(emu, p, 'POST', '/connections/datacloud/dc_org/data_action_targets', {api_name: 'My_Target', label: 'My Target', target_endpoint: '/handle', type: 'webhook'})
      const seen = [made.body.status]
      const keyed: Record<string, boolean> = {}
      while (seen.at(-1) !== 'created') {
        const got = await applink(emu, p, 'GET', '/connections/datacloud/dc_org/data_action_targets/My_Target')
        expect(got.status).to.equal(200)
        if (got.body.status !== seen.at(-1)) seen.push(got.body.status)
        // the store's status and key, read in one go
        const t = emu.store.data.data_action_targets[0]
        keyed[t.status] = Boolean(t.signing_key)
      }

      expect(seen).to.deep.equal(['pending', 'generating_signing_key', 'creating', 'created'])
      expect(keyed).to.deep.equal({created: true, creating: true, generating_signing_key: false, pending: false})
    })

    it('keeps the key across restarts, and never answers, shows or logs it', async () => {
      await dataCloudOrg()
      await createdTarget()
      const key = keyOf()
      expect(key).to.match(/^[\w-]{43}$/)
      const answers = [
        await applink(emu, p, 'GET', '/connections/datacloud/dc_org/data_action_targets/My_Target'),
        await applink(emu, p, 'GET', '/connections/datacloud/dc_org/data_action_targets'),
        await trigger(),
        await request(`${emu.url}/`),
      ]
      for (const a of answers) expect(a.text).to.not.contain(key)
      const dataDir = emu.dataDir
      await emu.close()
      emu = await start({dataDir, log})
      expect(keyOf()).to.equal(key)
      expect(lines.join('\n')).to.not.contain(key)
    })

    it('gives a key, at start-up, to a created target of a store written before targets had keys', async () => {
      await dataCloudOrg()
      await createdTarget()
      await emu.store.update(data => {
        delete data.data_action_targets[0].signing_key
      })
      const dataDir = emu.dataDir
      await emu.close()
      emu = await start({dataDir, log})
      expect(keyOf()).to.match(/^[\w-]{43}$/)
    })
  })

  describe('POST /addons/{addon}/data_action_targets/authenticate (the mesh\'s check)', () => {
    let orgId: string
    beforeEach(async () => {
      orgId = await dataCloudOrg()
      await createdTarget()
    })

    const payload = '{"count":1,"events":[{"EventUuid":"e1"}]}'
    const body = (over: Record<string, unknown> = {}) => ({api_name: 'My_Target', org_id: orgId, payload, signature: sign(keyOf(), payload), ...over})

    it('answers 200 {} for the payload signed with the target\'s key, on an org connected to the add-on; logs the call', async () => {
      const ok = await authenticate(body())
      expect([ok.status, ok.body]).to.deep.equal([200, {}])
      expect((await authenticate(body({org_id: orgId.slice(0, 15)}))).status).to.equal(200)
      expect(lines.filter(l => l.startsWith('mesh ')).slice(0, 2)).to.deep.equal([
        `mesh req-7: authenticating data action target 'My_Target' request from org ${orgId} with payload length ${payload.length}`,
        `mesh req-7: authenticated data action target 'My_Target' request from org ${orgId} (200)`,
      ])
      const all = lines.join('\n')
      expect(all).to.not.contain(keyOf())
      expect(all).to.not.contain(p.token)
    })

    it('answers 401 for a tampered payload or signature, another org, another target, or a target not created yet', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [body({payload: payload.replace('e1', 'e2')}), 'the signature is not the payload\'s signature with the key of data action target \'My_Target\''],
        [body({signature: sign('another key', payload)}), 'the signature is not the payload\'s signature with the key of data action target \'My_Target\''],
        [body({signature: ''}), 'the signature is missing'],
        [body({org_id: '00D000000000001'}), `org ${normalizeId('00D000000000001')} is not a Data Cloud org connected to this add-on`],
        [body({org_id: 'nope'}), 'org_id "nope" is not an org id'],
        [body({api_name: 'Other_Target'}), `there is no data action target 'Other_Target' on org ${orgId}`],
      ]
      for (const [b, reason] of cases) {
        const r = await authenticate(b)
        expect([r.status, r.body], reason).to.deep.equal([401, {id: 'unauthorized', message: `Data action target request not authenticated: ${reason}.`}])
      }

      expect(lines.filter(l => l.endsWith('(401)'))).to.have.length(cases.length)
      await notCreatedYet()
      const early = await authenticate(body({api_name: 'New_Target'}))
      expect([early.status, early.body.message]).to.deep.equal([401, 'Data action target request not authenticated: data action target \'New_Target\' is creating, not created: it has no signing key yet.'])
    })

    it('answers 401 for a bearer that is not the add-on\'s token, and for another add-on\'s token (its org is not connected there)', async () => {
      const bad = await authenticate(body(), 'not-the-token')
      expect([bad.status, bad.body.id]).to.deep.equal([401, 'unauthorized'])
      const other = await provision(emu, 'other-app')
      const elsewhere = await authenticate(body(), other.token, other.addon.id)
      expect([elsewhere.status, elsewhere.body.message]).to.deep.equal([401, `Data action target request not authenticated: org ${orgId} is not a Data Cloud org connected to this add-on.`])
    })

    it('answers 400 for a body that is not an object, or a payload that is not a string', async () => {
      const notObject = await authenticate('just a string')
      expect([notObject.status, notObject.body.id]).to.deep.equal([400, 'invalid_params'])
      const notText = await authenticate(body({payload: {count: 1}}))
      expect([notText.status, notText.body.message]).to.deep.equal([400, 'payload must be the request body as a string, not an object.'])
    })
  })

  describe('POST /addons/{addon}/data_action_targets/{api_name}/events (the emulated Data Cloud)', () => {
    let orgId: string
    beforeEach(async () => {
      orgId = await dataCloudOrg()
      await createdTarget()
    })

    it('builds an event as Data Cloud sends it, signed with the target\'s key, for the target\'s path with ?orgId=&apiName=', async () => {
      const r = await trigger({object: 'Account_Home__dlm', values: {Amount__c: 42, Name__c: 'Acme'}})
      expect(r.status).to.equal(200)
      const {payload, signature, ...rest} = r.body
      expect(rest).to.deep.equal({
        api_name: 'My_Target',
        connection_name: 'dc_org',
        event_uuid: rest.event_uuid,
        kind: 'new',
        org_id: orgId,
        path: `/handleDataCloudDataChangeEvent?orgId=${orgId}&apiName=My_Target`,
        replay_id: 100,
      })
      expect(signature).to.equal(sign(keyOf(), payload))
      const sent = JSON.parse(payload)
      expect(Object.keys(sent)).to.deep.equal(['count', 'creationDateTime', 'events', 'schemas'])
      expect(sent.count).to.equal(1)
      expect(sent.schemas).to.deep.equal([{schema: JSON.stringify({fields: [{name: 'Amount__c', type: 'number'}, {name: 'Name__c', type: 'string'}], name: 'Account_Home__dlm', type: 'record'}), schemaId: 'My_Target'}])
      const [event] = sent.events
      expect(event).to.deep.include({
        ActionDeveloperName: 'My_Target',
        EventPrompt: 'INSERT',
        EventType: 'CDCEvent',
        EventUuid: rest.event_uuid,
        PayloadCurrentValue: {Amount__c: 42, Name__c: 'Acme'},
        PayloadPrevValue: null,
        ReplayId: '100',
        SourceObjectDeveloperName: 'Account_Home__dlm',
      })
      expect(event.EventUuid).to.match(/^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[\da-f]{4}-[\da-f]{12}$/)
      expect(event.PayloadMetadata).to.deep.equal({ChangeEventHeader: {changedFields: ['Amount__c', 'Name__c'], commitTimestamp: Date.parse(event.EventPublishDateTime), commitVersion: 100}})
      // the mesh's check accepts it
      expect((await authenticate({api_name: 'My_Target', org_id: orgId, payload, signature})).status).to.equal(200)
      expect(lines).to.include(`data cloud: sending event ${rest.event_uuid} (new) to data action target My_Target of org ${orgId}`)
    })

    it('resends the same body and signature; a duplicate has the same EventUuid; out of order is older than the last', async () => {
      const first = (await trigger()).body
      const second = (await trigger()).body
      expect(second.replay_id).to.equal(200)
      const again = await trigger({resend: first.event_uuid})
      expect(again.body).to.deep.include({event_uuid: first.event_uuid, kind: 'resend', payload: first.payload, signature: first.signature})

      const dup = (await trigger({duplicate: true})).body
      expect(dup).to.deep.include({event_uuid: second.event_uuid, kind: 'duplicate', replay_id: 200})
      expect(JSON.parse(dup.payload).events).to.deep.equal(JSON.parse(second.payload).events)
      expect(dup.signature).to.equal(sign(keyOf(), dup.payload))

      // the duplicate was delivered much later than its event was published
      await emu.store.update(data => {
        data.data_action_targets[0].events!.at(-1)!.sent_at = '2099-01-01T00:00:00.000Z'
      })
      const late = (await trigger({out_of_order: true})).body
      const lateEvent = JSON.parse(late.payload).events[0]
      const lastEvent = JSON.parse(second.payload).events[0]
      expect(late.kind).to.equal('out_of_order')
      expect(late.event_uuid).to.not.be.oneOf([first.event_uuid, second.event_uuid])
      expect(Number(lateEvent.ReplayId)).to.equal(199)
      expect(Date.parse(lateEvent.EventPublishDateTime)).to.be.below(Date.parse(lastEvent.EventPublishDateTime))
      // a second one goes further back; a new event carries on after the newest
      expect((await trigger({out_of_order: true})).body.replay_id).to.equal(198)
      expect((await trigger()).body.replay_id).to.equal(300)
    })

    it('makes the event of a row of the org\'s emulated Data Cloud (from_record), values given on top', async () => {
      const org = emu.store.data.orgs.find(o => o.id === orgId)!
      org.datacloud.Account_Home__dlm = [{Amount__c: 7, Id__c: 'r1', Name__c: 'Acme'}]
      org.datacloud.Contact_Home__dlm = [{Id: 'r2', LastName__c: 'Doe'}]
      const r = (await trigger({from_record: 'r1', values: {Amount__c: 8}})).body
      const [event] = JSON.parse(r.payload).events
      expect(event).to.deep.include({PayloadCurrentValue: {Amount__c: 8, Id__c: 'r1', Name__c: 'Acme'}, SourceObjectDeveloperName: 'Account_Home__dlm'})
      expect(JSON.parse((await trigger({from_record: 'r2'})).body.payload).events[0].PayloadCurrentValue).to.deep.equal({Id: 'r2', LastName__c: 'Doe'})

      const missing = await trigger({from_record: 'r9'})
      expect([missing.status, missing.body.message]).to.deep.equal([404, 'No row of the Data Cloud of this org has Id, id, Id__c = "r9": ingest it first (POST {instance_url}/api/v1/ingest/sources/{source}/{object}).'])
      org.datacloud.Contact_Home__dlm.push({Id: 'r1'})
      const twice = await trigger({from_record: 'r1'})
      expect([twice.status, twice.body.message]).to.deep.equal([409, 'Rows of Account_Home__dlm and Contact_Home__dlm have the id "r1": name the object (object).'])
      expect(JSON.parse((await trigger({from_record: 'r1', object: 'Contact_Home__dlm'})).body.payload).events[0].PayloadCurrentValue).to.deep.equal({Id: 'r1'})
    })

    it('signs a body given whole (--data) as it is', async () => {
      const payload = '{"count": 1, "events": [{"EventUuid": "my-own", "ReplayId": "7"}]}'
      const r = (await trigger({payload})).body
      expect(r).to.deep.include({event_uuid: 'my-own', kind: 'payload', payload, replay_id: 7, signature: sign(keyOf(), payload)})
    })

    it('refuses: an unknown target 404, a target not created 409, nothing to duplicate 409, an unknown resend 404', async () => {
      const unknown = await trigger({}, 'No_Target')
      expect([unknown.status, unknown.body]).to.deep.equal([404, {id: 'record_not_found', message: 'Couldn\'t find a data action target named "No_Target" on this add-on.'}])
      await notCreatedYet()
      const early = await trigger({}, 'New_Target')
      expect([early.status, early.body.message]).to.deep.equal([409, 'The data action target New_Target is creating, not created: Data Cloud sends events only to a created target.'])
      const dup = await trigger({duplicate: true})
      expect([dup.status, dup.body.message]).to.deep.equal([409, 'No event to duplicate: send one to My_Target first.'])
      const late = await trigger({out_of_order: true})
      expect([late.status, late.body.message]).to.deep.equal([409, 'No event to send out of order after: send one to My_Target first.'])
      const resend = await trigger({resend: 'nope'})
      expect([resend.status, resend.body.message]).to.deep.equal([404, 'No event nope was sent to My_Target (the last 50 are kept).'])
      const other = await provision(emu, 'other-app')
      expect((await trigger({}, 'My_Target', other)).status).to.equal(404)
    })
  })
})
