/**
 * Mocha root hooks for every test file: command tests switch nock's net-connect guard on; turn it
 * off again so later tests that talk to real servers on 127.0.0.1 are not blocked.
 *
 * And the process streams: `@oclif/test` swaps `process.stdout.write` / `stderr.write` while a
 * command runs and puts them back when it ends. A command that never ends (a test that timed out)
 * would leave them swapped: mocha's report would vanish and, with its output never drained, the run
 * would end with exit code 0 and no summary. So every test ends with the real streams back.
 */
import nock from 'nock'

const stdoutWrite = process.stdout.write
const stderrWrite = process.stderr.write

export const mochaHooks = {
  afterEach(): void {
    if (process.stdout.write !== stdoutWrite) process.stdout.write = stdoutWrite
    if (process.stderr.write !== stderrWrite) process.stderr.write = stderrWrite
    nock.cleanAll()
    nock.enableNetConnect()
  },
}
