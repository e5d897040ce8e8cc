/**
 * The running CLI's own copy of a package the plugin also depends on.
 *
 * `heroku plugins:install` gives the plugin copies of its own of `@oclif/core` and
 * `@heroku-cli/command`, beside the CLI's. The CLI has loaded its `@oclif/core` before any plugin
 * code runs; a plugin that imports its own compiles a second one, and its own `@heroku-cli/command`
 * would bring that second `@oclif/core` along (see docs/performance.md). So the plugin asks which
 * copy the CLI file (`process.argv[1]`, through its links) resolves, and uses it when it is of the
 * major version the plugin is written against. Run alone (`./bin/run.js`), argv[1] is the plugin's
 * own bin, which resolves the plugin's copies: the same answer as importing the package by name.
 */
import {readFileSync, realpathSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'

/** A package as found: its entry file and the folder that holds its package.json. */
export interface FoundPackage {
  entry: string
  root: string
}

/** `entry`'s package: the nearest package.json above it that names `name`, with its folder and version. */
function packageOf(entry: string, name: string): {root: string; version?: string} | undefined {
  for (let dir = dirname(entry), depth = 0; depth < 6; dir = dirname(dir), depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {name?: string; version?: string}
      if (pkg.name === name) return {root: dir, version: pkg.version}
    } catch {
      // no package.json here (or a partial one): look further up
    }

    if (dirname(dir) === dir) break
  }

  return undefined
}

/**
 * `name` as the file `cliEntry` (the running CLI's, by default) resolves it, when that copy is
 * version `major`.x; undefined otherwise (another major, another package under that name, no CLI
 * file: `node -e`, a REPL).
 */
export function hostPackage(name: string, major: number, cliEntry: string | undefined = process.argv[1] ?? ''): FoundPackage | undefined {
  if (!cliEntry) return undefined
  try {
    const entry = createRequire(realpathSync(cliEntry)).resolve(name)
    const pkg = packageOf(entry, name)
    if (!pkg || Number(pkg.version?.split('.')[0]) !== major) return undefined
    return {entry, root: pkg.root}
  } catch {
    return undefined
  }
}
