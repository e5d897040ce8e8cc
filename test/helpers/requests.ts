/**
 * Proof that a command sent nothing: register the interceptors a wrong run would hit, call
 * `nothingSent()` before running, and `check()` after: every interceptor is still pending and no
 * request reached nock unmatched (with net connect disabled it would have failed anyway).
 */
import {expect} from 'chai'
import nock from 'nock'

export function nothingSent(): {check: () => void} {
  const before = nock.pendingMocks()
  const unmatched: string[] = []
  const listener = (req: {host?: string; hostname?: string; method?: string; path?: string}) => {
    unmatched.push(`${req.method ?? '?'} ${req.hostname ?? req.host ?? ''}${req.path ?? ''}`)
  }

  nock.emitter.on('no match', listener)
  return {
    check() {
      nock.emitter.removeListener('no match', listener)
      expect(unmatched, 'requests that reached nock unmatched').to.deep.equal([])
      expect(nock.pendingMocks(), 'interceptors that must stay unused').to.deep.equal(before)
      nock.cleanAll()
    },
  }
}
