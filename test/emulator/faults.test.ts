/**
 * The emulator's fault injection (src/emulator/http/faults.ts) over real HTTP: off by default (no log,
 * no control route), rules by method and path used once, N times or always, the answer spoiled
 * after the request took effect, the delay, and the control route for another process.
 */
import {expect} from 'chai'

import {Faults} from '../../src/emulator/http/faults.js'
import type {Emulator} from '../../src/emulator/server/server.js'
import {platform, provision, removeTempDirs, request, start} from './helpers.js'

describe('emulator fault injection', () => {
  const started: Emulator[] = []
  after(async () => {
    for (const e of started) await e.close()
    removeTempDirs()
  })

  async function emulator(faults?: Faults): Promise<Emulator> {
    const emu = await start({faults})
    started.push(emu)
    return emu
  }

  it('is off by default: the control route does not exist', async () => {
    const emu = await emulator()
    const r = await request(`${emu.url}/__emulator/faults`)
    expect(r.status).to.equal(404)
    expect(r.body).to.deep.include({id: 'not_found'})
  })

  it('answers a rule\'s status as many times as asked, then the emulator answers again, and logs every request', async () => {
    const faults = new Faults()
    const emu = await emulator(faults)
    faults.add('GET', '/apps/nope', {body: {id: 'down', message: 'maintenance'}, status: 503}, {times: 2})
    const answers = []
    for (let i = 0; i < 3; i++) answers.push(await platform(emu, 'GET', '/apps/nope'))
    expect(answers.map(a => a.status)).to.deep.equal([503, 503, 404])
    expect(answers[0].body).to.deep.equal({id: 'down', message: 'maintenance'})
    const seen = faults.seen('GET', '/apps/nope')
    expect(seen.map(s => [s.fault, s.status])).to.deep.equal([['status 503', 503], ['status 503', 503], [undefined, 404]])
    for (const s of seen) expect(s.end).to.be.at.least(s.start)
  })

  it('with processed: the request takes effect, the client gets the fault', async () => {
    const faults = new Faults()
    const emu = await emulator(faults)
    faults.add('POST', '/apps', 'reset', {processed: true})
    const error = await platform(emu, 'POST', '/apps', {name: 'made-anyway'}).catch(error_ => error_ as Error)
    expect(error).to.be.instanceOf(Error)
    expect(faults.seen('POST', '/apps')[0].json).to.deep.equal({name: 'made-anyway'})
    expect((await platform(emu, 'GET', '/apps/made-anyway')).status).to.equal(200)
  })

  it('without processed: the request has no effect', async () => {
    const faults = new Faults()
    const emu = await emulator(faults)
    faults.add('POST', /^\/apps$/, 'html-502')
    const r = await platform(emu, 'POST', '/apps', {name: 'never-made'})
    expect(r.status).to.equal(502)
    expect(r.text).to.contain('<html>')
    expect((await platform(emu, 'GET', '/apps/never-made')).status).to.equal(404)
  })

  it('a delay holds the request, then the emulator answers it as usual', async () => {
    const faults = new Faults()
    const emu = await emulator(faults)
    const p = await provision(emu)
    faults.always('*', /^\/apps\//, {delayMs: 50})
    const r = await platform(emu, 'GET', `/apps/${p.app.name}`)
    expect(r.status).to.equal(200)
    expect(r.body.name).to.equal(p.app.name)
    const [entry] = faults.seen('GET', `/apps/${p.app.name}`)
    expect(entry.fault).to.equal('delay 50 ms')
    expect(entry.end! - entry.start).to.be.at.least(45)
  })

  it('the control route adds rules, shows the log and forgets both', async () => {
    const emu = await emulator(new Faults())
    const json = (body: unknown) => ({body: JSON.stringify(body), headers: {'content-type': 'application/json'}, method: 'POST'})
    const added = await request(`${emu.url}/__emulator/faults`, json({fault: {status: 418}, method: 'GET', pattern: '^/apps/te', times: null}))
    expect(added.status).to.equal(201)
    expect(added.body).to.deep.include({method: 'GET', path: '/^\\/apps\\/te/', processed: false, times: null})
    expect((await platform(emu, 'GET', '/apps/teapot')).status).to.equal(418)
    expect((await platform(emu, 'GET', '/apps/tea')).status).to.equal(418)
    const log = await request(`${emu.url}/__emulator/faults`)
    expect(log.body.requests.map((r: {path: string; status: number}) => `${r.path} ${r.status}`)).to.deep.equal(['/apps/teapot 418', '/apps/tea 418'])
    const bad = await request(`${emu.url}/__emulator/faults`, json({fault: 'reset'}))
    expect(bad.status).to.equal(400)
    expect(bad.body.message).to.equal('Bad fault rule: give "path" (exact) or "pattern" (a regular expression).')
    expect((await request(`${emu.url}/__emulator/faults`, {method: 'DELETE'})).status).to.equal(204)
    expect((await platform(emu, 'GET', '/apps/teapot')).status).to.equal(404)
    expect((await request(`${emu.url}/__emulator/faults`)).body.rules).to.deep.equal([])
  })
})
