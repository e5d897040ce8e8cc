/**
 * The Salesforce side of the OAuth flows. A pending connection or authorization carries a random
 * `state`; its `redirect_uri` is this emulator's login page for that state: a real HTML form
 * (username, the org or user to log in as, the org type of a new org, Allow / Deny) whose answer
 * completes the record. Who logs in decides the org (org/logins.ts), never the record's name. With
 * --auto-approve the emulator answers Allow by itself about a second after the flow starts, as the
 * one default admin user.
 */
import {DEFAULT_ADMIN, EDITIONS, type LoginRequest, logIn, type OrgLogin, linkOrg, refreshToken, usersOf} from '../org/index.js'
import type {OrgEdition} from '../org/types.js'
import type {AuthorizationRecord, ConnectionRecord, OrgRecord, StoreData} from '../store/records.js'
import type {EmulatorState} from '../http/state.js'
import {escapeHtml, newToken, now} from '../http/util.js'
import {ORG_TYPE} from '../store/records.js'

export const API_VERSION = '62.0'

function isSandboxLogin(loginUrl?: string): boolean {
  return Boolean(loginUrl && /(^|\/\/)test\.salesforce\.com/i.test(loginUrl))
}

/** The org type a new org gets when the login does not say: a sandbox for a test.salesforce.com login URL. */
export function defaultEdition(loginUrl?: string): OrgEdition {
  return isSandboxLogin(loginUrl) ? 'sandbox' : 'production'
}

/** What a connection or authorization records of the org and user a login reached. */
export function linkedOrg(login: OrgLogin, kind: 'datacloud' | 'salesforce'): OrgRecord {
  return {id: login.org.id, instance_url: login.org.instance_url, type: ORG_TYPE[kind], user_id: login.userId, username: login.username}
}

export type Pending = {kind: 'authorization'; record: AuthorizationRecord} | {kind: 'connection'; record: ConnectionRecord}

export function findPending(data: StoreData, state: string): Pending | undefined {
  if (!state) return undefined
  const c = data.connections.find(x => x.state === state && x.status === 'connecting')
  if (c) return {kind: 'connection', record: c}
  const a = data.authorizations.find(x => x.state === state && x.status === 'authorizing')
  return a ? {kind: 'authorization', record: a} : undefined
}

/** Gives a new record its OAuth state, and with --auto-approve schedules the approval. */
export function startOauth(emu: EmulatorState, record: AuthorizationRecord | ConnectionRecord): void {
  record.state = newToken(16)
  scheduleAutoApprove(emu, record.state)
}

function scheduleAutoApprove(emu: EmulatorState, state: string): void {
  if (!emu.options.autoApprove) return
  emu.schedule(emu.autoApproveMs, async () => {
    await completeLogin(emu, state, {decision: 'allow'})
  })
}

/** After a restart with --auto-approve: approves the logins that were still pending. */
export function resumePendingFlows(emu: EmulatorState): void {
  const {data} = emu.store
  for (const c of data.connections) if (c.status === 'connecting' && c.state) scheduleAutoApprove(emu, c.state)
  for (const a of data.authorizations) if (a.status === 'authorizing' && a.state) scheduleAutoApprove(emu, a.state)
}

export interface LoginAnswer {
  decision: 'allow' | 'deny'
  /** the org type of a new org (default: from the login URL) */
  orgType?: OrgEdition
  /** an org, or an org's user, picked on the page */
  pick?: {orgId: string; userId?: string}
  /** default: the default admin user */
  username?: string
}

const DENIED = 'The Salesforce user denied access (OAuth error access_denied: end-user denied authorization).'

/**
 * Answers a pending login in the store: Deny fails the record; Allow logs in (org/logins.ts) and
 * completes it with its org (an authorization also gets its access token). Call inside a store
 * update; a LoginError (the page's choice cannot be done) is thrown before anything changes.
 */
