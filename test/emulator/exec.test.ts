/**
 * The parts of `applink:emulator:exec` a shell would decide: how a command is found (127 not
 * found, 126 not executable) and the exit code of a command a signal ended. The command itself,
 * through the heroku CLI: test/integration/emulator-exec.test.ts.
 */
import {expect} from 'chai'
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {checkCommand, ExecError, signalExitCode} from '../../src/emulator/process/exec.js'
import {removeTempDirs, tempDir} from './helpers.js'

describe('emulator exec: finding the command, exit codes', () => {
  afterEach(() => removeTempDirs())

  const outcome = (name: string, path: string, cwd: string) => {
    try {
      checkCommand(name, path, cwd)
      return 'found'
    } catch (error) {
      expect(error).to.be.instanceOf(ExecError)
      return `${(error as ExecError).exitCode} ${(error as ExecError).message}`
    }
  }

  it('looks a bare name up in PATH, and takes a name with a slash as a path', () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'bin'))
    writeFileSync(join(dir, 'bin', 'tool'), '#!/bin/sh\n')
    chmodSync(join(dir, 'bin', 'tool'), 0o755)
    writeFileSync(join(dir, 'plain.sh'), 'echo hi\n')
    chmodSync(join(dir, 'plain.sh'), 0o644)
    expect(outcome('tool', join(dir, 'bin'), dir)).to.equal('found')
    expect(outcome('tool', '/nonexistent', dir)).to.equal('127 tool: command not found.')
    expect(outcome('./bin/tool', '', dir)).to.equal('found')
    expect(outcome('./missing.sh', '', dir)).to.equal('127 ./missing.sh: no such file.')
    expect(outcome('./plain.sh', '', dir)).to.equal('126 ./plain.sh: not an executable file.')
    expect(outcome('./bin', '', dir)).to.equal('126 ./bin: not an executable file.')
    // a file of that name in PATH that is not executable is not the command
    expect(outcome('plain.sh', dir, dir)).to.equal('127 plain.sh: command not found.')
  })

  it('reports a command a signal ended as 128 + its number, as shells do', () => {
    expect([signalExitCode('SIGINT'), signalExitCode('SIGTERM'), signalExitCode('SIGKILL')]).to.deep.equal([130, 143, 137])
  })
})
