/**
 * The base class of every AppLink command: the shared flags (`-a/--app`, `-r/--remote`, `--addon`,
 * `--json`), the lazy Heroku API client, add-on resolution, and error rendering (text on stderr,
 * or `{"error": {...}}` on stdout with --json). `@heroku-cli/command` is imported only when a
 * command talks to Heroku, so `--help` and local-only commands stay fast.
 */
import type {Interfaces} from '@oclif/core'

import {Command, Flags, ux} from '../ui/oclif.js'

import type {AppLinkContext, PlatformApi} from '../api/addon.js'
import type {AppLinkClient} from '../api/applink-client.js'
import {AppLinkError, ExitCode} from '../api/errors.js'
import {interruptedError, interrupts, isPromptInterrupted} from '../ui/interrupt.js'
import {maskKnownSecrets, redactJson} from '../api/redact.js'
import {setTraceWriter} from '../api/trace.js'
import {createIO, type IO, redactProcessStderr} from '../ui/io.js'
import {forTerminal} from '../ui/terminal-text.js'

export type AppLinkFlags<T extends typeof Command> = Interfaces.InferredFlags<typeof AppLinkCommand['baseFlags'] & T['flags']>

/** Reads `git remote -v` only when no app was given, like the Heroku CLI does. */
async function appFromGitRemote(remote?: string): Promise<string | undefined> {
  const {herokuCommandModule} = await import('../api/heroku-command.js')
  const {configRemote, getGitRemotes} = await herokuCommandModule<typeof import('@heroku-cli/command/lib/git.js')>('lib/git.js')
  const remotes = getGitRemotes(remote || configRemote())
  if (remotes.length === 1) return remotes[0].app
  if (remote && remotes.length === 0) throw new AppLinkError(`Git remote ${remote} not found, or it does not point at a Heroku app.`, {exitCode: ExitCode.INVALID_INPUT, hints: ['List remotes with: git remote -v'], id: 'remote_not_found'})
  return undefined
}

export const appFlag = Flags.custom<string>({
  char: 'a',
  async default({flags}) {
    return appFromGitRemote(flags.remote as string | undefined)
  },
  description: 'app to run command against',
  env: 'HEROKU_APP',
  helpValue: '<value>',
  required: true,
})

export abstract class AppLinkCommand extends Command {
  static baseFlags = {
    addon: Flags.string({description: 'AppLink add-on name or ID (when the app has several)', helpGroup: 'GLOBAL'}),
    app: appFlag(),
    remote: Flags.string({char: 'r', description: 'git remote of app to use', helpGroup: 'GLOBAL'}),
  }

  static enableJsonFlag = true

  /** The command's streams and what was decided about them (terminal, CI, spinner), made once in init. */
  protected io!: IO
  private _heroku?: PlatformApi
  private releaseInterrupt?: () => void

  async init(): Promise<void> {
    this.io = createIO()
    await super.init()
    // debug traces (src/lib/api/http.ts) go to this command's stderr; node's own NODE_DEBUG trace
    // bypasses every IO, so with it on the real stderr is redacted as a whole
    setTraceWriter(text => this.io.err(text))
    if (process.env.NODE_DEBUG) redactProcessStderr()
    // Ctrl-C / SIGTERM anywhere in the command: "Interrupted." and exit 130, also under the heroku
    // CLI (whose own signal listener exits 1 at once); flows put more precise handlers on top
    interrupts.setRenderer(error => this.renderError(error))
    this.releaseInterrupt = interrupts.onInterrupt(() => interruptedError())
  }

  async finally(error: Error | undefined): Promise<unknown> {
    this.releaseInterrupt?.()
    return super.finally(error)
  }
  private _cliClient?: Promise<PlatformApi & {getAuth(): Promise<string | undefined>}>

