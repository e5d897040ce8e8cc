/**
 * What an integration test file against scripted servers sets up for the real `heroku` CLI: the
 * shared stage (the plugin linked into a throwaway HOME), a scripted Platform API (HEROKU_HOST) and
 * a scripted AppLink API on 127.0.0.1, and a temp folder for the file's own files, all removed
 * after the file; both servers start each test empty. `scriptResolution` scripts the Platform API
 * reads of add-on resolution with the one fixture (test/helpers/fixture.ts).
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {ADDON, resolutionAnswers} from '../../helpers/fixture.js'
import {sharedStage, type Stage} from './cli.js'
import {ScriptedServer} from './server.js'

export interface ScriptedWorld {
  applink: ScriptedServer
  platform: ScriptedServer
  stage: Stage
  /** a temp folder of this file, removed after it */
  tmp: string
}

/**
 * Registers the hooks of the enclosing `describe` that set up and remove the world; its fields are
 * there from the first `before` hook the file registers after this call.
 */
export function useScriptedWorld(tmpPrefix: string): ScriptedWorld {
  const world = {} as ScriptedWorld
  before(async () => {
    world.stage = await sharedStage()
    world.platform = await ScriptedServer.start()
    world.applink = await ScriptedServer.start()
    world.tmp = mkdtempSync(join(tmpdir(), tmpPrefix))
  })

  after(async () => {
    await world.platform?.close()
    await world.applink?.close()
    if (world.tmp) rmSync(world.tmp, {force: true, recursive: true})
  })

  beforeEach(() => {
    world.platform.reset()
    world.applink.reset()
  })
  return world
}

/**
 * The Platform API reads of add-on resolution (docs/applink-api.md §1), each path with its answer:
 * the one fixture of test/helpers/fixture.ts, its add-on's AppLink API at `apiUrl`.
 */
export function resolutionRoutes(apiUrl: string): [string, unknown][] {
  const r = resolutionAnswers(apiUrl)
  const app = `/apps/${r.app.name}`
  return [[app, r.app], [`${app}/addons`, r.addons], [`${app}/addon-attachments`, r.attachments], [`${app}/config-vars`, r.configVars], [`${app}/addons/${ADDON.id}/sso`, r.sso]]
}

/** The Platform API answers every read of add-on resolution for the fixture's app, always. */
export function scriptResolution(platform: ScriptedServer, apiUrl: string): void {
  for (const [path, body] of resolutionRoutes(apiUrl)) platform.always('GET', path, {body})
}
