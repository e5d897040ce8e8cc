/**
 * `@heroku-cli/command` (the Heroku CLI's Platform API client, its git remote lookup and its
 * credential store handlers), from the running CLI's own copy when that is a 13.x, else from the
 * plugin's dependency.
 *
 * The plugin's own copy imports the plugin's own `@oclif/core` and the rest of its tree, all
 * compiled a second time under `heroku`; the CLI's copy shares what the CLI has loaded already
 * (about 0.3 s of every command that needs this client on a 2-core machine, docs/performance.md).
 * Every value import of the package goes through here (eslint.config.js), so the client, the
 * guard that patches its HTTP layer for debug output (`debug.ts`) and the credential handlers are
 * always one and the same copy.
 */
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import type * as HerokuCommand from '@heroku-cli/command'

import {type FoundPackage, hostPackage} from './host-package.js'

const NAME = '@heroku-cli/command'
/** The major version this plugin is written against; the CLI's copy of another major is not used. */
const MAJOR = 13

let inUse: FoundPackage | undefined

/** The copy in use: the running CLI's when it is a 13.x, otherwise the plugin's own (its dependency is ^13). */
export function herokuCommandPackage(): FoundPackage {
  inUse ??= hostPackage(NAME, MAJOR) ?? hostPackage(NAME, MAJOR, fileURLToPath(import.meta.url))
  if (!inUse) throw new Error(`${NAME} ${MAJOR}.x is missing from the plugin's node_modules: reinstall the plugin.`)
  return inUse
}

/** The package's main module (`APIClient`, `vars`…). */
export async function herokuCommand(): Promise<typeof HerokuCommand> {
  return import(pathToFileURL(herokuCommandPackage().entry).href) as Promise<typeof HerokuCommand>
}

/** One of the package's own modules, by its path in the package (`lib/git.js`; 13.x has no exports map). */
export async function herokuCommandModule<T>(path: string): Promise<T> {
  return import(pathToFileURL(join(herokuCommandPackage().root, path)).href) as Promise<T>
}
