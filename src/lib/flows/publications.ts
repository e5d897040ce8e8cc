/**
 * `salesforce:publications`: which connected Salesforce orgs an app is published to. One request
 * for the connections (or the one named), then one per connected Salesforce org, in parallel.
 */
import type {AppLinkClient} from '../api/applink-client.js'
import {AppLinkError} from '../api/errors.js'
import {isNotFound, orNotFound} from './lookup.js'
import {type CommandTarget, fixHint, infoCommand, listCommand} from '../ui/hints.js'
import type {Connection, Publication} from '../api/types.js'

export interface PublicationRow {
  connection: Connection
  publication: Publication
}

export interface PublicationList {
  rows: PublicationRow[]
  /** Salesforce connections left out because they are not connected, for a note */
  skipped: Connection[]
  /** connected Salesforce orgs that were asked */
  searched: Connection[]
}

const isSalesforce = (c: Connection) => c.org?.type === 'SalesforceOrg'

export async function listAppPublications(client: AppLinkClient, target: CommandTarget, connectionName?: string): Promise<PublicationList> {
  let candidates: Connection[]
  if (connectionName) {
    const resource = {...target, kind: 'connection', label: 'Salesforce connection', name: connectionName} as const
    const connection = await orNotFound(resource, client.getConnection(connectionName))
    assertPublishable(connection, connectionName, target)
    candidates = [connection]
  } else {
    candidates = (await client.listConnections() ?? []).filter(c => isSalesforce(c))
  }

  const searched = candidates.filter(c => c.status === 'connected')
  const skipped = candidates.filter(c => c.status !== 'connected')
  const lists = await Promise.all(searched.map(async connection => {
    const name = connection.org.connection_name
    let found: Publication | Publication[] | undefined
    try {
      found = await client.listPublications(name)
    } catch (error) {
      // the org is connected but holds nothing of this app
      if (!isNotFound(error)) throw error
    }

    const publications = Array.isArray(found) ? found : found ? [found] : []
    return publications.map(publication => ({connection, publication}))
  }))
  return {rows: lists.flat(), searched, skipped}
}

function assertPublishable(connection: Connection, name: string, target: CommandTarget): void {
  const {app} = target
  if (!isSalesforce(connection)) {
    throw new AppLinkError(`Connection ${name} on app ${app} is not a Salesforce org connection; apps are published only to Salesforce orgs.`, {
      hints: [`List the app's connections with: ${listCommand('connection', target)}`],
      id: 'not_salesforce_connection',
    })
  }

  if (connection.status !== 'connected') {
    // the fix named is an OAuth login, whichever way the connection was made
    const fix = fixHint('connection', {status: connection.status}, 'salesforce', name, target)
    throw new AppLinkError(`Salesforce connection ${name} on app ${app} is ${connection.status}, not connected.`, {
      hints: fix ? [fix] : [`Check it with: ${infoCommand('connection', name, target)}`],
      id: 'connection_not_connected',
    })
  }
}
