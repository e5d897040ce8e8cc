/**
 * `@oclif/core` for the whole plugin: the running CLI's own copy when it has a compatible one,
 * else the plugin's dependency. Under `heroku`, the CLI has loaded its `@oclif/core` before any
 * plugin code runs; importing the plugin's copy as well would compile a second one (about 90 ms
 * of every command's start-up on a 2-core machine, see docs/performance.md). Commands, flags and
 * the spinner then also come from the instance that parses and runs them.
 *
 * Every value import of `@oclif/core` goes through here (eslint.config.js); type imports may name
 * the package directly.
 */
import {pathToFileURL} from 'node:url'

import type * as OclifCore from '@oclif/core'

import {hostPackage} from '../api/host-package.js'

/** The major version this plugin is written against; another major of the host is not used. */
const MAJOR = 4

/** The entry file of the `@oclif/core` the running CLI (process.argv[1]) resolves, if it is a 4.x. */
export function hostCoreEntry(cliEntry: string | undefined = process.argv[1] ?? ''): string | undefined {
  return hostPackage('@oclif/core', MAJOR, cliEntry)?.entry
}

async function load(): Promise<typeof OclifCore> {
  const host = hostCoreEntry()
  if (host) {
    try {
      return await import(pathToFileURL(host).href) as typeof OclifCore
    } catch {}
  }

  return import('@oclif/core')
}

export const oclif: typeof OclifCore = await load()
export const {Args, Command, Flags} = oclif
export const ux: typeof OclifCore.ux = oclif.ux
