/**
 * Setup for the commands that wait (OAuth connect/authorize, data action targets): no terminal
 * (CI set, so neither prompts nor spinners), a 1 ms poll interval so tests never really wait, and
 * nock with net connect disabled and every interceptor required to be used.
 */
import {expect} from 'chai'
import nock from 'nock'
import {chmodSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

export const REDIRECT = 'https://login.salesforce.com/services/oauth2/authorize?response_type=code&client_id=3MVGapplink&state=st-4f2a'

const KEYS = ['APPLINK_POLL_INTERVAL_MS', 'APPLINK_WAIT_TIMEOUT', 'CI'] as const

export function useFlowEnv(): void {
  const saved: Record<string, string | undefined> = {}
  before(() => {
    for (const k of KEYS) saved[k] = process.env[k]
    process.env.CI = 'true'
    process.env.APPLINK_POLL_INTERVAL_MS = '1'
    delete process.env.APPLINK_WAIT_TIMEOUT
  })
  after(() => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
  })
  beforeEach(() => {
    nock.disableNetConnect()
  })
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending, 'requests the command should have made').to.deep.equal([])
  })
}

/**
 * A stand-in browser for `--browser PATH` (on Linux `open` runs the app name as the command): a
 * script that appends its arguments to `log`. Returns the script's path.
 */
export function fakeBrowser(dir: string, log: string): string {
  const script = join(dir, 'fake-browser.sh')
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$@" >> '${log}'\n`)
  chmodSync(script, 0o755)
  return script
}

/** Lines of `text` that start with `prefix`. */
export function linesStarting(text: string, prefix: string): string[] {
  return text.split('\n').filter(l => l.startsWith(prefix))
}
