/**
 * The colours of human output come from `@heroku-cli/color`: a failed status red, a good one green,
 * a pending one yellow, labels bold, on a terminal (or with FORCE_COLOR); plain text with NO_COLOR,
 * as the CLI does. Each case runs in its own process: the colour level is decided when the module loads.
 */
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const output = fileURLToPath(new URL('../../../dist/lib/ui/output.js', import.meta.url))
const SCRIPT = `const o = await import(${JSON.stringify(output)}); const c = await o.colors(); console.log(JSON.stringify([o.statusText('failed'), o.statusText('connected'), o.statusText('connecting'), c.label('Name')]))`

function painted(env: Record<string, string>): string[] {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['FORCE_COLOR', 'NO_COLOR'].includes(k)))
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT], {encoding: 'utf8', env: {...clean, ...env}, stdio: ['ignore', 'pipe', 'ignore']}))
}

describe('output colours', function () {
  this.timeout(30_000)

  it('paints statuses and labels when colour is on', () => {
    expect(painted({FORCE_COLOR: '1'})).to.deep.equal(['\u001B[31mfailed\u001B[39m', '\u001B[32mconnected\u001B[39m', '\u001B[33mconnecting\u001B[39m', '\u001B[1mName\u001B[22m'])
  })

  it('prints plain text with NO_COLOR, even when colour is forced', () => {
    expect(painted({FORCE_COLOR: '1', NO_COLOR: '1'})).to.deep.equal(['failed', 'connected', 'connecting', 'Name'])
  })

  it('prints plain text when stdout is not a terminal', () => {
    expect(painted({})).to.deep.equal(['failed', 'connected', 'connecting', 'Name'])
  })
})
