/**
 * A CLI folder as npm lays one out, for the tests of which copy of a package the running CLI
 * resolves (src/lib/api/host-package.ts): bin/run.js, and node_modules/NAME of a version, whose
 * main module is lib/index.js.
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

/** Lays out `root` with `dir` (a folder under node_modules) holding a package named `name` at `version`; returns bin/run.js. */
export function fakeCli(root: string, dir: string, version: string, name = dir): string {
  const pkg = join(root, 'node_modules', ...dir.split('/'))
  mkdirSync(join(pkg, 'lib'), {recursive: true})
  mkdirSync(join(root, 'bin'), {recursive: true})
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({exports: {'.': './lib/index.js'}, main: 'lib/index.js', name, version}))
  writeFileSync(join(pkg, 'lib', 'index.js'), 'module.exports = {}\n')
  writeFileSync(join(root, 'bin', 'run.js'), '')
  return join(root, 'bin', 'run.js')
}
