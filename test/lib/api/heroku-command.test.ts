/**
 * src/lib/api/host-package.ts and heroku-command.ts: which copy of `@heroku-cli/command` the
 * plugin uses. The running CLI's when it is a 13.x; otherwise, and when the plugin runs alone, its
 * own. Whole runs through `heroku` with a plugin that has copies of its own are in
 * test/integration/emulator-cli.test.ts.
 */
import {expect} from 'chai'
import {mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {herokuCommand, herokuCommandModule, herokuCommandPackage} from '../../../src/lib/api/heroku-command.js'
import {hostPackage} from '../../../src/lib/api/host-package.js'
import {fakeCli} from '../../helpers/fake-cli.js'

const NAME = '@heroku-cli/command'

describe('api/heroku-command: the running CLI\'s @heroku-cli/command', () => {
  let tmp: string
  beforeEach(() => {
    tmp = realpathSync(mkdtempSync(join(tmpdir(), 'applink-host-')))
  })
  afterEach(() => rmSync(tmp, {force: true, recursive: true}))

  it('is the 13.x next to the CLI file, with the folder of its package, also through a link to the CLI', () => {
    const bin = fakeCli(join(tmp, 'heroku'), NAME, '13.2.0')
    const root = join(tmp, 'heroku', 'node_modules', '@heroku-cli', 'command')
    expect(hostPackage(NAME, 13, bin)).to.deep.equal({entry: join(root, 'lib', 'index.js'), root})
    mkdirSync(join(tmp, '.bin'))
    symlinkSync(bin, join(tmp, '.bin', 'heroku'))
    expect(hostPackage(NAME, 13, join(tmp, '.bin', 'heroku'))).to.deep.equal({entry: join(root, 'lib', 'index.js'), root})
  })

  it('is not used when it is another major version, another package under that name, unreadable, or there is no CLI file', () => {
    expect(hostPackage(NAME, 13, fakeCli(join(tmp, 'old'), NAME, '12.1.0'))).to.equal(undefined)
    expect(hostPackage(NAME, 13, fakeCli(join(tmp, 'next'), NAME, '14.0.0'))).to.equal(undefined)
    expect(hostPackage(NAME, 13, fakeCli(join(tmp, 'fork'), NAME, '13.2.0', '@someone/command'))).to.equal(undefined)
    const broken = fakeCli(join(tmp, 'broken'), NAME, '13.2.0')
    writeFileSync(join(tmp, 'broken', 'node_modules', '@heroku-cli', 'command', 'package.json'), '{"name": "@heroku-cli/command", "version": ')
    expect(hostPackage(NAME, 13, broken)).to.equal(undefined)
    expect(hostPackage(NAME, 13, join(tmp, 'no-such-file.js'))).to.equal(undefined)
    expect(hostPackage(NAME, 13, '')).to.equal(undefined)
  })

  it('under mocha, is the project\'s own copy: the same modules as importing the package by name', async () => {
    const entry = createRequire(import.meta.url).resolve(NAME)
    expect(herokuCommandPackage().entry).to.equal(entry)
    const own = await import('@heroku-cli/command')
    expect((await herokuCommand()).APIClient).to.equal(own.APIClient)
    const git = await import('@heroku-cli/command/lib/git.js')
    expect((await herokuCommandModule<typeof git>('lib/git.js')).getGitRemotes).to.equal(git.getGitRemotes)
  })
})
