/**
 * Signed Data Cloud events through the local mesh, end to end on the emulator's own routes: the
 * emulated Data Cloud signs an event for a created target, the mesh checks the signature with
 * `POST …/data_action_targets/authenticate` and forwards it to an app with the Node getting-started
 * app's route (201); a tampered signature is refused with 403 and never reaches the app.
 */
import {expect} from 'chai'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import type {Emulator} from '../../../src/emulator/server/server.js'
import {Authenticator} from '../../../src/lib/mesh/authenticate.js'
import {MeshLog} from '../../../src/lib/mesh/log.js'
import {createMeshServer} from '../../../src/lib/mesh/proxy.js'
import {answerLogin, applink, provision, type Provisioned, removeTempDirs, start, waitFor} from '../../emulator/helpers.js'
import {exchange} from './helpers.js'

const listen = async (server: Server): Promise<number> => {
  await new Promise<void>(resolve => {
    server.listen(0, '127.0.0.1', resolve)
  })
  return (server.address() as AddressInfo).port
}

describe('mesh: a signed Data Cloud event, end to end on the emulator', function () {
  this.timeout(60_000)
  let emu: Emulator
  let p: Provisioned
  let app: Server
  let mesh: Server
  let meshPort: number
  const received: string[] = []

  before(async () => {
    emu = await start({dataActionTargetMs: 30})
    p = await provision(emu)
    const conn = await applink(emu, p, 'POST', '/connections/datacloud', {connection_name: 'dc_org'})
    await answerLogin(conn.body.redirect_uri, {decision: 'allow'})
    await applink(emu, p, 'POST', '/connections/datacloud/dc_org/data_action_targets', {api_name: 'My_Target', label: 'My Target', target_endpoint: '/handleDataCloudDataChangeEvent', type: 'webhook'})
    await waitFor(async () => ((await applink(emu, p, 'GET', '/connections/datacloud/dc_org/data_action_targets/My_Target')).body.status === 'created' ? true : undefined), 'the target to be created')
    // the getting-started app's route: 201 for events that carry the fields it needs
    app = createServer(async (req, res) => {
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      const body = Buffer.concat(chunks).toString('utf8')
      received.push(`${req.method} ${req.url} ${body}`)
      const events = (JSON.parse(body) as {events?: Array<Record<string, unknown>>}).events ?? []
      const ok = req.url?.startsWith('/handleDataCloudDataChangeEvent?') && events.length > 0 && events.every(e => ['ActionDeveloperName', 'EventType', 'SourceObjectDeveloperName'].every(f => typeof e[f] === 'string'))
      res.writeHead(ok ? 201 : 400).end()
    })
    const appPort = await listen(app)
    const log = new MeshLog({app: 'local', level: 'INFO', writer: {err: () => {}, out: () => {}}})
    mesh = createMeshServer({appHost: '127.0.0.1', appPort, auth: new Authenticator({apiUrl: p.apiUrl, token: p.token}), bypassAll: false, bypassRoutes: [], healthcheck: {enable: 'true', route: '/healthcheck'}, log})
    meshPort = await listen(mesh)
  })
  after(async () => {
    mesh?.close()
    app?.close()
    await emu?.close()
    removeTempDirs()
  })
  beforeEach(() => {
    received.length = 0
  })

  async function signedEvent(): Promise<{path: string; payload: string; signature: string}> {
    const made = await applink(emu, p, 'POST', '/data_action_targets/My_Target/events', {})
    expect(made.status, made.text).to.equal(200)
    return made.body
  }

  it('delivers an event the emulator signed: the app answers 201 through the mesh', async () => {
    const {path, payload, signature} = await signedEvent()
    expect(path).to.match(/^\/handleDataCloudDataChangeEvent\?orgId=00D\w{15}&apiName=My_Target$/)
    const r = await exchange(meshPort, 'POST', path, [['content-type', 'application/json'], ['x-signature', signature]], payload)
    expect(r.status).to.equal(201)
    expect(received).to.deep.equal([`POST ${path} ${payload}`])
  })

  it('refuses a tampered signature, or a tampered body, with 403 Forbidden; the app gets nothing', async () => {
    const {path, payload, signature} = await signedEvent()
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1)
    for (const [sig, body] of [[flipped, payload], [signature, payload.replace('"events"', '"events" ')]]) {
      const r = await exchange(meshPort, 'POST', path, [['content-type', 'application/json'], ['x-signature', sig]], body)
      expect([r.status, r.body]).to.deep.equal([403, 'Forbidden\n'])
    }

    expect(received).to.deep.equal([])
  })
})
