import {expect} from 'chai'
import {PassThrough} from 'node:stream'

import {askOnTerminal, askToConfirm, type Confirmation, confirmDestructive, needsPrompt} from '../../../src/lib/ui/confirm.js'
import {AppLinkError} from '../../../src/lib/api/errors.js'

const base: Confirmation = {
  action: 'disconnect Salesforce connection my_org from my-app',
  command: 'heroku salesforce:disconnect my_org -a my-app',
  interactive: false,
  name: 'my_org',
}

function thrown(fn: () => unknown): AppLinkError {
  try {
    fn()
  } catch (error) {
    return error as AppLinkError
  }

  throw new Error('did not throw')
}

async function rejected(p: Promise<unknown>): Promise<AppLinkError> {
  try {
    await p
  } catch (error) {
    return error as AppLinkError
  }

  throw new Error('did not reject')
}

describe('confirm', () => {
  it('accepts a matching --confirm without asking, with or without a terminal', async () => {
    expect(needsPrompt({...base, confirm: 'my_org'})).to.equal(false)
    let asked = false
    await confirmDestructive({...base, confirm: 'my_org', interactive: true}, async () => {
      asked = true
      return ''
    })
    expect(asked).to.equal(false)
  })

  it('refuses a --confirm that does not match (exit 2), even on a terminal', () => {
    for (const interactive of [false, true]) {
      const err = thrown(() => needsPrompt({...base, confirm: 'other_org', interactive}))
      expect(err.exitCode).to.equal(2)
      expect(err.id).to.equal('confirmation_mismatch')
      expect(err.message).to.equal('Confirmation "other_org" did not match my_org. Nothing was changed.')
    }
  })

  it('refuses to go on without a terminal and without --confirm, saying how to confirm', () => {
    const err = thrown(() => needsPrompt(base))
    expect(err.exitCode).to.equal(2)
    expect(err.id).to.equal('confirmation_required')
    expect(err.message).to.contain('confirm it with --confirm my_org')
    expect(err.hints).to.deep.equal(['Run again with: heroku salesforce:disconnect my_org -a my-app --confirm my_org'])
  })

  it('asks on a terminal and goes on when the typed name matches', async () => {
    const questions: string[] = []
    await confirmDestructive({...base, interactive: true}, async q => {
      questions.push(q)
      return ' my_org '
    })
    expect(questions).to.deep.equal(['To disconnect Salesforce connection my_org from my-app, type my_org:'])
  })

  it('stops with exit 2 when the typed name does not match', async () => {
    const err = await rejected(askToConfirm({...base, interactive: true}, async () => 'my_or'))
    expect(err.exitCode).to.equal(2)
    expect(err.message).to.equal('Confirmation "my_or" did not match my_org. Nothing was changed.')
  })

  it('turns Ctrl-C at the prompt into exit 130', async () => {
    const err = await rejected(askToConfirm({...base, interactive: true}, async () => {
      const e = new Error('User force closed the prompt')
      e.name = 'ExitPromptError'
      throw e
    }))
    expect(err.exitCode).to.equal(130)
    expect(err.id).to.equal('interrupted')
  })

  it('reads the answer with @inquirer/prompts from the given streams, drawing on the output stream', async () => {
    const input = new PassThrough()
    const output = new PassThrough()
    let drawn = ''
    output.on('data', c => {
      drawn += c
    })
    input.write('my_org\n')
    const answer = await askOnTerminal('Type my_org:', {input, output})
    expect(answer).to.equal('my_org')
    expect(drawn).to.contain('Type my_org:')
  })

  const drawnAnswer = async (typed: string) => {
    const input = new PassThrough()
    const output = new PassThrough()
    let drawn = ''
    output.on('data', c => {
      drawn += c
    })
    input.write(`${typed}\n`)
    const answer = await askOnTerminal('To disconnect my_org, type my_org:', {input, output}, 'my_org')
    // the last line drawn is the answered question
    // eslint-disable-next-line no-control-regex
    const plain = drawn.replaceAll(/\u001B\[[\d;?]*[A-Za-z]/g, '').trim()
    const last = plain.slice(Math.max(plain.lastIndexOf('✔'), plain.lastIndexOf('✖'), plain.lastIndexOf('?')))
    return {answer, last}
  }

  it('marks a matching typed name with a check', async () => {
    const {answer, last} = await drawnAnswer('my_org')
    expect(answer).to.equal('my_org')
    expect(last).to.equal('✔ To disconnect my_org, type my_org: my_org')
  })

  it('marks a typed name that does not match with a cross, not a check', async () => {
    const {answer, last} = await drawnAnswer('my_orgg')
    expect(answer).to.equal('my_orgg')
    expect(last).to.equal('✖ To disconnect my_org, type my_org: my_orgg')
  })
})
