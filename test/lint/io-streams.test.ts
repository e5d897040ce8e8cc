/**
 * The lint rule that keeps the process streams inside the one IO object (src/lib/ui/io.ts): a
 * direct write, a stdin read or an isTTY check anywhere else in src/commands or src/lib fails
 * `npm run lint`, as the layering between src/lib's folders still does. And the rule that keeps
 * `@heroku-cli/command` behind src/lib/api/heroku-command.ts (the running CLI's own copy).
 */
import {expect} from 'chai'
import {ESLint} from 'eslint'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const SOURCE = 'export function f(): boolean {\n  process.stderr.write(\'x\\n\')\n  return Boolean(process.stdin.isTTY)\n}\n'

async function messages(file: string, code = SOURCE): Promise<string[]> {
  const eslint = new ESLint({cwd: root})
  const [result] = await eslint.lintText(code, {filePath: `${root}/${file}`})
  return result.messages.map(m => `${m.line}:${m.ruleId}:${m.message.split(' (')[0]}`)
}

describe('lint: the process streams belong to src/lib/ui/io.ts', function () {
  this.timeout(120_000)

  for (const file of ['src/commands/applink/example.ts', 'src/lib/flows/example.ts', 'src/lib/ui/example.ts', 'src/lib/api/example.ts']) {
    it(`refuses process.stderr, process.stdin and isTTY in ${file}`, async () => {
      const found = await messages(file)
      expect(found.filter(m => m.startsWith('2:no-restricted-syntax:use the command\'s IO'))).to.have.length(1)
      // process.stdin, then its isTTY
      expect(found.filter(m => m.startsWith('3:no-restricted-syntax:use the command\'s IO'))).to.have.length(2)
    })
  }

  it('lets io.ts itself use them', async () => {
    expect(await messages('src/lib/ui/io.ts')).to.deep.equal([])
  })

  it('still refuses an import against the folder order in ui/', async () => {
    const found = await messages('src/lib/ui/example.ts', 'export const flow = () => import(\'../flows/flow.js\')\n')
    expect(found).to.deep.equal(['1:no-restricted-syntax:src/lib/ui/ may import only api and src/contract'])
  })
})

describe('lint: @heroku-cli/command comes through src/lib/api/heroku-command.ts', function () {
  this.timeout(120_000)
  const RULE = 'import @heroku-cli/command through src/lib/api/heroku-command.ts'

  for (const file of ['src/commands/applink/example.ts', 'src/lib/cli/example.ts', 'src/lib/ui/example.ts', 'src/lib/api/example.ts']) {
    it(`refuses a value import or import() of it in ${file}, and lets \`import type\` name it`, async () => {
      const code = "import type {APIClient} from '@heroku-cli/command'\nimport {vars} from '@heroku-cli/command'\nexport const git = () => import('@heroku-cli/command/lib/git.js')\nexport type C = APIClient | typeof vars\n"
      const found = (await messages(file, code)).filter(m => m.includes(RULE))
      expect(found).to.deep.equal([`2:no-restricted-imports:'@heroku-cli/command' import is restricted from being used by a pattern. ${RULE}`, `3:no-restricted-syntax:${RULE}`])
    })
  }
})
