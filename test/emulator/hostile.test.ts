/**
 * The emulator against hostile clients: a page on another site reaching it by DNS rebinding, request
 * data used as object keys, clients that give up halfway, and small uploads that would take its one
 * thread for minutes. Every case answers a clear error and the emulator keeps serving.
 */
import {expect} from 'chai'
import {zipSync} from 'fflate'
import {request as httpRequest} from 'node:http'
import {connect} from 'node:net'

import type {Emulator} from '../../src/emulator/server/server.js'
import {AppLinkClient} from '../../src/lib/api/applink-client.js'
import {aliasBomb, deepJson} from '../helpers/hostile.js'
import {answerLogin, applink, eachWithApp, platform, type Provisioned, request} from './helpers.js'

async function publishBody(files: Record<string, string>): Promise<{body: Buffer; contentType: string}> {
  const entries: Record<string, Uint8Array> = {}
  for (const [name, content] of Object.entries(files)) entries[name] = Buffer.from(content)
  const form = new FormData()
  form.append('metadata', new Blob([zipSync(entries)], {type: 'application/zip'}), 'metadata.zip')
  form.append('app_request', new Blob([JSON.stringify({client_name: 'OrdersAPI'})], {type: 'application/json'}))
  const res = new Response(form)
  return {body: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type')!}
}

describe('emulator: hostile clients', () => {
  let emu: Emulator
  let p: Provisioned
  const logged: Array<[string, string]> = []
  eachWithApp((e, app) => {
    emu = e
    p = app
  }, () => {
    logged.length = 0
    return {log: (line, kind) => logged.push([kind, line])}
  })

  describe('the Host header (DNS rebinding)', () => {
    it('refuses the dashboard and the APIs under any other Host, with 421 and the names it answers to', async () => {
      for (const path of ['/', '/account', `/addons/${p.addon.id}/connections`]) {
        const res = await request(`${emu.url}${path}`, {headers: {authorization: `Bearer ${emu.apiKey}`, host: `attacker.example:${emu.port}`}})
        expect(res.status, path).to.equal(421)
        expect(res.body).to.deep.equal({
          id: 'misdirected_request',
          message: `The emulator answers only requests addressed to 127.0.0.1:${emu.port}, localhost:${emu.port}, [::1]:${emu.port}, not to "attacker.example:${emu.port}".`,
        })
        expect(res.text).not.to.contain('<html')
      }

      // a rebinding page has the right port but another name; the right name on another port is refused too
      expect((await request(`${emu.url}/`, {headers: {host: `127.0.0.1:${emu.port + 1}`}})).status).to.equal(421)
    })

    it('answers under 127.0.0.1, localhost and [::1] with its port, in any case', async () => {
      for (const host of [`127.0.0.1:${emu.port}`, `localhost:${emu.port}`, `LOCALHOST:${emu.port}`, `[::1]:${emu.port}`]) {
        const res = await platform(emu, 'GET', '/account', undefined, {host})
        expect(res.status, host).to.equal(200)
      }
    })
  })

  describe('request data as object keys', () => {
    it('stores a config var named __proto__ like any other', async () => {
      const set = await platform(emu, 'PATCH', '/apps/my-app/config-vars', '{"__proto__": "kept", "PLAIN": "also"}', {'content-type': 'application/json'})
      expect(set.status).to.equal(200)
      expect(set.text).to.contain('"__proto__":"kept"')
      const read = await platform(emu, 'GET', '/apps/my-app/config-vars')
      expect(Object.getOwnPropertyDescriptor(read.body, '__proto__')?.value).to.equal('kept')
      expect(read.body.PLAIN).to.equal('also')
      const unset = await platform(emu, 'PATCH', '/apps/my-app/config-vars', '{"__proto__": null}', {'content-type': 'application/json'})
      expect(unset.text).not.to.contain('__proto__')
    })

    it('refuses org_type=toString at the login form', async () => {
      const client = new AppLinkClient({addonId: p.addon.id, apiUrl: p.apiUrl, appId: p.app.id, retries: 0, sso: p.sso, token: p.token})
      const conn = await client.createConnection('salesforce', {connection_name: 'my_org'})
      const res = await answerLogin(conn.redirect_uri!, {decision: 'allow', org_type: 'toString'})
      expect(res.status).to.equal(400)
      expect(res.text).to.contain('org_type must be one of production, sandbox, scratch.')
      expect((await client.getConnection('my_org')).status).to.equal('connecting')
    })

    it('does not take a zip entry named constructor for a spec', async () => {
      const client = new AppLinkClient({addonId: p.addon.id, apiUrl: p.apiUrl, appId: p.app.id, retries: 0, sso: p.sso, token: p.token})
      const conn = await client.createConnection('salesforce', {connection_name: 'my_org'})
      await answerLogin(conn.redirect_uri!, {decision: 'allow'})
      const {body, contentType} = await publishBody({constructor: 'x'})
      const res = await applink(emu, p, 'POST', '/connections/salesforce/my_org/apps', body, {'content-type': contentType})
      expect(res.status).to.equal(400)
      expect(res.body.message).to.equal('The metadata zip holds unexpected files: constructor. It may hold api-spec.json or api-spec.yaml, connectedapp-meta.xml and permissionset-meta.xml.')
    })
  })

  it('answers a body declared over the limit with 413 and Connection: close at once, which a client still sending reads', async () => {
    const socket = connect(emu.port, '127.0.0.1')
    let received = ''
    let sent = 0
    let answered = false
    const answer = new Promise<void>((resolve, reject) => {
      socket.on('data', data => {
        received += data.toString('latin1')
        const [head, body] = received.split('\r\n\r\n')
        const length = /content-length: (\d+)/i.exec(head ?? '')
        if (body !== undefined && length && Buffer.byteLength(body, 'latin1') >= Number(length[1])) resolve()
      })
      socket.on('error', error => reject(new Error(`the connection failed before the whole answer was read (${sent} bytes sent, read: ${JSON.stringify(received)}): ${error.message}`)))
      socket.on('end', () => reject(new Error(`the connection ended before the whole answer (read: ${JSON.stringify(received)})`)))
    }).finally(() => {
      answered = true
    })
    socket.write(`POST /addons/${p.addon.id}/connections/salesforce HTTP/1.1\r\nhost: 127.0.0.1:${emu.port}\r\nauthorization: Bearer ${p.token}\r\ncontent-type: application/json\r\ncontent-length: 900000000\r\n\r\n`)
    // a client that keeps writing its body (64 KB at a time) until it has read the answer; bounded at 64 MB
    const chunk = Buffer.alloc(64 * 1024, 0x20)
    const pump = (async () => {
      while (!answered && sent < 64 * 1024 * 1024 && !socket.destroyed) {
        sent += chunk.length
        if (!socket.write(chunk)) await Promise.race([new Promise(r => {
          socket.once('drain', r)
        }), answer.catch(() => {})])
      }
    })()
    await answer
    await pump
    socket.destroy()
    const [head, body] = received.split('\r\n\r\n')
    expect(head.split('\r\n')[0]).to.equal('HTTP/1.1 413 Payload Too Large')
    expect(head).to.match(/\r\nconnection: close\r\n/i)
    expect(JSON.parse(body)).to.deep.equal({id: 'request_too_large', message: 'The request body is larger than the limit of 1 MB.'})
    // answered while the client was still sending, long before the 900 MB it declared
    expect(sent).to.be.below(64 * 1024 * 1024)
    expect((await platform(emu, 'GET', '/account')).status).to.equal(200)
  })

  it('logs a client that abandons its request body as the client\'s doing, not an internal error', async () => {
    await new Promise<void>(resolve => {
      // 100-continue: the server has the request (its handler runs) before any of the body is sent
      const req = httpRequest(`${emu.url}/apps/my-app/config-vars`, {agent: false, headers: {authorization: `Bearer ${emu.apiKey}`, 'content-length': '1000', 'content-type': 'application/json', expect: '100-continue'}, method: 'PATCH'})
      req.on('error', () => resolve())
      req.on('close', () => resolve())
      req.on('continue', () => {
        // part of the body, then gone
        req.write('{"A": "', () => req.destroy())
      })
      req.flushHeaders()
    })
    // the emulator carries on; the next request is served and the log has the abandoned one
    expect((await platform(emu, 'GET', '/account')).status).to.equal(200)
    const deadline = Date.now() + 10_000
    while (!logged.some(([, line]) => line.includes('closed the connection')) && Date.now() < deadline) await new Promise(r => {
      setTimeout(r, 20)
    })
    expect(logged.filter(([kind]) => kind === 'error')).to.deep.equal([])
    expect(logged).to.deep.include(['request', 'PATCH /apps/my-app/config-vars: the client closed the connection before sending the whole body'])
  })

  describe('publishing hostile specs', () => {
    beforeEach(async () => {
      const client = new AppLinkClient({addonId: p.addon.id, apiUrl: p.apiUrl, appId: p.app.id, retries: 0, sso: p.sso, token: p.token})
      const conn = await client.createConnection('salesforce', {connection_name: 'my_org'})
      await answerLogin(conn.redirect_uri!, {decision: 'allow'})
    })

    const upload = async (files: Record<string, string>) => {
      const {body, contentType} = await publishBody(files)
      return applink(emu, p, 'POST', '/connections/salesforce/my_org/apps', body, {'content-type': contentType})
    }

    it('answers a YAML alias bomb with 400 invalid_spec, serving another client meanwhile', async () => {
      const [bomb, other] = await Promise.all([upload({'api-spec.yaml': aliasBomb()}), platform(emu, 'GET', '/apps/my-app')])
      expect(other.status).to.equal(200)
      expect(bomb.status).to.equal(400)
      expect(bomb.body.id).to.equal('invalid_spec')
      expect(bomb.body.message).to.equal('The API spec api-spec.yaml has 1 error: api-spec.yaml:9:27 YAML error: expanding the aliases would add more than 100,000 values to the document')
      expect(emu.store.data.publications).to.deep.equal([])
    })

    it('answers a JSON spec nested 100,000 levels deep with 400 invalid_spec', async () => {
      const res = await upload({'api-spec.json': deepJson()})
      expect(res.status).to.equal(400)
      expect(res.body).to.deep.include({id: 'invalid_spec', message: 'The API spec api-spec.json has 1 error: api-spec.json:1:101 the document nests objects and arrays more than 100 levels deep'})
    })
  })
})
