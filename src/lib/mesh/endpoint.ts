/**
 * Where the mesh's AppLink calls go and with which token: `HEROKU_APPLINK_API_URL` and
 * `HEROKU_APPLINK_TOKEN` from the environment when both are set and no app is named (as on a
 * dyno), else the config vars of the app's AppLink add-on (read with the Platform API, which the
 * app then gets too). And whether the mesh's lines also go to the emulator's log store.
 */
import type {AppLinkContext} from '../api/addon.js'
import {AppLinkError} from '../api/errors.js'
import {findToken} from '../api/platform.js'
import {registerSecret} from '../api/redact.js'
import type {AppLinkEndpoint} from './authenticate.js'
import type {LogStoreTarget} from './log-store.js'

export interface EndpointInput {
  addon?: string
  app?: string
  config: {dataDir: string}
  env: NodeJS.ProcessEnv
  /** the user named the app (-a, -r): its config vars win over the environment's */
  named: boolean
  resolve(app: string, addon?: string): Promise<AppLinkContext>
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i

/** HEROKU_HOST when it is an emulator on this machine (http://127.0.0.1:5050). */
function localHerokuHost(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.HEROKU_HOST
  if (!value || !/^http:\/\//i.test(value)) return undefined
  try {
    return LOOPBACK.test(new URL(value).hostname) ? value : undefined
  } catch {
    return undefined
  }
}

export async function meshEndpoint(input: EndpointInput): Promise<{applink: AppLinkEndpoint; extraEnv: Record<string, string>; logStore?: LogStoreTarget}> {
  const {env} = input
  let applink: AppLinkEndpoint
  const extraEnv: Record<string, string> = {}
  if (!input.named && env.HEROKU_APPLINK_API_URL && env.HEROKU_APPLINK_TOKEN) {
    applink = {apiUrl: env.HEROKU_APPLINK_API_URL, token: env.HEROKU_APPLINK_TOKEN}
    // masked wherever the mesh writes (an AppLink answer that echoes it, the app's output)
    registerSecret(applink.token)
  } else if (input.app) {
    const context = await input.resolve(input.app, input.addon)
    applink = {apiUrl: context.apiUrl, token: context.token}
    extraEnv[`${context.attachmentName}_API_URL`] = context.apiUrl
    extraEnv[`${context.attachmentName}_TOKEN`] = context.token
  } else {
    throw new AppLinkError('The mesh needs the AppLink add-on\'s HEROKU_APPLINK_API_URL and HEROKU_APPLINK_TOKEN: name the app, or set both variables.', {
      exitCode: 2,
      hints: ['Name the app with -a APP (or run in its git checkout), e.g. heroku applink:mesh -a my-app -- npm start.', 'Or export both variables, as a dyno has them: heroku config -a APP shows them.'],
      id: 'missing_app',
    })
  }

  let logStore: LogStoreTarget | undefined
  const host = localHerokuHost(env)
  if (host && input.app) {
    const found = await findToken(input.config, env)
    if (found) logStore = {apiKey: found.token, app: input.app, host}
  }

  return {applink, extraEnv, logStore}
}
