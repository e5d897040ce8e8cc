/**
 * The one IO object: what it decides about the streams it is given (terminal, CI, spinner, table
 * width, whether a person can answer), and that what goes through it has registered secrets masked.
 */
import {expect} from 'chai'
import {PassThrough} from 'node:stream'

import {registerSecret} from '../../../src/lib/api/redact.js'
import {createIO} from '../../../src/lib/ui/io.js'

function sink(tty: boolean, columns?: number): PassThrough & {columns?: number; isTTY?: boolean; text(): string} {
  const stream = Object.assign(new PassThrough(), tty ? {columns, isTTY: true} : {})
  let text = ''
  stream.on('data', chunk => {
    text += chunk.toString()
  })
  return Object.assign(stream, {text: () => text})
}

const terminalIn = () => Object.assign(new PassThrough(), {isTTY: true})

describe('IO', () => {
  it('on terminals outside CI: interactive, live progress, a spinner, tables fit the width', () => {
    const io = createIO({env: {TERM: 'xterm-256color'}, stderr: sink(true), stdin: terminalIn(), stdout: sink(true, 120)})
    expect([io.interactive, io.liveProgress, io.spinner, io.columns]).to.deep.equal([true, true, true, 120])
    expect([io.stdinIsTTY, io.stdoutIsTTY, io.stderrIsTTY, io.ci]).to.deep.equal([true, true, true, false])
  })

  it('in CI: nothing interactive or live even on terminals', () => {
    const io = createIO({env: {CI: 'true'}, stderr: sink(true), stdin: terminalIn(), stdout: sink(true)})
    expect([io.interactive, io.liveProgress, io.spinner]).to.deep.equal([false, false, false])
    // a terminal that does not say its width counts as 80 columns
    expect(io.columns).to.equal(80)
  })

  it('piped: no prompts, plain progress, tables print every value whole', () => {
    const io = createIO({env: {}, stderr: sink(false), stdin: new PassThrough(), stdout: sink(false)})
    expect([io.interactive, io.liveProgress, io.spinner, io.columns]).to.deep.equal([false, false, false, undefined])
  })

  it('stdin piped with stderr on a terminal: progress is live, but nobody can answer', () => {
    const io = createIO({env: {}, stderr: sink(true), stdin: new PassThrough(), stdout: sink(false)})
    expect([io.interactive, io.liveProgress]).to.deep.equal([false, true])
  })

  it('a TERM that cannot redraw a line gets plain progress lines instead of a spinner', () => {
    for (const TERM of ['dumb', 'emacs-color']) {
      const io = createIO({env: {TERM}, stderr: sink(true), stdin: terminalIn(), stdout: sink(true)})
      expect([io.liveProgress, io.spinner], TERM).to.deep.equal([true, false])
    }
  })

  it('opens stdin only when asked about it, once', () => {
    let opened = 0
    const io = createIO({env: {}, stderr: sink(true), stdin: () => {
      opened++
      return terminalIn()
    }, stdout: sink(false)})
    expect(io.liveProgress).to.equal(true)
    expect(opened).to.equal(0)
    expect(io.interactive).to.equal(true)
    expect(io.stdin).to.equal(io.stdin)
    expect(opened).to.equal(1)
  })

  it('writes stdout and stderr as given, registered secrets masked; notes show control characters', () => {
    registerSecret('io-test-secret-5f2e9a')
    const stdout = sink(false)
    const stderr = sink(false)
    const io = createIO({env: {}, stderr, stdin: new PassThrough(), stdout})
    io.out('token io-test-secret-5f2e9a\n')
    io.err('partial line')
    io.note('a note \u001B]0;title\u0007')
    io.warn('careful')
    io.noteRedacted('failed with Authorization: Bearer abc.def')
    expect(stdout.text()).to.equal('token [REDACTED]\n')
    expect(stderr.text()).to.equal('partial linea note \\x1b]0;title\\x07\nWarning: careful\nfailed with Authorization: Bearer [REDACTED]\n')
  })
})
