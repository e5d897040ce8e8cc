/**
 * What an integration test file against scripted servers sets up for the real `heroku` CLI: the
 * shared stage (the plugin linked into a throwaway HOME), a scripted Platform API (HEROKU_HOST) and
 * a scripted AppLink API on 127.0.0.1, and a temp folder for the file's own files, all removed
 * after the file; both servers start each test empty. `scriptResolution` scripts the Platform API
 * reads of add-on resolution.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

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

export interface Resolution {
  addon: {id: string; name: string}
  /** the app's add-ons (default: just `addon`) */
  addons?: unknown[]
  app: {id: string; name: string}
  configVars: Record<string, string>
  sso: unknown
}

/** The Platform API answers every read of add-on resolution (docs/applink-api.md §1) for `r.app`, always. */
export function scriptResolution(platform: ScriptedServer, r: Resolution): void {
  const app = `/apps/${r.app.name}`
  platform
  .always('GET', app, {body: {id: r.app.id, name: r.app.name}})
  .always('GET', `${app}/addons`, {body: r.addons ?? [r.addon]})
  .always('GET', `${app}/addon-attachments`, {body: [{addon: {id: r.addon.id, name: r.addon.name}, name: 'HEROKU_APPLINK'}]})
  .always('GET', `${app}/config-vars`, {body: r.configVars})
  .always('GET', `${app}/addons/${r.addon.id}/sso`, {body: r.sso})
}
