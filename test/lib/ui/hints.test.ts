import {expect} from 'chai'

import type {AppLinkContext} from '../../../src/lib/api/addon.js'
import {fixHint, flagTarget, infoCommand, jwtAddCommand, listCommand, publicationsCommand, publishCommand, removeCommand, targetOf} from '../../../src/lib/ui/hints.js'

const context = (addonCount: number, addonNamed: boolean): AppLinkContext => ({
  addon: {id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', name: 'applink-one'},
  addonCount,
  addonNamed,
  apiUrl: 'https://applink.example.com',
  app: {id: 'app-id', name: 'my-app'},
  attachmentName: 'HEROKU_APPLINK',
  sso: 'sso',
  token: 'token',
})

describe('hints: the commands we suggest', () => {
  it('name the add-on only when the app has several or the user named one (by its name, even when given by id)', () => {
    expect(targetOf(context(1, false))).to.deep.equal({app: 'my-app'})
    expect(targetOf(context(1, true))).to.deep.equal({addon: 'applink-one', app: 'my-app'})
    expect(targetOf(context(2, true))).to.deep.equal({addon: 'applink-one', app: 'my-app'})
    expect(targetOf(context(3, false))).to.deep.equal({addon: 'applink-one', app: 'my-app'})
    expect(flagTarget('my-app')).to.deep.equal({app: 'my-app'})
    expect(flagTarget('my-app', 'some-id')).to.deep.equal({addon: 'some-id', app: 'my-app'})
  })

  it('put -a APP (and --addon) right after the command and its argument, before other flags', () => {
    const one = {app: 'my-app'}
    const two = {addon: 'applink-one', app: 'my-app'}
    expect(listCommand('connection', one)).to.equal('heroku applink:connections -a my-app')
    expect(infoCommand('authorization', 'my_auth', two)).to.equal('heroku applink:authorizations:info my_auth -a my-app --addon applink-one')
    expect(removeCommand('authorization', 'datacloud', 'dc_auth', two)).to.equal('heroku datacloud:authorizations:remove dc_auth -a my-app --addon applink-one')
    expect(removeCommand('connection', 'salesforce', 'my_org', one)).to.equal('heroku salesforce:disconnect my_org -a my-app')
    expect(jwtAddCommand('connection', 'salesforce', 'my_org', two)).to.equal('heroku salesforce:connect:jwt my_org -a my-app --addon applink-one --client-id CONSUMER_KEY --jwt-key-file server.key --username USER')
    expect(publicationsCommand(one, 'my_org')).to.equal('heroku salesforce:publications -a my-app --connection-name my_org')
    expect(publicationsCommand(two)).to.equal('heroku salesforce:publications -a my-app --addon applink-one')
    expect(publishCommand(two)).to.equal('heroku salesforce:publish api-spec.yaml -c CLIENT_NAME --connection-name NAME -a my-app --addon applink-one')
  })

  it('suggest a fix only for a failed record, the way it was made (no JWT connect for Data Cloud)', () => {
    const one = {app: 'my-app'}
    expect(fixHint('connection', {status: 'connected'}, 'salesforce', 'my_org', one)).to.equal(undefined)
    expect(fixHint('connection', {status: 'failed'}, 'datacloud', 'dc_org', one)).to.equal('Reconnect with: heroku datacloud:connect dc_org -a my-app')
    expect(fixHint('connection', {connection_method: 'JWT', status: 'disconnected'}, 'datacloud', 'dc_org', one)).to.equal('Reconnect with: heroku datacloud:connect dc_org -a my-app')
    expect(fixHint('authorization', {status: 'failed'}, 'salesforce', 'my_auth', one)).to.equal('Re-authorize with: heroku salesforce:authorizations:add my_auth -a my-app')
    expect(fixHint('authorization', {connection_method: 'JWT', status: 'failed'}, 'salesforce', 'my_auth', one)).to.equal('Add it again with: heroku salesforce:authorizations:jwt:add my_auth -a my-app --client-id CONSUMER_KEY --jwt-key-file server.key --username USER')
  })
})
