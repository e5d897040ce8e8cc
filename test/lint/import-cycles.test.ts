/**
 * `npm run lint` keeps the imports of all of src/ (src/emulator/ too) free of cycles, counting
 * every kind of import: value imports, `import type`, `export … from` and import(). The test runs
 * the lint script's own cycle step, as package.json writes it, in a scratch folder whose src/
 * holds a cycle, and on this repository's src/.
 */
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const lintScript: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.lint
const cycleStep = lintScript.split('&&').map(s => s.trim()).find(s => s.includes('check-import-cycles'))
const HOW = '1 import cycle: every import counts, `import type` and import() too. Move what the files share into a module that imports none of them (docs/ARCHITECTURE.md).'

/** Runs the lint script's cycle step in a folder with these files (and the repository's scripts/). */
function lintTree(files: Record<string, string>): {status: number | null; stderr: string; stdout: string} {
  const dir = mkdtempSync(join(tmpdir(), 'cycles-'))
  try {
    symlinkSync(join(root, 'scripts'), join(dir, 'scripts'))
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), {recursive: true})
      writeFileSync(join(dir, path), text)
    }

    const r = spawnSync('sh', ['-c', cycleStep!], {cwd: dir, encoding: 'utf8'})
    return {status: r.status, stderr: r.stderr, stdout: r.stdout}
  } finally {
    rmSync(dir, {force: true, recursive: true})
  }
}

describe('lint: no import cycle in src/', function () {
  this.timeout(60_000)

  it('is a step of npm run lint, over src/', () => {
    expect(cycleStep).to.equal('node scripts/check-import-cycles.mjs src')
  })

  it('passes this repository\'s src/', () => {
    const r = spawnSync('sh', ['-c', cycleStep!], {cwd: root, encoding: 'utf8'})
    expect({status: r.status, stderr: r.stderr, stdout: r.stdout}).to.deep.equal({status: 0, stderr: '', stdout: ''})
  })

  it('refuses a cycle closed by a type-only import, naming the files and lines', () => {
    const r = lintTree({
      'src/lib/flows/errors.ts': "import type {Spec} from './runner.js'\n\nexport const fail = (s: Spec) => new Error(s.name)\n",
      'src/lib/flows/runner.ts': "/** the runner */\nimport {fail} from './errors.js'\n\nexport interface Spec {name: string}\nexport const run = (s: Spec) => fail(s)\n",
    })
    expect(r.status).to.equal(1)
    expect(r.stdout).to.equal('')
    expect(r.stderr).to.equal(`import cycle: src/lib/flows/errors.ts:1 → src/lib/flows/runner.ts:2 → src/lib/flows/errors.ts\n${HOW}\n`)
  })

  it('refuses a cycle through import() and export … from across folders, in src/emulator/ too', () => {
    const r = lintTree({
      'src/emulator/a.ts': "export const load = () => import('./routes/b.js')\n",
      'src/emulator/routes/b.ts': "export {c} from '../store/c.js'\n",
      'src/emulator/store/c.ts': "import {load} from '../a.js'\n\nexport const c = load\n",
      // a file outside the cycle that imports into it is not part of it
      'src/emulator/server.ts': "import {load} from './a.js'\n\nexport const start = load\n",
    })
    expect(r.status).to.equal(1)
    expect(r.stderr).to.equal(`import cycle: src/emulator/a.ts:1 → src/emulator/routes/b.ts:1 → src/emulator/store/c.ts:1 → src/emulator/a.ts\n${HOW}\n`)
  })

  it('lets the same files through once the shared part has a module of its own', () => {
    const r = lintTree({
      'src/lib/flows/errors.ts': "import type {Spec} from './spec.js'\n\nexport const fail = (s: Spec) => new Error(s.name)\n",
      'src/lib/flows/runner.ts': "import {fail} from './errors.js'\nimport type {Spec} from './spec.js'\n\nexport const run = (s: Spec) => fail(s)\n",
      'src/lib/flows/spec.ts': 'export interface Spec {name: string}\n',
    })
    expect(r).to.deep.equal({status: 0, stderr: '', stdout: ''})
  })
})
