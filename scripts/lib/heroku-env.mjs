/**
 * Runs this plugin the way a user who installed it would: through the real `heroku` CLI (npm
 * package `heroku`, v11), with the compiled plugin linked from a staging folder that holds only the
 * packed files, a throwaway HOME, and no terminal. Shared by `npm run demo` (scripts/demo.mjs) and
 * the integration and end-to-end tests (test/integration, test/e2e).
 *
 * Plain Node ESM on purpose: the demo runs it without any build or transpiler.
 */
import {execFileSync, spawn} from 'node:child_process'
import {copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {clearTimeout, setTimeout} from 'node:timers'
import {fileURLToPath} from 'node:url'

/** The repository this file belongs to. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Default hard limit for one CLI invocation. */
export const DEFAULT_TIMEOUT_MS = 30_000

/** Variables of the caller's environment that would change what the CLI does or prints. */
const DROPPED_ENV = [
  // the heroku CLI warns on stderr when these are set
  'SSL_CERT_FILE', 'SSL_CERT_DIR',
  // a developer's own Heroku session must never leak into a test run
  'HEROKU_API_KEY', 'HEROKU_APP', 'HEROKU_HOST', 'HEROKU_DEBUG', 'HEROKU_DEBUG_HEADERS', 'HEROKU_APPLINK_ADDON',
  'HEROKU_ORGANIZATION', 'HEROKU_TEAM', 'HEROKU_HEADERS', 'DEBUG', 'APPLINK_HTTP_TIMEOUT',
  // output must be what a pipe gets, and the child must not load the test's TypeScript loader
  'FORCE_COLOR', 'NODE_OPTIONS', 'GIT_CONFIG_GLOBAL',
]

/** Every child process started here, so that none outlives the caller. */
const children = new Set()
const stagedRoots = new Set()
let exitHookInstalled = false

function installExitHook() {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const child of children) killTree(child, 'SIGKILL')
    for (const root of stagedRoots) {
      killStrays(join(root, 'home'))
      try {
        rmSync(root, {force: true, maxRetries: 3, recursive: true})
      } catch {}
    }
  })
}

function killTree(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return
  try {
    // children run in their own process group: this also stops anything they started
    process.kill(-child.pid, signal)
  } catch {
    try {
      child.kill(signal)
    } catch {}
  }
}

/**
 * Kills what the CLI left running detached with this HOME (or its data dir), outside the process groups killTree
 * reaches: with telemetry on, `heroku` starts a detached telemetry worker that, without a network,
 * can outlive its own 10 s limit by hours. Linux only (reads /proc); elsewhere it does nothing.
 */
function killStrays(home) {
  let pids
  try {
    pids = readdirSync('/proc').filter(name => /^\d+$/.test(name) && Number(name) !== process.pid)
  } catch {
    return
  }

  // the stage's HOME, or its CLI data dir when a test gave the CLI a HOME of its own (the plugin stays linked there)
  const marks = [`\0HOME=${home}\0`, `\0XDG_DATA_HOME=${cliEnv(home).XDG_DATA_HOME}\0`]
  for (const pid of pids) {
    try {
      const environ = `\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}`
      if (marks.some(mark => environ.includes(mark))) process.kill(Number(pid), 'SIGKILL')
    } catch {}
  }
}

/** Removes colour and other ANSI escapes (the CLI colours some output even in a pipe when CI is set). */
export function stripAnsi(text) {
  // eslint-disable-next-line no-control-regex
  return text.replaceAll(/\u001B\[[\d;?]*[A-Za-z]/g, '')
}

/** Kills every CLI process started here that is still running (and what they started); resolves once they are gone. */
export async function stopAllHeroku(signal = 'SIGKILL') {
  const running = [...children].map(child => new Promise(resolveClose => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveClose()
    child.once('close', () => resolveClose())
    killTree(child, signal)
  }))
  await Promise.all(running)
}

/**
 * The Node binary that runs `heroku`: the one `APPLINK_TEST_NODE` names (the tests run
 * test/integration a second time on the Node the standalone CLI bundles, see scripts/test.mjs),
 * else this process's own.
 */
export function cliNode() {
  const named = process.env.APPLINK_TEST_NODE
  if (!named) return process.execPath
  const path = resolve(repoRoot, named)
  if (!existsSync(path)) throw new Error(`APPLINK_TEST_NODE names ${named}, which does not exist: give the path of a node binary, or unset it to use ${process.execPath}.`)
  return path
}

/** Path of the `heroku` CLI's entry script in the repository's node_modules. */
export function herokuBin(repo = repoRoot) {
  const bin = join(repo, 'node_modules', 'heroku', 'bin', 'run.js')
  if (!existsSync(bin)) throw new Error(`The heroku CLI is not installed at ${bin}: run npm ci first.`)
  return bin
}

