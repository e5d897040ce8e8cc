/**
 * Puts each plugin into the real `heroku` CLI the way a user gets it: `npm pack` (the shipped files
 * only), then `heroku plugins:install file:PACKAGE.tgz`, which installs the production dependencies
 * from the npm registry. Each plugin gets its own HOME (and so its own heroku data dir): their
 * commands clash, and each heroku run must see only one of them.
 */
import {chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {delimiter, join, resolve} from 'node:path'

import {cliEnv} from '../../scripts/lib/heroku-env.mjs'
import {type Env, run} from './measure.js'

export interface Installed {
  /** argv prefix that runs this heroku CLI */
  cli: string[]
  env: Env
  home: string
  label: string
  /** `name@version` of the installed plugin, or undefined for the bare CLI */
  plugin?: string
  /** the installed plugin's folder */
  root?: string
}

/** A fresh HOME with the CLI's one-time notices silenced. */
export function freshHome(dir: string): string {
  rmSync(dir, {force: true, recursive: true})
  mkdirSync(join(dir, '.cache', 'heroku'), {recursive: true})
  writeFileSync(join(dir, '.cache', 'heroku', 'terms-of-service'), '')
  return dir
}

/** The CLI's environment for a HOME: quiet, no telemetry or updater, no caller's Heroku session. */
export function herokuEnv(home: string, extra: Env = {}): Env {
  return cliEnv(home, {
    // requests to the local server must never go through a proxy
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    ...extra,
  })
}

export function fail(message: string, output?: {stderr: string; stdout: string}): never {
  const tail = output ? `\n${(output.stdout + output.stderr).trim().split('\n').slice(-15).join('\n')}` : ''
  throw new Error(`${message}${tail}`)
}

/** `npm run build` then `npm pack` of the repository; returns the tarball path. */
export async function packOurs(repo: string, outDir: string, options: {build: boolean; log: (s: string) => void}): Promise<string> {
  if (options.build) {
    options.log('building: npm run build')
    const b = await run('npm', ['run', 'build', '--silent'], {cwd: repo, env: process.env, timeoutMs: 10 * 60_000})
    if (b.code !== 0) fail('npm run build failed', b)
  } else if (!existsSync(join(repo, 'oclif.manifest.json'))) {
    fail('--no-build given but there is no build (oclif.manifest.json): run npm run build first')
  }

  return npmPack(repo, outDir, repo, options.log)
}

/** `npm pack SPEC` into outDir (SPEC: a folder, or a registry package name); returns the tarball path. */
export async function npmPack(spec: string, outDir: string, cwd: string, log: (s: string) => void): Promise<string> {
  mkdirSync(outDir, {recursive: true})
  log(`packing: npm pack ${spec}`)
  const p = await run('npm', ['pack', spec, '--pack-destination', outDir, '--json', '--ignore-scripts'], {cwd, env: process.env, timeoutMs: 5 * 60_000})
  if (p.code !== 0) {
    const code = /npm error code (E\w+)/.exec(p.stderr)?.[1]
    if (code === 'E404') throw new Error(`${spec} is not in the npm registry (npm pack: E404)`)
    throw new Error(`npm pack ${spec} failed (${code ?? `exit ${p.code}`})`)
  }

  const [info] = JSON.parse(p.stdout) as {filename: string}[]
  return join(outDir, info.filename.replace(/^@/, '').replace('/', '-'))
}

/** Installs the tarball with `heroku plugins:install file:…` into a fresh HOME. */
export async function installPlugin(cli: string[], tarball: string, home: string, label: string, log: (s: string) => void): Promise<Installed> {
  freshHome(home)
  const env = herokuEnv(home)
  const installEnv: Env = {
    ...env,
    // the npm registry needs the machine's TLS setup, and the user's npm cache makes this quick
    SSL_CERT_DIR: process.env.SSL_CERT_DIR,
    SSL_CERT_FILE: process.env.SSL_CERT_FILE,
    npm_config_cache: process.env.npm_config_cache ?? join(homedir(), '.npm'),
  }
  log(`installing ${label}: heroku plugins:install file:${tarball}`)
  const r = await run(cli[0], [...cli.slice(1), 'plugins:install', `file:${resolve(tarball)}`], {env: installEnv, timeoutMs: 10 * 60_000})
  if (r.code !== 0) fail(`heroku plugins:install of ${label} failed (exit ${r.code})`, r)
  const list = await run(cli[0], [...cli.slice(1), 'plugins'], {env})
  // `heroku plugins` prints one `name version` line per user-installed plugin
  const line = list.stdout.split('\n').find(l => /^\S+ \d/.test(l.trim()))?.trim()
  if (!line) fail(`heroku plugins does not list ${label} after installing it`, list)
  const [name, version] = line.split(/\s+/)
  return {cli, env, home, label, plugin: `${name}@${version}`, root: join(home, '.local', 'share', 'heroku', 'node_modules', name)}
}

/** The bare CLI (no plugin), for the `heroku --version` baseline. */
export function bareCli(cli: string[], home: string): Installed {
  freshHome(home)
  return {cli, env: herokuEnv(home), home, label: 'heroku alone'}
}

/** Where an official plugin tarball might already be: a .tgz path, or the first .tgz in a folder. */
export function localTarball(spec: string): string | undefined {
  if (spec.endsWith('.tgz') && existsSync(spec)) return resolve(spec)
  if (existsSync(spec) && existsSync(join(spec, 'package.json'))) return undefined
  if (existsSync(spec)) {
    const tgz = readdirSync(spec).find(f => f.endsWith('.tgz'))
    return tgz ? resolve(spec, tgz) : undefined
  }

  return undefined
}

/**
 * A browser that opens nothing, for the OAuth flows: a stub `xdg-open` first on PATH and as BROWSER
 * (the `open` package, which the official plugin uses, runs its own copy of xdg-open, and that
 * copy starts $BROWSER when it finds no desktop). It exits 0 at once; the local server approves
 * the login on its own timer. Both plugins get the same environment.
 */
export function noBrowserEnv(dir: string): Env {
  return browserEnv(dir, '#!/bin/sh\nexit 0\n')
}

/**
 * A browser whose Salesforce session is already logged in and has approved the app before: it
 * answers Allow on the login page it is sent to, at once (a POST of the emulator's form), and
 * notes each answer's status and state in `log`. End to end then times the CLI, not a person.
 */
export function approvingBrowserEnv(dir: string, log: string): Env {
  const script = join(dir, 'approve.cjs')
  mkdirSync(dir, {recursive: true})
  writeFileSync(script, `const {appendFileSync} = require('node:fs')
const url = new URL(process.argv[process.argv.length - 1])
const state = url.searchParams.get('state') ?? ''
const note = text => appendFileSync(${JSON.stringify(log)}, text + '\\n')
fetch(new URL('/oauth/login', url), {body: new URLSearchParams({decision: 'allow', state}), method: 'POST'})
  .then(r => note(r.status + ' ' + state), error => note('error ' + error.message))
`)
  return browserEnv(dir, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(script)} "$@"\n`)
}

function browserEnv(dir: string, text: string): Env {
  const bin = join(dir, 'bin')
  mkdirSync(bin, {recursive: true})
  const stub = join(bin, 'xdg-open')
  writeFileSync(stub, text)
  chmodSync(stub, 0o755)
  return {BROWSER: stub, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`}
}
