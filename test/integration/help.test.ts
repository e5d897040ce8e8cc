/**
 * Help and usage errors as a user meets them in the real `heroku` CLI: every topic has its own
 * description, and a missing flag is one plain sentence with what to do (also inside --json).
 */
import {expect} from 'chai'

import {explain, heroku} from './helpers/cli.js'

/** help text with oclif's wrapped description lines joined again */
const unwrap = (text: string) => text.replaceAll(/\n {10,}/g, ' ')

describe('help topics and usage errors through the heroku CLI', function () {
  this.timeout(120_000)

  it('heroku help salesforce describes the authorizations and connect topics with their own text', async () => {
    const r = await heroku(['help', 'salesforce'])
    expect(r.code, explain(r)).to.equal(0)
    const topics = unwrap(r.stdout.split('COMMANDS')[0])
    expect(topics).to.match(/salesforce:authorizations +add and remove Salesforce user authorizations: credentials an app's code uses to call the org as that user\n/)
    expect(topics).to.match(/salesforce:connect +connect a Salesforce org to an app, in a browser \(OAuth\) or with the JWT bearer flow\n/)
    expect(topics).not.to.contain('then wait until')
  })

  it('heroku help datacloud describes its topics with their own text', async () => {
    const r = await heroku(['help', 'datacloud'])
    expect(r.code, explain(r)).to.equal(0)
    const topics = unwrap(r.stdout.split('COMMANDS')[0])
    expect(topics).to.match(/datacloud:authorizations +add and remove Data Cloud user authorizations: credentials an app's code uses to call the org as that user\n/)
    expect(topics).to.match(/datacloud:data-action-target +create Data Cloud data action targets that send events to an app\n/)
  })

  it('heroku help applink gives the spec topic a description', async () => {
    const r = await heroku(['help', 'applink'])
    expect(r.code, explain(r)).to.equal(0)
    expect(unwrap(r.stdout)).to.match(/applink:spec +check an OpenAPI spec the way AppLink and Salesforce will, without publishing it\n/)
    const spec = await heroku(['help', 'applink:spec'])
    expect(unwrap(spec.stdout)).to.match(/applink:spec:validate +check an OpenAPI spec/)
  })

  it('a missing -a is one plain error with the fix, exit 2', async () => {
    const r = await heroku(['applink:connections'])
    expect(r.code, explain(r)).to.equal(2)
    expect(r.stdout).to.equal('')
    expect(r.stderr).to.equal([
      'Error: Missing required flag -a/--app.',
      '  › Name the app with -a APP, set HEROKU_APP, or run the command in the app\'s git checkout (its heroku git remote).',
      '  › See the command\'s flags with: heroku applink:connections --help',
      '',
    ].join('\n'))
  })

  it('a missing -a with --json is the same plain message in the error JSON', async () => {
    const r = await heroku(['applink:authorizations', '--json'])
    expect(r.code, explain(r)).to.equal(2)
    const {error} = JSON.parse(r.stdout) as {error: {hints: string[]; id: string; message: string}}
    expect(error.message).to.equal('Missing required flag -a/--app.')
    expect(error.id).to.equal('invalid_usage')
    expect(error.hints[0]).to.contain('-a APP')
    expect(r.stdout).not.to.contain('following error')
  })
})
