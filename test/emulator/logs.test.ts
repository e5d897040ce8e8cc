/**
 * The emulator's side of `heroku logs` over real HTTP: the ingestion route (an emulator extension,
 * docs/emulator.md), log sessions and their Server-Sent Events stream (Last-Event-ID, tail with
 * keep-alive comments, filters, 404), and the lines the emulator writes itself (the AppLink API's
 * request log of an app's add-on, releases). `heroku logs` itself: test/integration/heroku-logs.test.ts.
 */
import {expect} from 'chai'
import {request as httpRequest} from 'node:http'

import type {Emulator} from '../../src/emulator/server/server.js'
import {applink, eachWithApp, platform, type Provisioned} from './helpers.js'

const T = '2026-12-07T22:23:22.209776+00:00'

describe('emulator: logs', function () {
  this.timeout(30_000)
  let emu: Emulator
  let p: Provisioned
  eachWithApp((e, provisioned) => {
    emu = e
    p = provisioned
  }, () => ({logKeepAliveMs: 100}))

  const post = (lines: unknown, app = 'my-app', key = emu.apiKey) => platform(emu, 'POST', `/__emulator/apps/${app}/log-lines`, {lines}, {}, key)
  const session = async (body: Record<string, unknown>) => {
    const r = await platform(emu, 'POST', '/apps/my-app/log-sessions', body, {accept: 'application/vnd.heroku+json; version=3.sdk'})
    expect(r.status, r.text).to.equal(201)
    return r.body as {created_at: string; id: string; logplex_url: string; updated_at: string}
  }

  /** The whole body of a stream that ends (no tail). */
  const read = async (url: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url, {headers: {accept: 'text/event-stream', ...headers}})
    return {status: res.status, text: await res.text(), type: res.headers.get('content-type')}
  }

  /** The `data:` lines of an event stream. */
  const data = (text: string) => text.split('\n').filter(l => l.startsWith('data: ')).map(l => l.slice(6))
  const ownLines = (text: string) => data(text).filter(l => !/app\[(api|heroku-applink)\]/.test(l))

  it('keeps posted lines and streams them as events with ids; without tail the stream ends after them', async () => {
    const r = await post([
      {dyno: 'web.1', message: 'Listening on 3000', source: 'app', time: T},
      {dyno: 'worker.1', message: 'job done', source: 'app', time: '2026-12-07T23:23:22.5+01:00'},
      {dyno: 'router', message: 'at=info method=GET path="/"', source: 'heroku', time: '2026-12-07T22:23:23Z'},
    ])
    expect(r.status, r.text).to.equal(202)
    expect(r.body).to.deep.equal({})

    const s = await session({lines: 100, tail: false})
    expect(s.logplex_url).to.equal(`${emu.url}/logplex/sessions/${s.id}`)
    const stream = await read(s.logplex_url)
    expect(stream.status).to.equal(200)
    expect(stream.type).to.match(/^text\/event-stream/)
    expect(ownLines(stream.text)).to.deep.equal([
      `${T} app[web.1]: Listening on 3000`,
      '2026-12-07T22:23:22.500000+00:00 app[worker.1]: job done',
      '2026-12-07T22:23:23.000000+00:00 heroku[router]: at=info method=GET path="/"',
    ])
    // every event is "id: N" then "data: LINE", ids growing
    const ids = [...stream.text.matchAll(/^id: (\d+)\ndata: /gm)].map(m => Number(m[1]))
    expect(ids.length).to.equal(data(stream.text).length)
    expect(ids).to.deep.equal([...ids].sort((a, b) => a - b))
  })

  it('filters by source and by dyno or process type, and keeps the last N lines', async () => {
    await post([
      {dyno: 'web.1', message: 'one', source: 'app', time: T},
      {dyno: 'web.2', message: 'two', source: 'app', time: T},
      {dyno: 'worker.1', message: 'three', source: 'app', time: T},
      {dyno: 'router', message: 'four', source: 'heroku', time: T},
    ])
    const messages = async (body: Record<string, unknown>) => data((await read((await session(body)).logplex_url)).text).map(l => l.slice(T.length + 1))
    expect(await messages({dyno: 'web', lines: 100})).to.deep.equal(['app[web.1]: one', 'app[web.2]: two'])
    expect(await messages({dyno: 'web.2', lines: 100})).to.deep.equal(['app[web.2]: two'])
    expect(await messages({lines: 100, source: 'heroku'})).to.deep.equal(['heroku[router]: four'])
    expect(await messages({dyno: 'worker', lines: 100, source: 'app'})).to.deep.equal(['app[worker.1]: three'])
    expect(await messages({lines: 2})).to.deep.equal(['app[worker.1]: three', 'heroku[router]: four'])
  })

  it('resumes after Last-Event-ID', async () => {
    await post([{dyno: 'web.1', message: 'a', source: 'app', time: T}, {dyno: 'web.1', message: 'b', source: 'app', time: T}])
    const s = await session({dyno: 'web.1', lines: 100})
    const first = await read(s.logplex_url)
    const [idA] = [...first.text.matchAll(/^id: (\d+)$/gm)].map(m => m[1])
    const resumed = await read(s.logplex_url, {'last-event-id': idA})
    expect(data(resumed.text)).to.deep.equal([`${T} app[web.1]: b`])
  })

  it('with tail keeps the stream open: new lines as they come, and a comment line now and then', async () => {
    await post([{dyno: 'web.1', message: 'before', source: 'app', time: T}])
    const s = await session({dyno: 'web', lines: 1, tail: true})
    let text = ''
    const watchers = new Set<() => void>()
    const req = httpRequest(s.logplex_url, {agent: false, headers: {accept: 'text/event-stream'}})
    req.on('response', res => res.on('data', c => {
      text += c
      for (const w of watchers) w()
    }))
    const got = (re: RegExp) => new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!re.test(text)) return
        watchers.delete(check)
        clearTimeout(timer)
        resolve()
      }

      const timer = setTimeout(() => reject(new Error(`no ${re} in ${JSON.stringify(text)}`)), 10_000)
      watchers.add(check)
      check()
    })
    req.end()
    await got(/data: .*before\n\n/)
    await post([{dyno: 'worker.1', message: 'not for this stream', source: 'app', time: T}, {dyno: 'web.1', message: 'after', source: 'app', time: T}])
    await got(/data: .*after\n\n/)
    await got(/^: keep-alive\n\n/m)
    req.destroy()
    expect(data(text)).to.deep.equal([`${T} app[web.1]: before`, `${T} app[web.1]: after`])
  })

  it('answers 404 for a session it does not know', async () => {
    const r = await read(`${emu.url}/logplex/sessions/0123456789abcdef0123456789abcdef`)
    expect(r.status).to.equal(404)
    expect(JSON.parse(r.text).id).to.equal('not_found')
  })

  it('writes the AppLink API request log of the add-on and release lines', async () => {
    const r = await applink(emu, p, 'GET', '/connections', undefined, {'x-request-id': 'req-42'})
    expect(r.status).to.equal(200)
    await applink(emu, p, 'GET', '/connections/nope')
    const config = await platform(emu, 'PATCH', '/apps/my-app/config-vars', {FOO: 'bar'})
    expect(config.status).to.equal(200)
    const lines = data((await read((await session({lines: 100})).logplex_url)).text).map(l => l.replace(/^\S+ /, ''))
    const ms = (i: number) => /(\d+)ms request_id/.exec(lines[i])?.[1]
    // apps:create and addons:create of the test's app made v1 and v2
    expect(lines).to.deep.equal([
      'app[api]: Release v1 created by user developer@emulator.local',
      'app[api]: Release v2 created by user developer@emulator.local',
      `app[heroku-applink]: GET /addons/${p.addon.id}/connections 200 ${ms(2)}ms request_id=req-42`,
      `app[heroku-applink]: GET /addons/${p.addon.id}/connections/nope 404 ${ms(3)}ms request_id=-`,
      'app[api]: Release v3 created by user developer@emulator.local',
    ])
  })

  it('splits a message over 10,000 bytes and one with newlines, as Logplex keeps lines', async () => {
    await post([{dyno: 'web.1', message: `${'é'.repeat(6000)}`, source: 'app', time: T}, {dyno: 'web.1', message: 'x\ny\n', source: 'app', time: T}])
    const lines = ownLines((await read((await session({lines: 100})).logplex_url)).text).map(l => l.slice(`${T} app[web.1]: `.length))
    expect(lines.map(l => Buffer.byteLength(l))).to.deep.equal([10_000, 2000, 1, 1])
    expect(lines.slice(2)).to.deep.equal(['x', 'y'])
  })

  it('refuses a bad key (401), an unknown app (404) and a bad line (400 naming the field), keeping nothing', async () => {
    const bad = await post([{dyno: 'web.1', message: 'x', source: 'app'}], 'my-app', 'emu-wrong')
    expect(bad.status).to.equal(401)
    const unknown = await post([{dyno: 'web.1', message: 'x', source: 'app'}], 'no-such-app')
    expect([unknown.status, unknown.body.id]).to.deep.equal([404, 'not_found'])
    const cases: [unknown, string][] = [
      [[], 'lines must hold 1 to 500 lines; it holds 0. Send more in several calls.'],
      [Array.from({length: 501}, () => ({dyno: 'web.1', message: 'x', source: 'app'})), 'lines must hold 1 to 500 lines; it holds 501. Send more in several calls.'],
      [[{dyno: 'web.1', message: 'x', source: 'router'}], 'lines[0].source must be "app" or "heroku", not "router".'],
      [[{dyno: 'web.1', message: 'ok', source: 'app'}, {dyno: 'web 1', message: 'x', source: 'app'}], 'lines[1].dyno must be a dyno name such as "web.1" (letters, digits, ".", "-" and "_", at most 64), not "web 1".'],
      [[{dyno: 'web.1', source: 'app'}], 'lines[0].message must be a string, not missing.'],
      [[{dyno: 'web.1', message: 'x', source: 'app', time: 'yesterday'}], 'lines[0].time must be an ISO 8601 time such as "2026-12-07T22:23:22.209776+00:00", not "yesterday".'],
    ]
    for (const [lines, message] of cases) {
      const r = await post(lines)
      expect([r.status, r.body], JSON.stringify(lines).slice(0, 80)).to.deep.equal([400, {id: 'bad_request', message}])
    }

    expect(ownLines((await read((await session({lines: 100})).logplex_url)).text)).to.deep.equal([])
  })
})
