/**
 * Add-on resolution (docs/applink-api.md §1): from `--app` (and `--addon`) to the AppLink add-on, its
 * attachment's config vars and the SSO payload. The only place that knows these Platform API calls.
 */
import {AppLinkError, invalidInput} from './errors.js'
import {registerSecret} from './redact.js'

/** The slice of `@heroku-cli/command`'s APIClient that resolution needs (easy to fake in tests). */
export interface PlatformApi {
  get<T>(url: string, options?: {headers?: Record<string, string>}): Promise<{body: T}>
}

interface PlatformAddon {
  addon_service: {name: string}
  id: string
  name: string
  state?: string
}

interface PlatformAttachment {
  addon: {id: string; name?: string}
  name: string
}

export interface AppLinkContext {
  addon: {id: string; name: string}
  /** how many AppLink add-ons the app has: with several, every command must name one (--addon) */
  addonCount: number
  /** true when the user named the add-on (--addon) */
  addonNamed: boolean
  apiUrl: string
  app: {id: string; name: string}
  attachmentName: string
  /** base64 of the SSO response JSON */
  sso: string
  token: string
}

export function applinkServiceSlug(): string {
  return process.env.HEROKU_APPLINK_ADDON || 'heroku-applink'
}

const enc = encodeURIComponent

/** Picks the add-on per docs/applink-api.md §1; pure, so the rules are tested without HTTP. */
export function chooseAddon(app: string, addons: PlatformAddon[], wanted?: string): PlatformAddon {
  const slug = applinkServiceSlug()
  const applink = addons.filter(a => a.addon_service?.name === slug)
  if (wanted) {
    const match = applink.find(a => a.name === wanted || a.id === wanted)
    if (match) return match
    throw invalidInput('addon_not_found', `No ${slug} add-on named or with id ${JSON.stringify(wanted)} on app ${app}.`, [
      `See the app's add-ons with: heroku addons -a ${app}`,
    ])
  }

  if (applink.length === 0) {
    throw new AppLinkError(`App ${app} has no ${slug} add-on.`, {
      hints: [`Add one with: heroku addons:create ${slug} -a ${app}`],
      id: 'addon_not_found',
    })
  }

  if (applink.length > 1) {
    throw invalidInput('multiple_addons', `App ${app} has ${applink.length} ${slug} add-ons: ${applink.map(a => a.name).join(', ')}.`, [
      'Choose one with --addon NAME_OR_ID.',
    ])
  }

  return applink[0]
}

/** Why an `_API_URL` config var value cannot be used as the AppLink API's address, if it cannot. */
function apiUrlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'is not a string'
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'is not a URL'
  }

  // the value itself is not shown: a mistyped config var may hold a credential
  return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : `is a ${url.protocol} URL, not an http(s) URL`
}

export async function resolveAppLink(heroku: PlatformApi, app: string, wantedAddon?: string): Promise<AppLinkContext> {
  const [appRes, addonsRes, attachmentsRes, configRes] = await Promise.all([
    heroku.get<{id: string; name: string}>(`/apps/${enc(app)}`),
    heroku.get<PlatformAddon[]>(`/apps/${enc(app)}/addons`),
    heroku.get<PlatformAttachment[]>(`/apps/${enc(app)}/addon-attachments`),
    heroku.get<Record<string, null | string>>(`/apps/${enc(app)}/config-vars`),
  ])
  const addon = chooseAddon(app, addonsRes.body, wantedAddon)
  const addonCount = addonsRes.body.filter(a => a.addon_service?.name === applinkServiceSlug()).length
  const attachment = attachmentsRes.body.find(a => a.addon?.id === addon.id)
  const attachmentName = attachment?.name ?? 'HEROKU_APPLINK'
  const apiUrl = configRes.body[`${attachmentName}_API_URL`]
  const token = configRes.body[`${attachmentName}_TOKEN`]
  for (const [key, value] of Object.entries(configRes.body)) if (/TOKEN|SECRET|PASSWORD|KEY/i.test(key) && typeof value === 'string' && value) registerSecret(value)
  if (!attachment || !apiUrl || !token) {
    throw new AppLinkError(`The ${addon.name} add-on is still provisioning: ${attachmentName}_API_URL and ${attachmentName}_TOKEN are not set on ${app} yet.`, {
      hints: [`Wait for it with: heroku addons:wait ${addon.name} -a ${app}`],
      id: 'addon_provisioning',
    })
  }

  const urlProblem = apiUrlProblem(apiUrl)
  if (urlProblem || typeof token !== 'string') {
    throw new AppLinkError(urlProblem
      ? `The ${attachmentName}_API_URL config var of ${app} ${urlProblem}.`
      : `The ${attachmentName}_TOKEN config var of ${app} is not a string.`, {
      hints: [`The ${addon.name} add-on sets it; check it with: heroku config -a ${app}`],
      id: 'invalid_config_var',
    })
  }

  const sso = await heroku.get<unknown>(`/apps/${enc(app)}/addons/${enc(addon.id)}/sso`, {
    headers: {Accept: 'application/vnd.heroku+json; version=3.sdk'},
  })
  const params = (sso.body as {params?: Record<string, unknown>} | undefined)?.params ?? {}
  // the SSO params carry a signed token and navigation data: both are secrets
  for (const [key, value] of Object.entries(params)) if (/token|nav|secret/i.test(key) && typeof value === 'string') registerSecret(value)
  const ssoHeader = Buffer.from(JSON.stringify(sso.body)).toString('base64')
  registerSecret(ssoHeader)
  return {
    addon: {id: addon.id, name: addon.name},
    addonCount,
    addonNamed: Boolean(wantedAddon),
    apiUrl,
    app: {id: appRes.body.id, name: appRes.body.name ?? app},
    attachmentName,
    sso: ssoHeader,
    token,
  }
}
