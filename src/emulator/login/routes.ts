/**
 * The Salesforce login page behind every `redirect_uri` (`GET /oauth/login?state=…`) and its
 * answer (`POST /oauth/login`: Allow or Deny), which completes the pending connection or
 * authorization (oauth.ts).
 */
import {badRequest, formFields, sendHtml} from '../http/reply.js'
import {EDITIONS, LoginError} from '../org/index.js'
import type {OrgEdition} from '../org/types.js'
import {completeLogin, findPending, type LoginAnswer, loginPage, resultPage, unknownLinkPage} from './oauth.js'
import {type Ctx, FORM_LIMIT, type Router} from '../http/router.js'

const ID = '[a-zA-Z0-9]{15,18}'
const PICK = new RegExp(`^(?:org:(${ID})|user:(${ID}):(${ID}))$`)

/** The `login_as` field: empty (the username decides), `org:ORG_ID` or `user:ORG_ID:USER_ID`. */
function readPick(value: string): LoginAnswer['pick'] {
  if (value === '') return undefined
  const m = PICK.exec(value)
  if (!m) throw badRequest('login_as must be empty (the username decides the org), org:ORG_ID or user:ORG_ID:USER_ID.')
  return m[1] ? {orgId: m[1]} : {orgId: m[2], userId: m[3]}
}

/** The answer of the login form: the flow completed, and a page saying how. */
async function postLogin(ctx: Ctx): Promise<void> {
  const form = await formFields(ctx.req, ctx.body, 'login form')
  const state = form.get('state') ?? ''
  const decision = form.get('decision')
  if (decision !== 'allow' && decision !== 'deny') throw badRequest('decision must be allow or deny.')
  const orgType = (form.get('org_type') || undefined) as OrgEdition | undefined
  // an own property: `toString` is in every object
  if (orgType !== undefined && !Object.hasOwn(EDITIONS, orgType)) throw badRequest(`org_type must be one of ${Object.keys(EDITIONS).join(', ')}.`)
  const pick = readPick(form.get('login_as') ?? '')
  const username = (form.get('username') ?? '').trim()
  if (username.length > 80) throw badRequest('username has more than 80 characters.')
  if (username && !/^[^\s@]+@[^\s@]+$/.test(username)) throw badRequest(`username ${JSON.stringify(username)} is not a Salesforce username (name@domain).`)
  let done
  try {
    done = await completeLogin(ctx.emu, state, {decision, orgType, pick, username: username || undefined})
  } catch (error) {
    if (!(error instanceof LoginError)) throw error
    // the login is still pending: the form again, saying what to change
    const pending = findPending(ctx.emu.store.data, state)
    if (!pending) throw error
    sendHtml(ctx.res, 400, loginPage(pending, ctx.emu.store.data, error.message))
    return
  }

  if (!done) {
    sendHtml(ctx.res, 404, unknownLinkPage())
    return
  }

  sendHtml(ctx.res, 200, resultPage(done, ctx.emu.store.data))
}

export function registerOauthRoutes(router: Router): void {
  router.get('/oauth/login', ctx => {
    const pending = findPending(ctx.emu.store.data, ctx.url.searchParams.get('state') ?? '')
    if (!pending) {
      sendHtml(ctx.res, 404, unknownLinkPage())
      return
    }

    sendHtml(ctx.res, 200, loginPage(pending, ctx.emu.store.data))
  })
  router.post('/oauth/login', ctx => postLogin(ctx), {limit: FORM_LIMIT})
}
