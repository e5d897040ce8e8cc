/**
 * src/lib/api/host-package.ts and heroku-command.ts: which copy of a package the plugin uses, the
 * running CLI's (`@oclif/core` 4.x, `@heroku-cli/command` 13.x) or its own. Whole runs through
 * `heroku` with a plugin that has copies of its own are in test/integration/emulator-cli.test.ts
 * and credentials.test.ts.
 */
import {expect} from 'chai'
import {mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {herokuCommand, herokuCommandModule, herokuCommandPackage} from '../../../src/lib/api/heroku-command.js'
import {hostPackage} from '../../../src/lib/api/host-package.js'
import {hostCoreEntry} from '../../../src/lib/ui/oclif.js'

/** A CLI folder as npm lays one out: bin/run.js, and node_modules/PACKAGE at `version`, named `name`. */
function fakeCli(root: string, pkg: string, version: string, name = pkg): string {
  const dir = join(root, 'node_modules', ...pkg.split('/'))
  mkdirSync(join(dir, 'lib'), {recursive: true})
  mkdirSync(join(root, 'bin'), {recursive: true})
  writeFileSync(join(dir, 'package.json'), JSON.stringify({exports: {'.': './lib/index.js'}, main: 'lib/index.js', name, version}))
  writeFileSync(join(dir, 'lib', 'index.js'), 'module.exports = {}\n')
  writeFileSync(join(root, 'bin', 'run.js'), '')
  return join(root, 'bin', 'run.js')
}

describe('api/host-package: the running CLI\'s copy of a package', () => {
  let tmp: string
  beforeEach(() => {
    tmp = realpathSync(mkdtempSync(join(tmpdir(), 'applink-host-')))
  })
  afterEach(() => rmSync(tmp, {force: true, recursive: true}))

  for (const [name, major] of [['@heroku-cli/command', 13], ['@oclif/core', 4]] as const) {
    it(`${name}: the ${major}.x next to the CLI file, with its package folder, also through a link to the CLI (node_modules/.bin)`, () => {
      const bin = fakeCli(join(tmp, 'heroku'), name, `${major}.2.0`)
      const root = join(tmp, 'heroku', 'node_modules', ...name.split('/'))
      const found = {entry: join(root, 'lib', 'index.js'), root}
      expect(hostPackage(name, major, bin)).to.deep.equal(found)
      mkdirSync(join(tmp, '.bin'))
      symlinkSync(bin, join(tmp, '.bin', 'heroku'))
      expect(hostPackage(name, major, join(tmp, '.bin', 'heroku'))).to.deep.equal(found)
    })

    it(`${name}: not used when it is another major, another package under that name, unreadable, or there is no CLI file`, () => {
      expect(hostPackage(name, major, fakeCli(join(tmp, 'old'), name, `${major - 1}.9.0`))).to.equal(undefined)
      expect(hostPackage(name, major, fakeCli(join(tmp, 'next'), name, `${major + 1}.0.0`))).to.equal(undefined)
      expect(hostPackage(name, major, fakeCli(join(tmp, 'fork'), name, `${major}.2.0`, '@someone/fork'))).to.equal(undefined)
      const broken = fakeCli(join(tmp, 'broken'), name, `${major}.2.0`)
      writeFileSync(join(tmp, 'broken', 'node_modules', ...name.split('/'), 'package.json'), `{"name": "${name}", "version": `)
      expect(hostPackage(name, major, broken)).to.equal(undefined)
      expect(hostPackage(name, major, join(tmp, 'no-such-file.js'))).to.equal(undefined)
      expect(hostPackage(name, major, '')).to.equal(undefined)
    })
  }

  it('ui/oclif\'s hostCoreEntry is the entry of the CLI\'s @oclif/core 4.x', () => {
    expect(hostCoreEntry(fakeCli(join(tmp, 'heroku'), '@oclif/core', '4.8.4'))).to.equal(join(tmp, 'heroku', 'node_modules', '@oclif', 'core', 'lib', 'index.js'))
    expect(hostCoreEntry(fakeCli(join(tmp, 'next'), '@oclif/core', '5.0.0'))).to.equal(undefined)
  })

  it('under mocha, @heroku-cli/command is the project\'s own copy: the same modules as importing it by name', async () => {
    expect(herokuCommandPackage().entry).to.equal(createRequire(import.meta.url).resolve('@heroku-cli/command'))
    const own = await import('@heroku-cli/command')
    expect((await herokuCommand()).APIClient).to.equal(own.APIClient)
    const git = await import('@heroku-cli/command/lib/git.js')
    expect((await herokuCommandModule<typeof git>('lib/git.js')).getGitRemotes).to.equal(git.getGitRemotes)
  })
})