/** The files `npm pack` would put in the package (package.json, bin/, dist/, oclif.manifest.json …). */
export function packedFiles(repo = repoRoot) {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']})
  const [pack] = JSON.parse(out)
  return pack.files.map(f => f.path)
}

/**
 * Environment for the CLI: the caller's, minus what would change its behaviour, plus a throwaway
 * HOME and XDG folders and the switches that keep the CLI quiet and offline.
 */
export function cliEnv(home, extra = {}) {
  const env = {...process.env}
  for (const key of DROPPED_ENV) delete env[key]
  for (const key of Object.keys(env)) if (key.startsWith('npm_') || key.startsWith('MOCHA')) delete env[key]
  Object.assign(env, {
    DISABLE_TELEMETRY: 'true',
    HEROKU_DISABLE_AUTOUPDATE: 'true',
    HEROKU_SKIP_NEW_VERSION_CHECK: 'true',
    HOME: home,
    OCLIF_DISABLE_LINKED_ESM_WARNING: 'true',
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
  })
  // the local servers of tests and the demo are never reached through a proxy
  for (const key of ['NO_PROXY', 'no_proxy']) env[key] = [env[key], '127.0.0.1', 'localhost'].filter(Boolean).join(',')
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined || value === null) delete env[key]
    else env[key] = String(value)
  }

  return env
}

