import {Flags} from '../../lib/ui/oclif.js'

import {AppLinkCommand} from '../../lib/cli/base.js'
import {assertNameOrId} from '../../lib/flows/lookup.js'
import {addCommand, publishCommand, targetOf} from '../../lib/ui/hints.js'
import {printTable} from '../../lib/ui/output.js'
import {listAppPublications} from '../../lib/flows/publications.js'
import type {Publication} from '../../lib/api/types.js'

export default class Publications extends AppLinkCommand {
  static description = 'list the Salesforce orgs an app is published to, with their External Service registrations'

  static examples = [
    '$ heroku salesforce:publications -a my-app',
    '$ heroku salesforce:publications -a my-app --connection-name my_org',
    '$ heroku salesforce:publications -a my-app --json | jq -r \'.[].esr_name\'',
  ]

  static flags = {
    connection_name: Flags.string({aliases: ['connection-name'], description: 'only this Salesforce connection (also --connection-name)', helpValue: '<name>'}),
  }

  async run(): Promise<Publication[]> {
    const {flags} = await this.parse(Publications)
    if (flags.connection_name) assertNameOrId('connection name', flags.connection_name)
    const {client, context} = await this.applink(flags.app, flags.addon)
    const target = targetOf(context)
    const {app} = target
    const {rows, searched, skipped} = await listAppPublications(client, target, flags.connection_name)
    return this.render(rows.map(r => r.publication), async () => {
      for (const c of skipped) this.io.note(`Skipped Salesforce connection ${c.org.connection_name}: it is ${c.status}, not connected.`)
      const empty = searched.length === 0
        ? `App ${app} has no connected Salesforce orgs. Connect one with: ${addCommand('connection', 'salesforce', 'NAME', target)}`
        : `App ${app} is not published to ${flags.connection_name ? `Salesforce connection ${flags.connection_name}` : 'any connected Salesforce org'} yet. Publish it with: ${publishCommand(target, flags.connection_name)}`
      await printTable(this.io, `Heroku AppLink publications for app ${app}`, rows, [
        {get: r => r.publication.connection_name || r.connection.org.connection_name, header: 'Connection Name'},
        {get: r => r.publication.org_id || r.connection.org.id, header: 'Org ID'},
        {get: r => r.publication.esr_name, header: 'External Service'},
        {get: r => r.publication.created_at, header: 'Created Date'},
        {get: r => r.publication.created_by, header: 'Created By'},
        {get: r => r.publication.last_modified_at, header: 'Last Modified'},
      ], empty)
    })
  }
}
