import {expect} from 'chai'
import {mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {hostCoreEntry, oclif} from '../../../src/lib/ui/oclif.js'
import {fakeCli as fakeCliOf} from '../../helpers/fake-cli.js'

const fakeCli = (root: string, version: string, name = '@oclif/core'): string => fakeCliOf(root, '@oclif/core', version, name)

describe('ui/oclif: the running CLI\'s @oclif/core', () => {
  let tmp: string
  beforeEach(() => {
    tmp = realpathSync(mkdtempSync(join(tmpdir(), 'applink-oclif-')))
  })
  afterEach(() => rmSync(tmp, {force: true, recursive: true}))

  it('is the copy next to the CLI file, also when the CLI is started through a link (node_modules/.bin)', () => {
    const bin = fakeCli(join(tmp, 'heroku'), '4.8.4')
    const entry = join(tmp, 'heroku', 'node_modules', '@oclif', 'core', 'lib', 'index.js')
    expect(hostCoreEntry(bin)).to.equal(entry)
    mkdirSync(join(tmp, '.bin'))
    symlinkSync(bin, join(tmp, '.bin', 'heroku'))
    expect(hostCoreEntry(join(tmp, '.bin', 'heroku'))).to.equal(entry)
  })

  it('is not used when it is another major version, not @oclif/core, or the CLI file is not there', () => {
    expect(hostCoreEntry(fakeCli(join(tmp, 'old'), '3.27.0'))).to.equal(undefined)
    expect(hostCoreEntry(fakeCli(join(tmp, 'next'), '5.0.0'))).to.equal(undefined)
    expect(hostCoreEntry(fakeCli(join(tmp, 'fork'), '4.1.0', '@someone/core'))).to.equal(undefined)
    expect(hostCoreEntry(join(tmp, 'no-such-file.js'))).to.equal(undefined)
    expect(hostCoreEntry('')).to.equal(undefined)
  })

  it('under mocha, is the project\'s own copy, with the classes the commands extend', async () => {
    const own = await import('@oclif/core')
    expect(oclif.Command).to.equal(own.Command)
    expect(oclif.Flags.string).to.equal(own.Flags.string)
  })
})
