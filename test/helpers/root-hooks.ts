/**
 * Mocha root hooks for every test file: command tests switch nock's net-connect guard on; turn it
 * off again so later tests that talk to real servers on 127.0.0.1 are not blocked.
 */
import nock from 'nock'

export const mochaHooks = {
  afterEach(): void {
    nock.cleanAll()
    nock.enableNetConnect()
  },
}
