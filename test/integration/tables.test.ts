/**
 * List tables as a user sees them: through the real `heroku` CLI, on an 80-column pseudo-terminal
 * (`script`, with `stty cols 80`) and piped, against the emulator holding a connection that failed
 * with a long error.
 */
import {expect} from 'chai'
import {spawn} from 'node:child_process'

import {stripAnsi} from '../../scripts/lib/heroku-env.mjs'
import type {Emulator} from '../../src/emulator/server/server.js'
import {answerLogin, applink, provision, removeTempDirs, start} from '../emulator/helpers.js'
import {explain, heroku, sharedStage} from './helpers/cli.js'

const DENIED = 'The Salesforce user denied access (OAuth error access_denied: end-user denied authorization).'

/** Runs `heroku ...args` in a pseudo-terminal of `columns` columns; resolves with what it drew. */
async function onTerminal(args: string[], env: Record<string, string>, columns: number): Promise<{code: null | number; text: string}> {
  const stage = await sharedStage()
  const quote = (a: string) => `'${a.replaceAll("'", "'\\''")}'`
  const command = `stty cols ${columns} rows 40; exec ${[stage.node, stage.bin, ...args].map(a => quote(a)).join(' ')}`
  const child = spawn('script', ['-qec', command, '/dev/null'], {cwd: stage.cwd, env: {...stage.env, ...env} as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe']})
  let text = ''
  child.stdout.on('data', d => {
    text += d
  })
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const code = await new Promise<null | number>(resolve => {
    child.once('exit', c => resolve(c))
  })
  clearTimeout(guard)
  return {code, text: stripAnsi(text).replaceAll('\r\n', '\n')}
}

describe('list tables fit the terminal, through the heroku CLI', function () {
  this.timeout(180_000)
  let emu: Emulator
  let env: Record<string, string>

  before(async function () {
    this.timeout(240_000)
    await sharedStage()
    emu = await start()
    const p = await provision(emu, 'table-app')
    await applink(emu, p, 'POST', '/connections/salesforce', {connection_name: 'good_org'}).then(r => answerLogin(r.body.redirect_uri, {decision: 'allow', username: 'a.rather.long.username@some-company-name.example'}))
    await applink(emu, p, 'POST', '/connections/salesforce', {connection_name: 'denied_org'}).then(r => answerLogin(r.body.redirect_uri, {decision: 'deny'}))
    env = {HEROKU_API_KEY: emu.apiKey, HEROKU_HOST: emu.url}
  })
  after(async () => {
    await emu?.close()
    removeTempDirs()
  })

  it('on an 80-column terminal no line is wider than the terminal, and long cells end with …', async () => {
    const r = await onTerminal(['applink:connections', '-a', 'table-app'], env, 80)
    expect(r.code, r.text).to.equal(0)
    const lines = r.text.split('\n').filter(l => l.trim() !== '')
    const table = lines.slice(lines.findIndex(l => l.includes('Connection Name')))
    expect(table.length, r.text).to.equal(4)
    for (const line of table) expect(line.length, `wider than 80 columns:\n${r.text}`).to.be.below(80)
    expect(table[3]).to.match(/^ {2}denied_org .*failed .*The Sal\S*…$/)
    expect(r.text).not.to.contain(DENIED)
  })

  it('piped, every value is whole, and the rule is as wide as the header line', async () => {
    const all = await heroku(['applink:connections', '-a', 'table-app'], {env})
    expect(all.code, explain(all)).to.equal(0)
    expect(all.stdout).to.contain(DENIED)
    expect(all.stdout).to.contain('a.rather.long.username@some-company-name.example')
    const [, header, rule] = all.stdout.split('\n').filter(Boolean)
    // the rule runs under the header line, not out to the end of the long error
    expect(rule.length).to.equal(header.trimEnd().length)

    const json = await heroku(['applink:connections', '-a', 'table-app', '--json'], {env})
    expect((JSON.parse(json.stdout) as Array<{error?: {message: string}}>).map(c => c.error?.message)).to.include(DENIED)
  })
})
