/**
 * The Salesforce login page behind every `redirect_uri` (`GET /oauth/login?state=…`) and its
 * answer (`POST /oauth/login`: Allow or Deny), which completes the pending connection or
 * authorization (oauth.ts).
 */
import {badRequest, formFields, sendHtml} from '../http/reply.js'
import {completeLogin, findPending, type LoginOrgType, loginPage, ORG_TYPES, resultPage, unknownLinkPage} from './oauth.js'
import {type Ctx, FORM_LIMIT, type Router} from '../http/router.js'

/** The answer of the login form: the flow completed, and a page saying how. */
async function postLogin(ctx: Ctx): Promise<void> {
  const form = await formFields(ctx.req, ctx.body, 'login form')
  const state = form.get('state') ?? ''
  const decision = form.get('decision')
  if (decision !== 'allow' && decision !== 'deny') throw badRequest('decision must be allow or deny.')
  const orgType = (form.get('org_type') || 'production') as LoginOrgType
  // an own property: `toString` is in every object
  if (!Object.hasOwn(ORG_TYPES, orgType)) throw badRequest(`org_type must be one of ${Object.keys(ORG_TYPES).join(', ')}.`)
  const username = (form.get('username') ?? '').trim()
  if (username.length > 80) throw badRequest('username has more than 80 characters.')
  if (username && !/^[^\s@]+@[^\s@]+$/.test(username)) throw badRequest(`username ${JSON.stringify(username)} is not a Salesforce username (name@domain).`)
  const done = await completeLogin(ctx.emu, state, {decision, orgType, username: username || undefined})
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
