/**
 * The Salesforce side of the OAuth flows. A pending connection or authorization carries a random
 * `state`; its `redirect_uri` is this emulator's login page for that state: a real HTML form
 * (username, org type, Allow / Deny) whose answer completes the record. With --auto-approve the
 * emulator answers Allow by itself about a second after the flow starts.
 */
import {linkOrg, refreshToken} from '../org/index.js'
import type {AuthorizationRecord, ConnectionRecord, OrgKind, OrgRecord, StoreData} from '../store/records.js'
import type {EmulatorState} from '../http/state.js'
import {escapeHtml, newToken, now} from '../http/util.js'
import {salesforceId} from '../org/ids.js'
import {ORG_TYPE} from '../store/records.js'

export const API_VERSION = '62.0'
export const ORG_TYPES = {production: 'Production or Developer Edition', sandbox: 'Sandbox', scratch: 'Scratch org'} as const
export type LoginOrgType = keyof typeof ORG_TYPES

function slug(name: string): string {
  return name.toLowerCase().replaceAll('_', '-')
}

function isSandboxLogin(loginUrl?: string): boolean {
  return Boolean(loginUrl && /(^|\/\/)test\.salesforce\.com/i.test(loginUrl))
}

export function defaultUsername(name: string): string {
  return `admin@${slug(name)}.example`
}

/** The org a login reaches: instance URL from the record's name and the org type; ids derived from it. */
export function orgFor(name: string, kind: OrgKind, username: string | undefined, loginUrl?: string, orgType?: LoginOrgType): OrgRecord {
  const type = orgType ?? (isSandboxLogin(loginUrl) ? 'sandbox' : 'production')
  const host = type === 'sandbox' ? `${slug(name)}--sandbox.sandbox.my.salesforce.com` : type === 'scratch' ? `${slug(name)}.scratch.my.salesforce.com` : `${slug(name)}.my.salesforce.com`
  const instanceUrl = `https://${host}`
  const user = username || defaultUsername(name)
  return {id: salesforceId('00D', instanceUrl), instance_url: instanceUrl, type: ORG_TYPE[kind], user_id: salesforceId('005', `${instanceUrl} ${user}`), username: user}
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
  orgType?: LoginOrgType
  username?: string
}

/** Completes the pending flow of `state`; undefined when there is none (unknown or already used). */
export async function completeLogin(emu: EmulatorState, state: string, answer: LoginAnswer): Promise<Pending | undefined> {
  const pending = findPending(emu.store.data, state)
  if (!pending) return undefined
  await emu.store.update(data => {
    const {record} = pending
    record.state = undefined
    record.last_modified_at = now()
    record.last_modified_by = data.account.email
    if (answer.decision === 'deny') {
      record.status = 'failed'
      record.error = pending.kind === 'connection'
        ? {id: 'org_connection_failed', message: 'The Salesforce user denied access (OAuth error access_denied: end-user denied authorization).'}
        : {id: 'authentication_failed', message: 'The Salesforce user denied access (OAuth error access_denied: end-user denied authorization).'}
      return
    }

    record.org = orgFor(record.name, record.kind, answer.username, record.login_url, answer.orgType)
    record.error = undefined
    if (pending.kind === 'connection') {
      pending.record.status = 'connected'
      linkOrg(data, emu.store, pending.record)
    } else {
      pending.record.status = 'authorized'
      pending.record.access_token = undefined
      refreshToken(data, emu.store, pending.record)
    }
  })
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

export function loginPage(p: Pending, data: StoreData): string {
  const {record} = p
  const {app, what} = describe(p, data)
  const sandbox = isSandboxLogin(record.login_url)
  const options = Object.entries(ORG_TYPES).map(([value, text]) => `<option value="${value}"${(value === 'sandbox') === sandbox && (value !== 'scratch') ? ' selected' : ''}>${escapeHtml(text)}</option>`).join('')
  return page('Log in to Salesforce · AppLink emulator', `<main id="login" data-kind="${p.kind}" data-name="${escapeHtml(record.name)}">
<h1>Log in to Salesforce</h1>
<p>Heroku AppLink wants to ${escapeHtml(what)} <strong id="record-name">${escapeHtml(record.name)}</strong>${app ? ` for app <strong id="app-name">${escapeHtml(app)}</strong>` : ''}.</p>
<form id="login-form" method="post" action="/oauth/login">
<input type="hidden" name="state" value="${escapeHtml(record.state)}">
<label for="username">Username</label>
<input id="username" name="username" type="text" value="${escapeHtml(defaultUsername(record.name))}" autocomplete="username" maxlength="80">
<label for="org_type">Org type</label>
<select id="org_type" name="org_type">${options}</select>
<div class="buttons">
<button id="allow" type="submit" name="decision" value="allow">Allow</button>
<button id="deny" type="submit" name="decision" value="deny">Deny</button>
</div>
</form>
<p class="note">Served by the local AppLink emulator${record.login_url ? ` in place of ${escapeHtml(record.login_url)}` : ''}: no real Salesforce org is contacted.</p>
</main>`)
}

export function resultPage(p: Pending, data: StoreData): string {
  const {record} = p
  const ok = record.status === 'connected' || record.status === 'authorized'
  const heading = ok ? (p.kind === 'connection' ? 'Connected' : 'Authorized') : 'Access denied'
  const detail = ok
    ? `${escapeHtml(record.name)} is ${escapeHtml(record.status)} as <span id="result-username">${escapeHtml(record.org.username)}</span> (org <span id="result-org-id">${escapeHtml(record.org.id)}</span>).`
    : `${p.kind === 'connection' ? 'The connection' : 'The authorization'} ${escapeHtml(record.name)} was not ${p.kind === 'connection' ? 'made' : 'added'}: ${escapeHtml(lowerFirst(record.error?.message ?? 'access was denied.'))}`
  return page(`${heading} · AppLink emulator`, `<main id="result" data-status="${escapeHtml(record.status)}" data-kind="${p.kind}" data-name="${escapeHtml(record.name)}">
<h1 class="${ok ? 'ok' : 'failed'}">${heading}</h1>
<p>${detail}</p>
<p>You can close this window and go back to the terminal.</p>
<p class="note"><a href="/">Open the emulator dashboard</a> (${escapeHtml(data.apps.length)} app${data.apps.length === 1 ? '' : 's'}).</p>
</main>`)
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
