/**
 * The first-run checks: which HEROKU_HOST counts as this machine, and the one TCP connect that tells
 * "nothing listening" at once. Through the real CLI: test/integration/as-users-run-it.ts.
 */
import {expect} from 'chai'
import {createServer, type Server} from 'node:net'

import {AppLinkError} from '../../../src/lib/api/errors.js'
import {assertListening, isLoopback, localHerokuHost, notLoggedIn} from '../../../src/lib/cli/first-run.js'

async function listening(): Promise<{port: number; server: Server}> {
  const server = createServer(socket => socket.destroy())
  await new Promise<void>(resolve => {
    server.listen(0, '127.0.0.1', resolve)
  })
  return {port: (server.address() as {port: number}).port, server}
}

describe('first-run checks', () => {
  it('knows loopback hosts, and only takes HEROKU_HOST URLs on them', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '[::1]']) expect(isLoopback(h), h).to.equal(true)
    for (const h of ['10.0.0.1', 'api.heroku.com', '127.0.0.1.example.com', 'localhost.example.com']) expect(isLoopback(h), h).to.equal(false)
    expect(localHerokuHost({HEROKU_HOST: 'http://127.0.0.1:5050'})?.port).to.equal('5050')
    expect(localHerokuHost({HEROKU_HOST: 'heroku.com'})).to.equal(undefined)
    expect(localHerokuHost({HEROKU_HOST: 'https://api.heroku.com'})).to.equal(undefined)
    expect(localHerokuHost({})).to.equal(undefined)
  })

  it('resolves when something listens, and names HEROKU_HOST and the emulator when the port is closed', async () => {
    const {port, server} = await listening()
    await assertListening(new URL(`http://127.0.0.1:${port}`))
    await new Promise(resolve => {
      server.close(resolve)
    })
    const error = await assertListening(new URL(`http://127.0.0.1:${port}`)).then(() => undefined, (error_: unknown) => error_)
    expect(error).to.be.instanceOf(AppLinkError)
    expect((error as AppLinkError).message).to.equal(`Nothing is listening at HEROKU_HOST=http://127.0.0.1:${port}: the connection was refused.`)
    expect((error as AppLinkError).hints).to.deep.equal([
      `Start the AppLink emulator there (in another terminal): heroku applink:emulator --port ${port}`,
      'Or point HEROKU_HOST at a running emulator, or unset it to use the Heroku API.',
    ])
    const onDefault = await assertListening(new URL('http://127.0.0.1:1')).then(() => undefined, (error_: AppLinkError) => error_)
    expect(onDefault?.hints[0]).to.equal('Start the AppLink emulator there (in another terminal): heroku applink:emulator --port 1')
  })

  it('says what to run when there is no token', () => {
    expect(notLoggedIn(undefined).hints[0]).to.equal('Log in with: heroku login')
    expect(notLoggedIn(new URL('http://127.0.0.1:5050')).message).to.equal('HEROKU_HOST points at a local emulator (http://127.0.0.1:5050) but HEROKU_API_KEY is not set.')
  })
})
