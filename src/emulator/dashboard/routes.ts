/**
 * The dashboard at `/` (page.ts renders it) and the landing of the add-on SSO form
 * (`POST /sso/login`), which checks the signed token and redirects to the dashboard.
 */
import {renderDashboard} from './page.js'
import {badRequest, formFields, HttpError, sendHtml} from '../http/reply.js'
import {ssoToken} from '../platform/model.js'
import {type Ctx, FORM_LIMIT, type Router} from '../http/router.js'

async function ssoLogin(ctx: Ctx): Promise<void> {
  const form = await formFields(ctx.req, ctx.body, 'SSO form')
  const id = form.get('id') ?? ''
  const timestamp = form.get('timestamp') ?? ''
  const token = form.get('token') ?? ''
  if (!id || !timestamp || !token) throw badRequest('The SSO form needs id, timestamp and token.')
  const {data} = ctx.emu.store
  if (!data.addons.some(a => a.id === id) || token !== ssoToken(data, id, timestamp)) throw new HttpError(403, 'forbidden', 'The SSO token is not valid for this add-on.')
  ctx.res.writeHead(303, {location: '/', 'content-length': '0'})
  ctx.res.end()
}

export function registerDashboardRoutes(router: Router): void {
  router.get('/', ctx => sendHtml(ctx.res, 200, renderDashboard(ctx.emu.store.data, ctx.emu.origin)))
  router.post('/sso/login', ctx => ssoLogin(ctx), {limit: FORM_LIMIT})
}