export function settleLogin(data: StoreData, store: object, pending: Pending, answer: LoginAnswer): void {
  const {record} = pending
  let login: OrgLogin | undefined
  if (answer.decision === 'allow') {
    const request: LoginRequest = {
      dataCloud: record.kind === 'datacloud',
      edition: answer.orgType ?? defaultEdition(record.login_url),
      orgId: answer.pick?.orgId,
      userId: answer.pick?.userId,
      username: answer.username ?? DEFAULT_ADMIN,
    }
    login = logIn(data, store, request)
  }

  record.state = undefined
  record.last_modified_at = now()
  record.last_modified_by = data.account.email
  if (!login) {
    record.status = 'failed'
    record.error = {id: pending.kind === 'connection' ? 'org_connection_failed' : 'authentication_failed', message: DENIED}
    return
  }

  record.org = linkedOrg(login, record.kind)
  record.error = undefined
  if (pending.kind === 'connection') {
    pending.record.status = 'connected'
    linkOrg(data, store, pending.record)
  } else {
    pending.record.status = 'authorized'
    pending.record.access_token = undefined
    refreshToken(data, store, pending.record)
  }
}

/** Completes the pending flow of `state`; undefined when there is none (unknown or already used). Throws LoginError with nothing changed. */
export async function completeLogin(emu: EmulatorState, state: string, answer: LoginAnswer): Promise<Pending | undefined> {
  const pending = findPending(emu.store.data, state)
  if (!pending) return undefined
  await emu.store.update(data => settleLogin(data, emu.store, pending, answer))
  return pending
}

const STYLE = `
body{font-family:system-ui,sans-serif;background:#f3f3f3;margin:0;color:#181818}
main{max-width:420px;margin:48px auto;background:#fff;border-radius:8px;padding:28px 32px;box-shadow:0 2px 8px #0002}
h1{font-size:1.35rem;margin-top:0}label{display:block;margin:14px 0 4px;font-weight:600}
input,select{width:100%;box-sizing:border-box;padding:8px;font-size:1rem;border:1px solid #999;border-radius:4px}
.buttons{display:flex;gap:12px;margin-top:22px}button{flex:1;padding:10px;font-size:1rem;border-radius:4px;border:1px solid #0176d3;cursor:pointer}
#allow{background:#0176d3;color:#fff}#deny{background:#fff;color:#0176d3}.note{color:#555;font-size:.85rem}
.ok{color:#2e844a}.failed{color:#ba0517}`

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
${body}
</body>
</html>
`
}

function describe(p: Pending, data: StoreData): {app: string; what: string} {
  const kindText = p.record.kind === 'datacloud' ? 'Data Cloud org' : 'Salesforce org'
  const app = data.apps.find(a => a.id === p.record.app_id)?.name ?? ''
  return {app, what: p.kind === 'connection' ? `connect the ${kindText} connection` : `add the ${kindText} authorization`}
}

/** The select of orgs and their users: the username's own rule, an org to add it to, or one of the org's users. */
function loginAsOptions(data: StoreData): string {
  const groups = data.orgs.map(org => {
    const users = usersOf(org).map(u => `<option value="user:${escapeHtml(org.id)}:${escapeHtml(u.id)}">${escapeHtml(u.username)}</option>`).join('')
    return `<optgroup label="${escapeHtml(`${org.name} · ${org.id} · ${EDITIONS[org.edition]}${org.data_cloud ? ' · Data Cloud' : ''}`)}"><option value="org:${escapeHtml(org.id)}">the username above, in ${escapeHtml(org.name)}</option>${users}</optgroup>`
  })
  return `<option value="" selected>the username above: its org, else its domain's org, else a new org</option>${groups.join('')}`
}

