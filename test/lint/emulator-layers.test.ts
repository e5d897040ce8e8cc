/**
 * The emulator's folders by concern (src/emulator/README.md): each folder may import only the
 * folders below it, `store/` may name the type of an org's data and nothing else, and no loose
 * file sits at the top of src/emulator/.
 */
import {expect} from 'chai'
import {ESLint} from 'eslint'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

async function messages(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({cwd: root})
  const [result] = await eslint.lintText(code, {filePath: `${root}/${file}`})
  return result.messages.map(m => `${m.line}:${m.ruleId}:${m.message}`)
}

describe('lint: the emulator\'s folders import downwards only', function () {
  this.timeout(120_000)

  it('refuses an import of a folder above, static or import(), and names what the folder may import', async () => {
    const code = "import {startEmulator} from '../server/server.js'\nexport const links = () => import('../applink/links.js')\nexport {startEmulator}\n"
    expect(await messages('src/emulator/platform/example.ts', code)).to.deep.equal([
      '1:no-restricted-syntax:src/emulator/platform/ may import only http/, store/ (src/emulator/platform/index.ts)',
      '2:no-restricted-syntax:src/emulator/platform/ may import only http/, store/ (src/emulator/platform/index.ts)',
    ])
  })

  it('places logs/ above platform/: it may read apps and the key check, and no service below imports it', async () => {
    const allowed = "import {requireApp} from '../platform/model.js'\nimport {sendJson} from '../http/reply.js'\nexport {requireApp, sendJson}\n"
    expect(await messages('src/emulator/logs/example.ts', allowed)).to.deep.equal([])
    const refused = "import {startEmulator} from '../server/server.js'\nimport {authenticate} from '../applink/caller.js'\nexport {authenticate, startEmulator}\n"
    expect(await messages('src/emulator/logs/example.ts', refused)).to.deep.equal([
      '1:no-restricted-syntax:src/emulator/logs/ may import only platform/, http/, store/ (src/emulator/logs/index.ts)',
      '2:no-restricted-syntax:src/emulator/logs/ may import only platform/, http/, store/ (src/emulator/logs/index.ts)',
    ])
    expect(await messages('src/emulator/platform/example.ts', "export {logBook} from '../logs/book.js'\n")).to.deep.equal([
      '1:no-restricted-syntax:src/emulator/platform/ may import only http/, store/ (src/emulator/platform/index.ts)',
    ])
  })

  it('counts a file one level down (org/routes/) by its folder', async () => {
    const code = "import {linkOrg} from '../../login/oauth.js'\nimport {sendSalesforce} from '../../http/reply.js'\nexport {linkOrg, sendSalesforce}\n"
    expect(await messages('src/emulator/org/routes/example.ts', code)).to.deep.equal([
      '1:no-restricted-syntax:src/emulator/org/ may import only http/ (src/emulator/org/index.ts)',
    ])
  })

  it('lets the store name the type of an org\'s data, and nothing else of the emulator', async () => {
    const allowed = "import type {OrgData} from '../org/types.js'\nexport type D = OrgData\n"
    expect(await messages('src/emulator/store/example.ts', allowed)).to.deep.equal([])
    const refused = "import {OrgData} from '../org/types.js'\nimport {badRequest} from '../http/reply.js'\nexport {OrgData, badRequest}\n"
    expect(await messages('src/emulator/store/example.ts', refused)).to.deep.equal([
      '1:no-restricted-syntax:src/emulator/store/ imports nothing else of the emulator (src/emulator/store/index.ts): `import type` only',
      '2:no-restricted-syntax:src/emulator/store/ imports nothing else of the emulator (src/emulator/store/index.ts)',
    ])
  })

  it('still refuses the plugin\'s own library, but src/lib/openapi/', async () => {
    const code = "import {nameProblem} from '../../lib/api/names.js'\nexport const check = () => import('../../lib/openapi/check.js')\nexport {nameProblem}\n"
    expect(await messages('src/emulator/applink/example.ts', code)).to.deep.equal([
      '1:no-restricted-syntax:src/emulator/ may import only src/contract/ and src/lib/openapi/ from src/ (docs/ARCHITECTURE.md)',
    ])
  })

  it('refuses a loose file at the top of src/emulator/', async () => {
    expect(await messages('src/emulator/helpers.ts', 'export const x = 1\n')).to.deep.equal([
      '1:no-restricted-syntax:src/emulator/ holds folders by concern only; put this file in one of them (src/emulator/README.md)',
    ])
  })
})