/** Runs a build tool with node; on failure, throws with what the tool printed. */
function buildStep(label, args, options) {
  try {
    execFileSync(process.execPath, args, {...options, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
  } catch (error) {
    throw new Error(`${label} failed while staging the plugin:\n${error.stdout ?? ''}${error.stderr ?? ''}`.trimEnd())
  }
}

/**
 * Stages the compiled plugin in a temp folder and links it into a fresh HOME with
 * `heroku plugins:link --no-install`. The folder has the packed files and a node_modules symlink,
 * no tsconfig.json and no src/, so oclif runs dist/ as it would for an installed plugin.
 *
 * build: 'repo' copies the repository's dist/ and oclif.manifest.json (after `npm run build`);
 * 'private' compiles src/ straight into the staging folder (safe while someone else rebuilds the
 * repository); 'auto' (default) uses the repository's build when there is one.
 * `APPLINK_STAGE_BUILD` overrides the default.
 */
export async function stagePlugin(options = {}) {
  const template = options.repo ? undefined : sharedTemplate()
  if (template) return copyStage(template, options)
  const repo = options.repo ?? repoRoot
  const log = options.log ?? (() => {})
  const bin = herokuBin(repo)
  let build = options.build ?? process.env.APPLINK_STAGE_BUILD ?? 'auto'
  const hasBuild = existsSync(join(repo, 'oclif.manifest.json')) && existsSync(join(repo, 'dist', 'commands'))
  if (build === 'auto') build = hasBuild ? 'repo' : 'private'
  if (build === 'repo' && !hasBuild) throw new Error('No compiled plugin in dist/: run npm run build first.')

  installExitHook()
  const root = mkdtempSync(join(options.tmpRoot ?? tmpdir(), 'applink-plus-'))
  stagedRoots.add(root)
  const pluginDir = join(root, 'plugin')
  const home = join(root, 'home')
  const cwd = join(root, 'work')
  for (const dir of [pluginDir, cwd, join(home, '.cache', 'heroku')]) mkdirSync(dir, {recursive: true})
  // silences the one-time terms-of-service notice
  writeFileSync(join(home, '.cache', 'heroku', 'terms-of-service'), '')

  const pjson = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'))
  const files = packedFiles(repo)
  for (const file of files) {
    if (build === 'private' && (file.startsWith('dist/') || file === 'oclif.manifest.json')) continue
    mkdirSync(dirname(join(pluginDir, file)), {recursive: true})
    copyFileSync(join(repo, file), join(pluginDir, file))
  }

  symlinkSync(join(repo, 'node_modules'), join(pluginDir, 'node_modules'), 'dir')
  if (build === 'private') {
    log('compiling the plugin into the staging folder')
    try {
      buildStep('tsc', [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repo, 'tsconfig.json'), '--outDir', join(pluginDir, 'dist')], {cwd: repo})
    } catch (error) {
      // tsc still emits on type errors: go on (someone may be mid-edit elsewhere) unless nothing came out
      if (!existsSync(join(pluginDir, 'dist', 'commands'))) throw error
      log(error.message)
    }

    buildStep('oclif manifest', [join(repo, 'node_modules', 'oclif', 'bin', 'run.js'), 'manifest'], {cwd: pluginDir, env: cliEnv(home)})
  } else if (!files.includes('oclif.manifest.json')) {
    // `files` in package.json should list it; copy it anyway so the staged plugin has a manifest
    cpSync(join(repo, 'oclif.manifest.json'), join(pluginDir, 'oclif.manifest.json'))
  }

  const stage = makeStage({bin, cwd, home, pjson, pluginDir, root})
  await linkInto(stage, log)
  return stage
}

function makeStage({bin, cwd, home, pjson, pluginDir, root}) {
  return {
    bin,
    cwd,
    env: cliEnv(home),
    home,
    name: pjson.name,
    node: cliNode(),
    pluginDir,
    root,
    version: pjson.version,
    cleanup() {
      killStrays(home)
      rmSync(root, {force: true, maxRetries: 3, recursive: true})
      stagedRoots.delete(root)
    },
  }
}

/** `heroku plugins:link --no-install` of the stage's plugin into its HOME, checked with `heroku plugins`. */
async function linkInto(stage, log) {
  log(`heroku plugins:link --no-install ${stage.pluginDir}`)
  const link = await runHeroku(stage, ['plugins:link', '--no-install', stage.pluginDir], {timeoutMs: 60_000})
  if (link.code !== 0) throw new Error(`heroku plugins:link failed (exit ${link.code}): ${link.stderr.trim()}`)
  const plugins = await runHeroku(stage, ['plugins'], {timeoutMs: 60_000})
  if (!stripAnsi(plugins.stdout).split('\n').some(line => line.startsWith(`${stage.name} `))) {
    throw new Error(`heroku plugins does not list ${stage.name} after linking:\n${plugins.stdout}${plugins.stderr}`)
  }
}

/** The environment variable naming a stage that test processes share (set by scripts/test.mjs). */
export const SHARED_STAGE_ENV = 'APPLINK_TEST_STAGE'

/** The shared stage's root, when one is named and still there. */
function sharedTemplate() {
  const root = process.env[SHARED_STAGE_ENV]
  if (!root) return undefined
  if (!existsSync(join(root, 'plugin', 'package.json')) || !existsSync(join(root, 'home'))) {
    throw new Error(`${SHARED_STAGE_ENV} names ${root}, which holds no staged plugin: unset it, or run the tests with npm test.`)
  }

  return root
}

/**
 * A stage of this process made from the shared one without running `npm pack` again: a copy of
 * its plugin folder (the packed files and the node_modules link), linked into a fresh HOME.
 */
async function copyStage(template, options) {
  installExitHook()
  const root = mkdtempSync(join(options.tmpRoot ?? tmpdir(), 'applink-plus-'))
  stagedRoots.add(root)
  const pluginDir = join(root, 'plugin')
  const home = join(root, 'home')
  const cwd = join(root, 'work')
  cpSync(join(template, 'plugin'), pluginDir, {recursive: true, verbatimSymlinks: true})
  for (const dir of [cwd, join(home, '.cache', 'heroku')]) mkdirSync(dir, {recursive: true})
  writeFileSync(join(home, '.cache', 'heroku', 'terms-of-service'), '')
  const pjson = JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8'))
  const stage = makeStage({bin: herokuBin(), cwd, home, pjson, pluginDir, root})
  await linkInto(stage, options.log ?? (() => {}))
  return stage
}

/**
 * A stage for one test process that uses the shared stage's plugin folder (read-only) with a
 * HOME of its own, copied from the shared HOME where the plugin is already linked: no `npm pack`
 * and no `heroku plugins:link`. Without a shared stage it is `stagePlugin()`. Tests that change
 * the plugin folder (test/integration/helpers/installed.ts) use `stagePlugin()`, which copies it.
 */
export async function processStage(options = {}) {
  const template = sharedTemplate()
  if (!template) return stagePlugin(options)
  installExitHook()
  const root = mkdtempSync(join(options.tmpRoot ?? tmpdir(), 'applink-plus-'))
  stagedRoots.add(root)
  const home = join(root, 'home')
  const cwd = join(root, 'work')
  cpSync(join(template, 'home'), home, {recursive: true, verbatimSymlinks: true})
  mkdirSync(cwd, {recursive: true})
  const pluginDir = join(template, 'plugin')
  const pjson = JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8'))
  return makeStage({bin: herokuBin(), cwd, home, pjson, pluginDir, root})
}

function commandLine(args) {
  return `heroku ${args.join(' ')}`
}

/**
 * Starts `heroku ...args` with stdin ignored (no TTY) in its own process group and collects its
 * output. The returned handle can wait for a line, be stopped, and resolves `done` on exit.
 */
export function startHeroku(stage, args, options = {}) {
  installExitHook()
  const env = {...stage.env, ...options.env}
  for (const [key, value] of Object.entries(env)) if (value === undefined || value === null) delete env[key]
  const child = spawn(stage.node ?? process.execPath, [stage.bin, ...args], {
    cwd: options.cwd ?? stage.cwd,
    detached: true,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  const out = {stderr: '', stdout: ''}
  const watchers = new Set()
  const notify = () => {
    for (const w of watchers) w()
  }

  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  child.stdout.on('data', d => {
    out.stdout += d
    if (options.echo) process.stderr.write(d)
    notify()
  })
  child.stderr.on('data', d => {
    out.stderr += d
    if (options.echo) process.stderr.write(d)
    notify()
  })
  const done = new Promise(resolveDone => {
    child.on('close', (code, signal) => {
      children.delete(child)
      notify()
      resolveDone({code: code ?? (signal ? 128 : 1), signal, stderr: out.stderr, stdout: out.stdout})
    })
    child.on('error', err => {
      children.delete(child)
      out.stderr += `\n[spawn error: ${err.message}]`
      resolveDone({code: 127, signal: null, stderr: out.stderr, stdout: out.stdout})
    })
  })

  return {
    args,
    child,
    done,
    get stderr() {
      return out.stderr
    },
    get stdout() {
      return out.stdout
    },
    /** Stops the process (and what it started) with `signal`, then SIGKILL after `graceMs`. */
    async stop(signal = 'SIGTERM', graceMs = 5000) {
      killTree(child, signal)
      const timer = setTimeout(() => killTree(child, 'SIGKILL'), graceMs)
      try {
        return await done
      } finally {
        clearTimeout(timer)
      }
    },
    /** Resolves with the first match of `re` in stdout+stderr (or `stream` only); rejects on exit or timeout. */
    waitFor(re, {stream, timeoutMs = DEFAULT_TIMEOUT_MS} = {}) {
      return new Promise((resolveMatch, rejectMatch) => {
        const check = () => {
          const text = stream ? out[stream] : out.stdout + '\n' + out.stderr
          const match = re.exec(text)
          if (match) {
            finish()
            resolveMatch(match)
          } else if (!children.has(child)) {
            finish()
            rejectMatch(new Error(`${commandLine(args)} exited before printing ${re}:\n${out.stdout}${out.stderr}`))
          }
        }

        const timer = setTimeout(() => {
          finish()
          rejectMatch(new Error(`${commandLine(args)} did not print ${re} within ${timeoutMs / 1000} s:\n${out.stdout}${out.stderr}`))
        }, timeoutMs)
        const finish = () => {
          clearTimeout(timer)
          watchers.delete(check)
        }

        watchers.add(check)
        check()
      })
    },
  }
}

/**
 * Runs `heroku ...args` to completion with no TTY. Resolves {code, signal, stdout, stderr}; a run
 * that takes longer than `timeoutMs` is killed and the promise rejects (a hang is a failure).
 */
export async function runHeroku(stage, args, options = {}) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const handle = startHeroku(stage, args, options)
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    killTree(handle.child, 'SIGKILL')
  }, timeoutMs)
  const result = await handle.done
  clearTimeout(timer)
  if (timedOut) {
    throw new Error(`${commandLine(args)} hung: killed after ${timeoutMs / 1000} s.\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)
  }

  return result
}

/**
 * Starts the local AppLink emulator through the CLI (`heroku applink:emulator --port 0 …`) and
 * waits for its `listening on URL` line. Resolves {url, env, handle, stop()}, where env holds the
 * HEROKU_HOST and HEROKU_API_KEY it printed.
 */
export async function startEmulator(stage, options = {}) {
  const args = ['applink:emulator', '--port', String(options.port ?? 0)]
  if (options.dataDir) args.push('--data-dir', options.dataDir)
  if (options.autoApprove) args.push('--auto-approve')
  if (options.reset) args.push('--reset')
  if (options.verbose) args.push('--verbose')
  const handle = startHeroku(stage, args, {echo: options.echo})
  try {
    const [, url] = await handle.waitFor(/listening on (https?:\/\/\S+)/, {timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS})
    const text = handle.stdout + '\n' + handle.stderr
    const env = {}
    for (const m of text.matchAll(/export (HEROKU_HOST|HEROKU_API_KEY)=(?:'([^']*)'|"([^"]*)"|(\S+))/g)) env[m[1]] = m[2] ?? m[3] ?? m[4]
    env.HEROKU_HOST ??= url.replace(/\/$/, '')
    return {
      env,
      handle,
      stop: () => handle.stop('SIGTERM'),
      url: url.replace(/\/$/, ''),
    }
  } catch (error) {
    await handle.stop('SIGKILL')
    throw error
  }
}