  /**
   * The Heroku Platform API client for add-on resolution. When the token is at hand (see
   * src/lib/api/platform.ts) the GETs go out directly, without importing `@heroku-cli/command`; the
   * CLI's own client takes over for everything else (login, two-factor, proxies, debug output).
   */
  protected async heroku(): Promise<PlatformApi> {
    if (!this._heroku) {
      const [{apiHostname, fastPathBlocked, fastPlatformClient, findToken}, {guardNodeDebug}, {resilientPlatformApi}, firstRun] = await Promise.all([import('../api/platform.js'), import('../api/debug.js'), import('../api/platform-resilience.js'), import('./first-run.js')])
      // node's own NODE_DEBUG=http trace would print the request headers (every later request too)
      await guardNodeDebug()
      const found = fastPathBlocked() ? undefined : await findToken(this.config)
      let api: PlatformApi
      if (found) {
        api = fastPlatformClient({config: this.config, fallback: () => this.cliPlatformApi(), token: found.token, warn: m => this.warn(m)})
      } else {
        const cli = await this.cliPlatformApi()
        // first runs: no token (the CLI's client would start a login that needs a terminal)
        if (!(await cli.getAuth()) && (firstRun.localHerokuHost() || !this.interactive)) throw firstRun.notLoggedIn(firstRun.localHerokuHost())
        api = cli
      }

      // first runs: no emulator listening at a loopback HEROKU_HOST fails at once, naming it
      const local = firstRun.localHerokuHost()
      if (local) await firstRun.assertListening(local)
      // our timeout (APPLINK_HTTP_TIMEOUT), retries of 429/502/503/504 and errors that name the request
      this._heroku = resilientPlatformApi(api, {host: apiHostname()})
    }

    return this._heroku
  }

  /**
   * The Heroku CLI's own Platform API client (`@heroku-cli/command`: auth, login, 2FA, HEROKU_HOST),
   * created once, from the CLI's copy of the package when it has one (api/heroku-command.ts).
   */
  private cliPlatformApi(): Promise<PlatformApi & {getAuth(): Promise<string | undefined>}> {
    this._cliClient ??= (async () => {
      const [{APIClient}, {guardPlatformDebug}] = await Promise.all([import('../api/heroku-command.js').then(m => m.herokuCommand()), import('../api/debug.js')])
      // its debug output prints response bodies (config vars hold the AppLink token): redact them first
      await guardPlatformDebug()
      const on = (v: string | undefined) => v === '1' || v?.toLowerCase() === 'true'
      const api = new APIClient(this.config, {debug: on(process.env.HEROKU_DEBUG), debugHeaders: on(process.env.HEROKU_DEBUG_HEADERS)})
      // without a terminal a refused token is reported, never answered with an interactive login
      // (with HEROKU_API_KEY the client starts none: its own message names that variable)
      const login = this.interactive || Boolean(process.env.HEROKU_API_KEY)
      const get = async (url: string, options?: object) => {
        try {
          return await api.get(url, login ? options : {...options, retryAuth: false} as object)
        } catch (error) {
          // Ctrl-C at its login or two-factor prompt: interrupted (130) like every prompt of ours
          if (isPromptInterrupted(error)) throw interruptedError('Interrupted at the Heroku CLI\'s prompt: nothing was changed.')
          throw error
        }
      }

      return {get, getAuth: () => api.getAuth()} as unknown as PlatformApi & {getAuth(): Promise<string | undefined>}
    })()
    return this._cliClient
  }

  /** Resolves the app's AppLink add-on and returns a client bound to it. */
  protected async applink(app: string, addon?: string): Promise<{client: AppLinkClient; context: AppLinkContext}> {
    const [{resolveAppLink}, {AppLinkClient}] = await Promise.all([import('../api/addon.js'), import('../api/applink-client.js')])
    const context = await resolveAppLink(await this.heroku(), app, addon)
    const client = new AppLinkClient({
      addonId: context.addon.id,
      apiUrl: context.apiUrl,
      app: context.app.name,
      appId: context.app.id,
      sso: context.sso,
      token: context.token,
      // under the heroku CLI, this.config is the CLI's: the command's own plugin names this package
      userAgent: `${this.ctor.plugin?.name ?? this.config.pjson.name}/${this.ctor.plugin?.version ?? this.config.pjson.version} node-${process.version}`,
    })
    return {client, context}
  }

  /** Runs `human` only without --json; returns the result that oclif prints as JSON otherwise. */
  protected async render<T>(result: T, human: () => Promise<void> | void): Promise<T> {
    if (!this.jsonEnabled()) await human()
    return result
  }

  /** True when a person can answer prompts: stdin and stderr are terminals and CI is unset. */
  protected get interactive(): boolean {
    return this.io.interactive
  }

  /** `--json` output: the resource as the service sent it, minus secrets (tokens, OAuth codes, keys) it may carry. */
  protected toSuccessJson(result: unknown): unknown {
    return redactJson(result)
  }

