/**
 * Data action targets of a Data Cloud connection (docs/applink-api.md §2, §3): created `pending`,
 * they move along pending → generating_signing_key → creating → created on the emulator's timers,
 * also after a restart. The signing key is made on the way out of `generating_signing_key`.
 */
import {authenticate} from './caller.js'
import {badRequest, conflict, sendJson} from '../http/reply.js'
import {audit, requireConnected, touch} from '../platform/model.js'
import type {DataActionTargetRecord} from '../store/records.js'
import {targetJson} from './resources.js'
import type {Ctx} from '../http/router.js'
import type {EmulatorState} from '../http/state.js'
import {asObject, newId, requiredString} from '../http/util.js'
import {newSigningKey} from './events.js'
import {validName} from './names.js'

const TARGET_TYPES = new Set(['webhook'])

/** POST …/connections/datacloud/{name}/data_action_targets: 202 with the target, then it moves along by itself. */
export async function createTarget(ctx: Ctx): Promise<void> {
  const caller = authenticate(ctx)
  const body = asObject(await ctx.json())
  const apiName = validName(body, 'api_name')
  const label = requiredString(body, 'label')
  if (label.length > 80) throw badRequest(`label has ${label.length} characters; use at most 80.`)
  const endpoint = requiredString(body, 'target_endpoint')
  if (!endpoint.startsWith('/') && !/^https?:\/\/[^/]/.test(endpoint)) throw badRequest(`target_endpoint ${JSON.stringify(endpoint)} must be a path on the app (starting with /) or an http(s) URL.`)
  const type = requiredString(body, 'type')
  if (!TARGET_TYPES.has(type.toLowerCase())) throw badRequest(`type ${JSON.stringify(type)} is not supported: use webhook.`)
  const {store} = ctx.emu
  const target = await store.update(data => {
    const conn = requireConnected(data, caller.addon, ctx.params.name, 'datacloud')
    if (data.data_action_targets.some(t => t.connection_id === conn.id && t.api_name === apiName)) {
      throw conflict(`A data action target with API name ${apiName} already exists on ${conn.name}.`)
    }

    const t: DataActionTargetRecord = {
      ...audit(data, caller.app),
      addon_id: caller.addon.id,
      api_name: apiName,
      app_id: caller.app.id,
      connection_id: conn.id,
      id: newId(),
      label,
      status: 'pending',
      target_endpoint: endpoint,
      type,
    }
    data.data_action_targets.push(t)
    return t
  })
  scheduleTarget(ctx.emu, target.id)
  sendJson(ctx.res, 202, targetJson(store.data, target, ctx.emu.origin))
}

/** The status after each one, as a poller sees them (docs/applink-api.md §3). */
const NEXT: Record<string, string> = {creating: 'created', generating_signing_key: 'creating', pending: 'generating_signing_key'}

/** Moves a data action target along pending → generating_signing_key → creating → created. */
function scheduleTarget(emu: EmulatorState, id: string): void {
  const step = Math.max(1, Math.round(emu.dataActionTargetMs / 3))
  emu.schedule(step, async () => {
    const t = emu.store.data.data_action_targets.find(x => x.id === id)
    const next = t && NEXT[t.status]
    if (!t || !next) return
    await emu.store.update(data => {
      if (t.status === 'generating_signing_key') t.signing_key ??= newSigningKey()
      t.status = next
      touch(data, t)
    })
    // from the step taken, not the status now: a change made while this one was written stays
    if (next !== 'created') scheduleTarget(emu, id)
  })
}

/**
 * After a restart: carries on with data action targets that were still being created, and gives a
 * key to a created target of a store written before targets had keys.
 */
export async function resumeTargets(emu: EmulatorState): Promise<void> {
  const unkeyed = emu.store.data.data_action_targets.filter(t => t.status === 'created' && !t.signing_key)
  if (unkeyed.length > 0) {
    await emu.store.update(() => {
      for (const t of unkeyed) t.signing_key = newSigningKey()
    })
  }

  for (const t of emu.store.data.data_action_targets) if (!['created', 'creation_failed'].includes(t.status)) scheduleTarget(emu, t.id)
}
