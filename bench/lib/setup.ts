/** Installing the plugins to measure, and the small inputs some groups need. */
import {generateKeyPairSync} from 'node:crypto'
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {run} from './measure.js'
import {log, opts, repo, work} from './options.js'
import {bareCli, installPlugin, type Installed, localTarball, packOurs} from './stage.js'
import type {Target} from './targets.js'

export async function setup(): Promise<{bare: Installed; targets: Target[]}> {
  mkdirSync(work, {recursive: true})
  const cli = [opts.heroku ? resolve(opts.heroku) : join(repo, 'node_modules', '.bin', 'heroku')]
  if (!existsSync(cli[0])) throw new Error(`no heroku CLI at ${cli[0]}: run npm ci (it is a dev dependency) or pass --heroku PATH`)
  for (const tool of ['hyperfine', '/usr/bin/time']) {
    const r = await run('sh', ['-c', `command -v ${tool}`], {env: process.env})
    if (r.code !== 0) throw new Error(`${tool} is missing: apt-get install -y hyperfine time`)
  }

  const official: Target = {key: 'official', missing: 'not measured (run with --official FILE.tgz)'}
  let officialFile: string | undefined
  if (opts.official) {
    officialFile = localTarball(opts.official)
    if (!officialFile) throw new Error(`--official ${opts.official}: no such .tgz file (or folder holding one)`)
  }

  const ours: Target = {key: 'ours'}
  const tgz = await packOurs(repo, join(work, 'packages'), {build: !opts['no-build'], log})
  ours.inst = await installPlugin(cli, tgz, join(work, 'home-ours'), 'ours', log)
  log(`ours: ${ours.inst.plugin}`)
  if (officialFile) {
    official.inst = await installPlugin(cli, officialFile, join(work, 'home-official'), 'official', log)
    official.missing = undefined
    log(`official: ${official.inst.plugin}`)
  }

  return {bare: bareCli(cli, join(work, 'home-bare')), targets: [ours, official]}
}

/** A JWT key and a tiny spec: the inputs the start-up runs need to get past argument checks. */
export function startupInputs(): {key: string; spec: string} {
  const dir = join(work, 'inputs')
  mkdirSync(dir, {recursive: true})
  const key = join(dir, 'jwt-key.pem')
  if (!existsSync(key)) writeFileSync(key, generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey.export({format: 'pem', type: 'pkcs8'}))
  const spec = join(dir, 'tiny-spec.yaml')
  writeFileSync(spec, ['openapi: 3.0.3', 'info:', '  title: Bench', '  version: 1.0.0', 'paths:', '  /hello:', '    get:', '      operationId: hello', '      description: Says hello', '      responses:', "        '200':", '          description: OK', ''].join('\n'))
  return {key, spec}
}