  protected toErrorJson(err: unknown): {error: Record<string, unknown>} {
    // secrets the service may echo back (tokens, key lines) are masked here as on stderr
    return JSON.parse(maskKnownSecrets(JSON.stringify({error: toAppLinkError(err, this.id).toJSON()})))
  }

  /** Shows an error now, synchronously: `{"error": …}` on stdout with --json, else text on stderr. */
  protected renderError(error: AppLinkError): void {
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(error))
      return
    }

    // messages and hints quote the service (and the URLs it sent): no control characters reach the terminal
    const lines = [`Error: ${error.message}`, ...error.hints.map(h => `  › ${h}`)]
    this.io.err(forTerminal(maskKnownSecrets(lines.join('\n'))) + '\n')
  }

  async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<void> {
    // oclif's own exits (e.g. `this.exit(0)`, --help) pass through untouched
    if (err.oclif?.exit !== undefined && err.name === 'ExitError') throw err
    const error = toAppLinkError(err, this.id)
    process.exitCode = error.exitCode
    // after Ctrl-C the interrupt handler has said everything already; the process is exiting
    if (!interrupts.interrupted) {
      if (!this.jsonEnabled()) {
        try {
          ux.action.stop('failed')
        } catch {}
      }

      this.renderError(error)
    }

    // Not this.exit(): when the plugin runs on its own copy of @oclif/core (src/lib/ui/oclif.ts),
    // that copy's ExitError class is not the one the CLI's handler recognises (it would print
    // "Error: EEXIT"). This shape is understood by every oclif 4 error handler: exit with this
    // code, print nothing more.
    throw Object.assign(new Error(`EEXIT: ${error.exitCode}`), {code: 'EEXIT', oclif: {exit: error.exitCode}, skipOclifErrorHandling: true})
  }
}

/** Normalises anything thrown (Heroku API errors, oclif parse errors, bugs) to an AppLinkError. */
export function toAppLinkError(err: unknown, commandId?: string): AppLinkError {
  if (err instanceof AppLinkError) return err
  const e = err as Error & {body?: {id?: string; message?: string}; http?: {statusCode?: number}; oclif?: {exit?: number}}
  if (e?.http?.statusCode) {
    // a Heroku Platform API failure (HerokuAPIError from @heroku-cli/command)
    const status = e.http.statusCode
    const id = e.body?.id ?? 'platform_api_error'
    const hints = status === 404 && id === 'not_found' ? ['Check the app name with: heroku apps'] : []
    if (status === 401) hints.push('Log in again with: heroku login (or set HEROKU_API_KEY)')
    return new AppLinkError(maskKnownSecrets(e.body?.message ?? e.message), {hints, id, status})
  }

  if (e?.oclif?.exit !== undefined) {
    // flag/argument parse errors from oclif
    const {hints, message} = usageMessage(e.message, commandId)
    return new AppLinkError(maskKnownSecrets(message), {exitCode: e.oclif.exit === 1 ? ExitCode.INVALID_INPUT : e.oclif.exit, hints, id: 'invalid_usage'})
  }

  return new AppLinkError(maskKnownSecrets(e?.message ?? String(err)), {id: 'unexpected_error'})
}

/**
 * oclif's parse error text without its wrapper ("The following error occurred:", dim colour codes,
 * "See more help with --help"), flags named as they are typed, and what to do next.
 */
export function usageMessage(text: string, commandId?: string): {hints: string[]; message: string} {
  // eslint-disable-next-line no-control-regex
  const plain = text.replaceAll(/\u001B\[[\d;]*m/g, '')
  const reasons = plain.split('\n').map(l => l.trim()).filter(l => l && !/^The following errors? occurred:$/.test(l) && l !== 'See more help with --help')
  const missing = new Set<string>()
  const lines = reasons.map(r => {
    const m = /^Missing required flag (\S+)$/.exec(r)
    if (!m) return r
    missing.add(m[1])
    return `Missing required flag ${m[1] === 'app' ? '-a/--app' : `--${m[1]}`}.`
  })
  const hints: string[] = []
  if (missing.has('app')) hints.push('Name the app with -a APP, set HEROKU_APP, or run the command in the app\'s git checkout (its heroku git remote).')
  if (commandId) hints.push(`See the command's flags with: heroku ${commandId} --help`)
  return {hints, message: lines.join(' ') || plain}
}
