/**
 * Lint step (`npm run lint`): the imports between the TypeScript files under each folder given
 * (default: src) form no cycle. Every kind of import counts, as docs/ARCHITECTURE.md asks: value
 * imports, `import type` and `export … from` (type-only ones too), and `import()` with a string
 * (also `typeof import('…')` in a type). Only relative imports that name a file of the tree are
 * followed (`./x.js` is `./x.ts`), so packages do not count.
 *
 * On a cycle it prints each one, as the chain of files with the line of each import, and exits 1.
 * Why not eslint-plugin-import-x's `no-cycle`: it skips type-only imports by design, with no
 * option to count them (docs/ARCHITECTURE.md).
 */
import {existsSync, readdirSync, readFileSync, realpathSync, statSync} from 'node:fs'
import {join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import ts from 'typescript'

const SOURCE = /\.(ts|mts|cts)$/
const NOT_SOURCE = /\.d\.(ts|mts|cts)$/

/** The TypeScript files below dir (declaration files aside), sorted. */
function sourceFiles(dir) {
  const out = []
  for (const entry of readdirSync(dir, {withFileTypes: true}).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...sourceFiles(path))
    else if (entry.isFile() && SOURCE.test(entry.name) && !NOT_SOURCE.test(entry.name)) out.push(path)
  }

  return out
}

/** The file a relative specifier names, as Node16 resolution finds it for TypeScript; else undefined. */
function resolveImport(from, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined
  const base = resolve(from, '..', specifier)
  const candidates = [
    base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), base.replace(/\.cjs$/, '.cts'),
    base, `${base}.ts`, join(base, 'index.ts'),
  ]
  return candidates.find(c => SOURCE.test(c) && !NOT_SOURCE.test(c) && existsSync(c) && statSync(c).isFile())
}

/** Each file's imports inside the tree: [{to, line}], in the order written. */
function importGraph(files) {
  const graph = new Map()
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const edges = []
    for (const {fileName, pos} of ts.preProcessFile(text, true, true).importedFiles) {
      const to = resolveImport(file, fileName)
      if (to) edges.push({line: text.slice(0, pos).split('\n').length, to})
    }

    graph.set(file, edges)
  }

  return graph
}

/** The strongly connected components of the graph with more than one file, or one that imports itself (Tarjan). */
function tangles(graph) {
  const index = new Map()
  const low = new Map()
  const stack = []
  const onStack = new Set()
  const found = []
  let next = 0
  const visit = file => {
    index.set(file, next)
    low.set(file, next)
    next++
    stack.push(file)
    onStack.add(file)
    for (const {to} of graph.get(file) ?? []) {
      if (!index.has(to)) {
        visit(to)
        low.set(file, Math.min(low.get(file), low.get(to)))
      } else if (onStack.has(to)) {
        low.set(file, Math.min(low.get(file), index.get(to)))
      }
    }

    if (low.get(file) !== index.get(file)) return
    const component = []
    let member
    do {
      member = stack.pop()
      onStack.delete(member)
      component.push(member)
    } while (member !== file)
    if (component.length > 1 || graph.get(file).some(e => e.to === file)) found.push(component.sort())
  }

  for (const file of graph.keys()) if (!index.has(file)) visit(file)
  return found.sort((a, b) => a[0].localeCompare(b[0]))
}

/** One shortest cycle through the first file of a component, as [{file, line}] (line: of its import of the next). */
function cycleThrough(component, graph) {
  const members = new Set(component)
  const start = component[0]
  const cameFrom = new Map()
  const queue = [start]
  while (queue.length > 0) {
    const file = queue.shift()
    for (const {line, to} of graph.get(file)) {
      if (!members.has(to) || cameFrom.has(to)) continue
      cameFrom.set(to, {file, line})
      if (to === start) {
        const chain = []
        for (let at = cameFrom.get(start); ; at = cameFrom.get(at.file)) {
          chain.unshift(at)
          if (at.file === start) return chain
        }
      }

      queue.push(to)
    }
  }

  return []
}

/**
 * The import cycles among the TypeScript files below dir: one entry a tangle of files that import
 * each other, with one cycle through it (`chain`) and all its files (`files`), paths relative to cwd.
 */
export function importCycles(dir, cwd = process.cwd()) {
  const graph = importGraph(sourceFiles(resolve(cwd, dir)))
  return tangles(graph).map(component => ({
    chain: cycleThrough(component, graph).map(({file, line}) => ({file: relative(cwd, file), line})),
    files: component.map(f => relative(cwd, f)),
  }))
}

function main(dirs) {
  let count = 0
  for (const dir of dirs) {
    for (const {chain, files} of importCycles(dir)) {
      count++
      const path = [...chain.map(({file, line}) => `${file}:${line}`), chain[0].file].join(' → ')
      const others = files.length > chain.length ? ` (with ${files.filter(f => !chain.some(c => c.file === f)).join(', ')})` : ''
      console.error(`import cycle: ${path}${others}`)
    }
  }

  if (count === 0) return 0
  console.error(`${count} import ${count === 1 ? 'cycle' : 'cycles'}: every import counts, \`import type\` and import() too. Move what the files share into a module that imports none of them (docs/ARCHITECTURE.md).`)
  return 1
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.length > 2 ? process.argv.slice(2) : ['src'])
}
