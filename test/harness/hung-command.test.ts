/**
 * The test run itself: a command test that times out while `@oclif/test` holds the process streams
 * must still be reported, and the run must end with mocha's summary and a failing exit code (the
 * root hooks put the streams back), not silently with exit code 0.
 */
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

describe('the test run', function () {
  this.timeout(120_000)

  it('reports a command test that hung, runs the next one, and exits non-zero with the summary', () => {
    const mocha = spawnSync(process.execPath, ['node_modules/mocha/bin/mocha.js', '--no-parallel', 'test/fixtures/harness/hung-command.ts'], {cwd: root, encoding: 'utf8', timeout: 100_000})
    expect(mocha.status, mocha.stdout + mocha.stderr).to.equal(1)
    expect(mocha.stdout).to.match(/^ {2}1 passing/m)
    expect(mocha.stdout).to.match(/^ {2}1 failing/m)
    expect(mocha.stdout).to.contain('Error: Timeout of 1000ms exceeded')
  })
})
