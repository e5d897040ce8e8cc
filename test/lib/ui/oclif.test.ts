/**
 * src/lib/ui/oclif.ts: `@oclif/core` for the whole plugin. Which copy the running CLI resolves is
 * tested with the other packages in test/lib/api/host-package.test.ts.
 */
import {expect} from 'chai'

import {oclif} from '../../../src/lib/ui/oclif.js'

describe('ui/oclif: the running CLI\'s @oclif/core', () => {
  it('under mocha, is the project\'s own copy, with the classes the commands extend', async () => {
    const own = await import('@oclif/core')
    expect(oclif.Command).to.equal(own.Command)
    expect(oclif.Flags.string).to.equal(own.Flags.string)
  })
})
