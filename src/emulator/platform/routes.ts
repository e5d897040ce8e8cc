/**
 * The Heroku Platform API routes for the account and apps (the add-on ones are in addons.ts):
 * enough for the real `heroku` CLI's apps:create, apps, apps:info, apps:destroy and config. Every
 * route requires the emulator's API key as a bearer token.
 */
import {HttpError, sendJson} from '../http/reply.js'
import {appJson, attachmentsOfApp, bumpRelease, configVars, requireApp} from './model.js'
import {account, createApp, destroyApp, keyedRoute, releasesJson, unprocessable} from './apps.js'
import type {StoreData} from '../store/records.js'
import type {Ctx, Router} from '../http/router.js'
import {asObject, newId, typeName} from '../http/util.js'

/** PATCH /apps/{app}/config-vars: null removes a var; those an attachment sets cannot be changed. */
async function setConfigVars(ctx: Ctx, data: StoreData): Promise<void> {
  requireApp(data, ctx.params.app)
  const body = asObject(await ctx.json())
  for (const [key, value] of Object.entries(body)) {
    if (value !== null && typeof value !== 'string') throw unprocessable(`${key} must be a string (the config var's value) or null (to remove it), not ${typeName(value)}.`)
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw unprocessable(`Config var name ${JSON.stringify(key)} may hold only letters, digits and underscores.`)
  }

  const vars = await ctx.emu.store.update(d => {
    const app = requireApp(d, ctx.params.app)
    const owned = new Set(attachmentsOfApp(d, app.id).flatMap(a => [`${a.name}_API_URL`, `${a.name}_TOKEN`]))
    const refused = Object.keys(body).filter(k => owned.has(k))
    if (refused.length > 0) throw unprocessable(`${refused.join(', ')} ${refused.length === 1 ? 'is' : 'are'} set by an add-on attachment and cannot be changed.`)
    for (const [key, value] of Object.entries(body)) {
      // defineProperty, not assignment: a var named __proto__ is stored like any other
      if (value === null) delete app.config_vars[key]
      else Object.defineProperty(app.config_vars, key, {configurable: true, enumerable: true, value, writable: true})
    }

    bumpRelease(app)
    return configVars(d, ctx.emu.origin, app)
  })
  sendJson(ctx.res, 200, vars)
}

export function registerPlatformRoutes(router: Router): void {
  const route = keyedRoute(router)
  route('GET', '/account', (ctx, data) => sendJson(ctx.res, 200, account(data)))

  const listApps = (ctx: Ctx, data: StoreData) => sendJson(ctx.res, 200, data.apps.map(a => appJson(data, a)))
  route('GET', '/apps', listApps)
  route('GET', '/users/~/apps', listApps)
  route('POST', '/apps', async ctx => {
    const raw = await ctx.body()
    const body = raw.length === 0 ? {} : asObject(await ctx.json())
    const app = await createApp(ctx, body)
    sendJson(ctx.res, 201, appJson(ctx.emu.store.data, app))
  })
  route('GET', '/apps/:app', (ctx, data) => sendJson(ctx.res, 200, appJson(data, requireApp(data, ctx.params.app))))
  route('DELETE', '/apps/:app', async (ctx, data) => {
    const app = requireApp(data, ctx.params.app)
    const json = appJson(data, app)
    await ctx.emu.store.update(d => destroyApp(d, app))
    sendJson(ctx.res, 200, json)
  })
  route('GET', '/apps/:app/dynos', (ctx, data) => {
    requireApp(data, ctx.params.app)
    sendJson(ctx.res, 200, [])
  })
  route('GET', '/apps/:app/collaborators', (ctx, data) => {
    const app = requireApp(data, ctx.params.app)
    sendJson(ctx.res, 200, [{app: {id: app.id, name: app.name}, created_at: app.created_at, id: newId(), permissions: [], role: 'owner', updated_at: app.updated_at, user: data.account}])
  })
  route('GET', '/apps/:app/pipeline-couplings', (ctx, data) => {
    requireApp(data, ctx.params.app)
    throw new HttpError(404, 'not_found', 'Couldn\'t find that pipeline coupling.', {resource: 'pipeline_coupling'})
  })
  route('GET', '/apps/:app/releases', (ctx, data) => {
    const app = requireApp(data, ctx.params.app)
    sendJson(ctx.res, 200, releasesJson(data, app, String(ctx.req.headers.range ?? '')))
  })

  route('GET', '/apps/:app/config-vars', (ctx, data) => sendJson(ctx.res, 200, configVars(data, ctx.emu.origin, requireApp(data, ctx.params.app))))
  route('PATCH', '/apps/:app/config-vars', setConfigVars)
}
