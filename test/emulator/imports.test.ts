/**
 * The emulator's import graph has no cycle: the service folders sit below server/server.ts, never
 * beside it (eslint.config.js keeps each folder above the ones it may import). Every import counts, static, type-only or `import()`, so a cycle cannot hide behind
 * `import type` today and turn into a runtime one tomorrow. Also: src/emulator imports nothing
 * from src/lib but src/lib/openapi/ (eslint.config.js says the same for the linter).
 */
import {expect} from 'chai'
import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import ts from 'typescript'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const EMULATOR = join(ROOT, 'src/emulator')

function sources(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap(e => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return sources(path)
    return e.name.endsWith('.ts') ? [path] : []
  })
}

/** The relative module specifiers of a file: imports, re-exports and import() calls. */
function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const out: string[] = []
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text)
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) out.push(node.arguments[0].text)
    ts.forEachChild(node, visit)
  }

  visit(source)
  return out.filter(s => s.startsWith('.'))
}

function graph(): Map<string, string[]> {
  const edges = new Map<string, string[]>()
  for (const file of sources(EMULATOR)) {
    edges.set(file, specifiers(file).map(s => resolve(dirname(file), s.replace(/\.js$/, '.ts'))))
  }

  return edges
}

/** Every cycle found by a depth-first walk, each as the list of files around it. */
function cycles(edges: Map<string, string[]>): string[][] {
  const found: string[][] = []
  const state = new Map<string, 'done' | 'open'>()
  const stack: string[] = []
  const walk = (file: string) => {
    state.set(file, 'open')
    stack.push(file)
    for (const next of edges.get(file) ?? []) {
      if (!edges.has(next)) continue
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next])
      else if (!state.has(next)) walk(next)
    }

    stack.pop()
    state.set(file, 'done')
  }

  for (const file of edges.keys()) if (!state.has(file)) walk(file)
  return found
}

describe('emulator imports', () => {
  let edges: Map<string, string[]>
  before(() => {
    edges = graph()
  })

  it('form no cycle', () => {
    expect(cycles(edges).map(c => c.map(f => relative(ROOT, f)).join(' → '))).to.deep.equal([])
  })

  it('the cycle check finds a cycle when there is one', () => {
    const sample = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]])
    expect(cycles(sample).map(c => c.join(' → '))).to.deep.equal(['a → b → c → a'])
  })

  it('reach into src/ only for src/contract and src/lib/openapi', () => {
    const allowed = [join(ROOT, 'src/contract'), join(ROOT, 'src/lib/openapi'), EMULATOR].map(d => d + '/')
    const outside = [...edges].flatMap(([file, targets]) => targets.filter(t => !allowed.some(d => t.startsWith(d))).map(t => `${relative(ROOT, file)} → ${relative(ROOT, t)}`))
    expect(outside).to.deep.equal([])
  })

  it('only the entry points (the command\'s process/cli.ts, the daemon, exec) import server/server.ts', () => {
    const server = join(EMULATOR, 'server/server.ts')
    expect(edges.has(server)).to.equal(true)
    const importers = [...edges].filter(([, targets]) => targets.includes(server)).map(([file]) => relative(ROOT, file))
    expect(importers.sort()).to.deep.equal(['src/emulator/process/cli.ts', 'src/emulator/process/daemon.ts', 'src/emulator/process/exec.ts'])
  })
})