/** The login form of a pending flow; `error` (a choice that could not be done) is shown above it. */
export function loginPage(p: Pending, data: StoreData, error?: string): string {
  const {record} = p
  const {app, what} = describe(p, data)
  const edition = defaultEdition(record.login_url)
  const options = Object.entries(EDITIONS).map(([value, text]) => `<option value="${value}"${value === edition ? ' selected' : ''}>${escapeHtml(text)}</option>`).join('')
  return page('Log in to Salesforce · AppLink emulator', `<main id="login" data-kind="${p.kind}" data-name="${escapeHtml(record.name)}">
<h1>Log in to Salesforce</h1>
<p>Heroku AppLink wants to ${escapeHtml(what)} <strong id="record-name">${escapeHtml(record.name)}</strong>${app ? ` for app <strong id="app-name">${escapeHtml(app)}</strong>` : ''}.</p>
${error ? `<p id="login-error" class="failed" role="alert">${escapeHtml(error)}</p>\n` : ''}<form id="login-form" method="post" action="/oauth/login">
<input type="hidden" name="state" value="${escapeHtml(record.state)}">
<label for="username">Username</label>
<input id="username" name="username" type="text" value="${escapeHtml(DEFAULT_ADMIN)}" autocomplete="username" maxlength="80">
<label for="login_as">Log in to</label>
<select id="login_as" name="login_as">${loginAsOptions(data)}</select>
<label for="org_type">Org type (of a new org)</label>
<select id="org_type" name="org_type">${options}</select>
<div class="buttons">
<button id="allow" type="submit" name="decision" value="allow">Allow</button>
<button id="deny" type="submit" name="decision" value="deny">Deny</button>
</div>
</form>
<p class="note">The org is decided by who logs in, as in Salesforce: a username belongs to one org. A username the emulator has not seen joins the org whose users share its domain (the part after @), or starts a new org. Picking a user logs in as that user (the username above is then not read).</p>
<p class="note">Served by the local AppLink emulator${record.login_url ? ` in place of ${escapeHtml(record.login_url)}` : ''}: no real Salesforce org is contacted.</p>
</main>`)
}

export function resultPage(p: Pending, data: StoreData): string {
  const {record} = p
  const ok = record.status === 'connected' || record.status === 'authorized'
  const heading = ok ? (p.kind === 'connection' ? 'Connected' : 'Authorized') : 'Access denied'
  const detail = ok
    ? `${escapeHtml(record.name)} is ${escapeHtml(record.status)} as <span id="result-username">${escapeHtml(record.org.username)}</span> (org <span id="result-org-name">${escapeHtml(orgNameOf(data, record.org.id))}</span>, <span id="result-org-id">${escapeHtml(record.org.id)}</span>).`
    : `${p.kind === 'connection' ? 'The connection' : 'The authorization'} ${escapeHtml(record.name)} was not ${p.kind === 'connection' ? 'made' : 'added'}: ${escapeHtml(lowerFirst(record.error?.message ?? 'access was denied.'))}`
  return page(`${heading} · AppLink emulator`, `<main id="result" data-status="${escapeHtml(record.status)}" data-kind="${p.kind}" data-name="${escapeHtml(record.name)}">
<h1 class="${ok ? 'ok' : 'failed'}">${heading}</h1>
<p>${detail}</p>
<p>You can close this window and go back to the terminal.</p>
<p class="note"><a href="/">Open the emulator dashboard</a> (${escapeHtml(data.apps.length)} app${data.apps.length === 1 ? '' : 's'}).</p>
</main>`)
}

function orgNameOf(data: StoreData, id: string | undefined): string {
  return data.orgs.find(o => o.id === id)?.name ?? ''
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}

/** A link whose flow is over (allowed, denied, removed) or that this emulator never issued: a page, not JSON, since a browser shows it. */
export function unknownLinkPage(): string {
  return page('Login link not valid · AppLink emulator', `<main id="link-unknown">
<h1 class="failed">This login link is not valid</h1>
<p>The AppLink emulator has no login waiting for this link. Each link works once: it stops working when its login was allowed or denied, or when the connection or authorization it was for was removed (or the emulator's store was reset).</p>
<p>Go back to the terminal: the command that printed this link has finished, or says how it ended. To try again, run that command again; it prints a new link. To see where things stand, run <code>heroku applink:connections -a APP</code> or <code>heroku applink:authorizations -a APP</code>.</p>
<p class="note"><a href="/">Open the emulator dashboard</a></p>
</main>`)
}
