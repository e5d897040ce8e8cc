/**
 * The sending half of `salesforce:publish`: its flags as the library reads them, and the upload:
 * the multipart body, a progress line for big uploads on a terminal (else one step line), sent
 * once with recovery (an ambiguous failure is never resent: the user is told how to check), and a
 * failure worded with the commands to run next. Checking and zipping are in `publish.ts`.
 */
import {Flags} from '../ui/oclif.js'

import type {AppLinkClient} from '../api/applink-client.js'
import {type CommandTarget, publicationsCommand} from '../ui/hints.js'
import type {IO} from '../ui/io.js'
import {step} from '../ui/progress.js'
import {buildMultipart, publishFailure, type PublishInput, type PublishPlan, uploadProgress} from './publish.js'
import {createOrRecover} from './recover.js'

export const publishFlags = {
  'authorization-connected-app-name': Flags.string({description: '(deprecated: use --authorization-external-client-app-name) connected app to create from AppLink\'s template'}),
  'authorization-external-client-app-name': Flags.string({description: 'external client app to create from AppLink\'s template, for user-plus operations'}),
  'authorization-permission-set-name': Flags.string({description: 'permission set to create from AppLink\'s template, for user-plus operations'}),
  'client-name': Flags.string({char: 'c', description: 'name Salesforce gives the generated client (External Service)', required: true}),
  'connection-name': Flags.string({description: 'Salesforce connection (org) to publish to', required: true}),
  'dry-run': Flags.boolean({description: 'check the spec and show what would be published, without credentials or requests'}),
  'metadata-dir': Flags.string({description: 'directory holding connectedapp-meta.xml and/or permissionset-meta.xml to send along'}),
}

type PublishFlagValues = {'client-name': string; 'connection-name': string} & Partial<Record<'authorization-connected-app-name' | 'authorization-external-client-app-name' | 'authorization-permission-set-name' | 'metadata-dir', string>>

/** What `preparePublish` reads, from the command's flags. */
export function publishInput(flags: PublishFlagValues, specFile: string): PublishInput {
  return {
    authorization: {connectedAppName: flags['authorization-connected-app-name'], externalClientAppName: flags['authorization-external-client-app-name'], permissionSetName: flags['authorization-permission-set-name']},
    clientName: flags['client-name'],
    connectionName: flags['connection-name'],
    metadataDir: flags['metadata-dir'],
    specFile,
  }
}

export interface UploadOptions {
  /** false with --json: no progress at all */
  human: boolean
  /** the command's streams: a big upload redraws a progress line when stderr is a terminal (and CI is unset) */
  io: IO
}

/** Sends the prepared zip; resolves to the service's answer, or throws the failure worded for the user. */
export async function uploadPlan(client: AppLinkClient, prepared: {plan: PublishPlan; zip: Uint8Array}, target: CommandTarget, options: UploadOptions): Promise<unknown> {
  const {plan} = prepared
  const multipart = await buildMultipart(prepared.zip, plan.appRequest)
  const progress = options.human && options.io.liveProgress && multipart.body.length > 1024 * 1024 ? uploadProgress(options.io, `Uploading ${plan.file}`) : undefined
  const upload = () => createOrRecover(() => client.publish(plan.connectionName, multipart, {onProgress: progress?.update}), {
    check: publicationsCommand(target, plan.connectionName),
    note: text => options.io.noteRedacted(text),
    subject: `the publication of ${plan.file} to ${plan.connectionName}`,
  })
  .catch(error => {
    throw publishFailure(error, plan, target)
  })
  .finally(() => progress?.done())
  // a progress line for big uploads on a terminal; otherwise one step line (a spinner on a terminal)
  return progress ? upload() : step(`Publishing ${plan.file} to ${plan.connectionName} as ${plan.clientName}`, upload, {io: options.io, quiet: !options.human})
}
