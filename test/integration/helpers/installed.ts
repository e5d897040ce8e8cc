/**
 * The plugin as `heroku plugins:install` lays it out for a user, and the CLI's telemetry as a user
 * has it. The shared stage links the repository's node_modules, where the plugin and the CLI share
 * one copy of every package, and the test environment turns telemetry off; both would hide what a
 * user's CLI does differently.
 */
import {appendFileSync, cpSync, mkdirSync, readdirSync, rmSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'

import {repoRoot, type Stage, stagePlugin} from '../../../scripts/lib/heroku-env.mjs'

/**
 * Telemetry at the CLI's default (on), its analytics sent to a closed port on 127.0.0.1. The CLI
 * then installs its own signal and exit handlers, as for a user.
 */
export const TELEMETRY_DEFAULT = {DISABLE_TELEMETRY: undefined, HEROKU_ANALYTICS_URL: 'http://127.0.0.1:9/'}

/** The environment variable naming the file where the plugin's own copies note that they were loaded. */
export const OWN_COPY_MARKER = 'APPLINK_TEST_CORE_MARKER'

/**
 * The packages a plugin installed with `plugins:install` has copies of, beside the CLI's; the
 * HTTP layer too, whose debug output the plugin guards in the copy its client is made from.
 */
const OWN_COPIES: Record<string, string[]> = {'@heroku': ['http-call'], '@heroku-cli': ['command'], '@oclif': ['core']}

/**
 * A staged plugin whose node_modules is a folder of links to the repository's, but with real
 * copies of @oclif/core, @heroku-cli/command and @heroku/http-call. The first two note when they
 * are loaded ("the plugin's own @oclif/core", "… @heroku-cli/command") in the file OWN_COPY_MARKER
 * names. Remove it with `stage.cleanup()`.
 */
export async function installedStage(): Promise<Stage> {
  const stage = await stagePlugin()
  const nm = join(stage.pluginDir, 'node_modules')
  const source = join(repoRoot, 'node_modules')
  rmSync(nm, {force: true, recursive: true})
  mkdirSync(nm, {recursive: true})
  for (const entry of readdirSync(source)) {
    const copied = OWN_COPIES[entry]
    if (!copied) {
      symlinkSync(join(source, entry), join(nm, entry))
      continue
    }

    mkdirSync(join(nm, entry))
    for (const inside of readdirSync(join(source, entry))) {
      if (copied.includes(inside)) cpSync(join(source, entry, inside), join(nm, entry, inside), {recursive: true})
      else symlinkSync(join(source, entry, inside), join(nm, entry, inside))
    }
  }

  const note = (what: string) => `(process.env.${OWN_COPY_MARKER}, 'the plugin\\'s own ${what}\\n')`
  appendFileSync(join(nm, '@oclif', 'core', 'lib', 'index.js'), `\nif (process.env.${OWN_COPY_MARKER}) require('node:fs').appendFileSync${note('@oclif/core')}\n`)
  // an ES module; vars.js is imported by its main module and by lib/git.js alike
  appendFileSync(join(nm, '@heroku-cli', 'command', 'lib', 'vars.js'), `\nimport {appendFileSync as markLoaded} from 'node:fs'\nif (process.env.${OWN_COPY_MARKER}) markLoaded${note('@heroku-cli/command')}\n`)
  return stage
}
