import {expect} from 'chai'
import {unzipSync} from 'fflate'
import nock from 'nock'
import {randomBytes} from 'node:crypto'

import {AppLinkClient} from '../../../src/lib/api/applink-client.js'
import {send} from '../../../src/lib/api/http.js'
import {buildMultipart, buildZip, checkZipLimits} from '../../../src/lib/flows/publish.js'
import {type Recorded, ScriptedServer} from '../../integration/helpers/server.js'

describe('publish upload: zip, multipart and progress', () => {
  let server: ScriptedServer
  let received: Recorded[]
  let origin: string
  before(async () => {
    nock.enableNetConnect()
    server = await ScriptedServer.start()
    received = server.requests
    origin = server.url
  })
  beforeEach(() => {
    server.reset()
    server.always('POST', /./, {body: {id: 'pub-9'}, status: 201})
  })
  after(() => server.close())

  it('reports upload progress in chunks, up to the whole body, and sends the bytes unchanged', async () => {
    const body = randomBytes(3 * 1024 * 1024 + 17)
    const progress: Array<[number, number]> = []
    const res = await send({body, headers: {'content-type': 'application/octet-stream'}, method: 'POST', onProgress: (sent, total) => progress.push([sent, total]), timeoutMs: 10_000, url: new URL('/up', origin)})
    expect(res.status).to.equal(201)
    expect(received[0].body.equals(body)).to.equal(true)
    expect(progress.length).to.be.greaterThan(10)
    expect(progress.at(-1)).to.deep.equal([body.length, body.length])
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).to.be.greaterThan(progress[i - 1][0])
  })

  it('publishes through the client to the API URL\'s origin (scheme and port), with progress', async () => {
    const client = new AppLinkClient({addonId: 'addon-1', apiUrl: `${origin}/addons/addon-1`, appId: 'app-1', sso: 'c3NvLXNzby1zc28=', token: 'applink-token-xyz'})
    const spec = Buffer.from('openapi: 3.0.3\n')
    const zip = await buildZip([{data: spec, name: 'api-spec.yaml'}])
    const multipart = await buildMultipart(zip, {client_name: 'Orders'})
    let last = 0
    const response = await client.publish('my_org', multipart, {onProgress: sent => {
      last = sent
    }})
    expect(response).to.deep.equal({id: 'pub-9'})
    expect(last).to.equal(multipart.body.length)
    const [req] = received
    expect(req.method).to.equal('POST')
    expect(req.path).to.equal('/addons/addon-1/connections/salesforce/my_org/apps')
    expect(req.headers).to.include({authorization: 'Bearer applink-token-xyz', 'content-type': multipart.contentType, 'x-app-uuid': 'app-1'})
    const form = await new Response(new Uint8Array(req.body), {headers: {'content-type': String(req.headers['content-type'])}}).formData()
    expect(JSON.parse(await (form.get('app_request') as File).text())).to.deep.equal({client_name: 'Orders'})
    const entries = unzipSync(new Uint8Array(await (form.get('metadata') as File).arrayBuffer()))
    expect(Buffer.from(entries['api-spec.yaml']).equals(spec)).to.equal(true)
  })

  it('refuses more than 10 files or more than 20 MB before zipping', () => {
    const file = (name: string, bytes: number) => ({bytes, name, source: name})
    expect(() => checkZipLimits(Array.from({length: 11}, (_, i) => file(`f${i}`, 1)))).to.throw('The upload would hold 11 files; AppLink takes at most 10.')
    expect(() => checkZipLimits([file('api-spec.json', 10_000_000), file('permissionset-meta.xml', 10_000_001)])).to.throw('The upload would hold 20.0 MB (20,000,001 bytes) uncompressed; AppLink takes at most 20 MB (20,000,000 bytes).')
    expect(() => checkZipLimits([file('api-spec.json', 10_000_000), file('permissionset-meta.xml', 10_000_000)])).not.to.throw()
  })
})
