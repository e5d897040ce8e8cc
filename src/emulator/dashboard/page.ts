/**
 * The dashboard at `/` (routes.ts serves it): server-rendered tables of apps, add-ons,
 * connections, authorizations, publications and data action targets with their statuses, and the
 * emulated orgs (org/dashboard.ts). It never shows a token.
 */
import {attachmentsOfAddon} from '../platform/model.js'
import {orgTypeLabel} from '../applink/names.js'
import {renderOrgs} from '../org/dashboard.js'
import type {StoreData} from '../store/records.js'
import {escapeHtml as h} from '../http/util.js'

interface Column<T> {
  cell: (row: T) => string
  /** class of the cells (stable, for tests) */
  key: string
  title: string
}

function status(value: string): string {
  return `<span class="status status-${h(value)}">${h(value)}</span>`
}

function table<T extends {id: string}>(id: string, title: string, rows: T[], allColumns: Column<T>[], empty: string): string {
  // a column empty in every row (an Error column without errors) takes no room, as in the CLI's tables
  const columns = allColumns.filter(c => rows.some(r => c.cell(r) !== ''))
  const head = columns.map(c => `<th class="${c.key}">${h(c.title)}</th>`).join('')
  const body = rows.map(r => `<tr class="row" data-id="${h(r.id)}">${columns.map(c => `<td class="${c.key}">${c.cell(r)}</td>`).join('')}</tr>`).join('\n')
  return `<section id="${id}">
<h2>${h(title)} <span class="count">${rows.length}</span></h2>
${rows.length === 0 ? `<p class="empty">${h(empty)}</p>` : `<table><thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`}
</section>`
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`
}

/** Names by id, for the cells that point at another record. */
function namer(data: StoreData) {
  return {
    addon: (id: string) => data.addons.find(a => a.id === id)?.name ?? id,
    app: (id: string) => data.apps.find(a => a.id === id)?.name ?? id,
    connection: (id: string) => data.connections.find(c => c.id === id)?.name ?? id,
  }
}

function loginLink(state?: string): string {
  return state ? ` <a class="login-link" href="/oauth/login?state=${h(state)}">log in</a>` : ''
}

type LinkRecord = StoreData['authorizations'][number] | StoreData['connections'][number]

/** The columns a connection and an authorization share: how the org reads, its status (with a
 * login link while the login waits), how it was made, and the org's id and user. */
function linkColumns<T extends LinkRecord>(waiting: string): Column<T>[] {
  return [
    {cell: l => h(orgTypeLabel(l.org.type)), key: 'type', title: 'Type'},
    {cell: l => status(l.status) + (l.status === waiting ? loginLink(l.state) : ''), key: 'status', title: 'Status'},
    {cell: l => h(l.connection_method), key: 'method', title: 'Method'},
    {cell: l => h(l.org.id), key: 'org-id', title: 'Org ID'},
    {cell: l => h(l.org.username), key: 'username', title: 'Username'},
  ]
}

function platformSections(data: StoreData, origin: string): string[] {
  const name = namer(data)
  return [
    table('apps', 'Apps', data.apps, [
      {cell: a => h(a.name), key: 'name', title: 'Name'},
      {cell: a => h(a.id), key: 'id', title: 'ID'},
      {cell: a => h(data.addons.filter(x => x.app_id === a.id).map(x => x.name).join(', ')), key: 'addons', title: 'Add-ons'},
      {cell: a => h(a.created_at), key: 'created', title: 'Created'},
    ], 'No apps yet: heroku apps:create NAME'),
    table('addons', 'Add-ons', data.addons, [
      {cell: a => h(a.name), key: 'name', title: 'Name'},
      {cell: a => h(`${a.service}:${a.plan}`), key: 'plan', title: 'Plan'},
      {cell: a => h(name.app(a.app_id)), key: 'app', title: 'App'},
      {cell: a => h(attachmentsOfAddon(data, a.id).map(x => `${name.app(x.app_id)}::${x.name}`).join(', ')), key: 'attachments', title: 'Attachments'},
      {cell: a => h(`${origin}/addons/${a.id}`), key: 'api-url', title: 'API URL'},
      {cell: () => status('provisioned'), key: 'status', title: 'State'},
    ], 'No add-ons yet: heroku addons:create heroku-applink -a APP'),
  ]
}

function linkSections(data: StoreData): string[] {
  const name = namer(data)
  return [
    table('connections', 'Connections', data.connections, [
      {cell: c => h(c.name), key: 'name', title: 'Connection Name'},
      ...linkColumns<StoreData['connections'][number]>('connecting'),
      {cell: c => h(c.org.instance_url), key: 'instance-url', title: 'Instance URL'},
      {cell: c => h(name.addon(c.addon_id)), key: 'addon', title: 'Add-on'},
      {cell: c => h(c.error?.message), key: 'error', title: 'Error'},
    ], 'No connections yet: heroku salesforce:connect NAME -a APP'),
    table('authorizations', 'Authorizations', data.authorizations, [
      {cell: a => h(a.name), key: 'name', title: 'Developer Name'},
      ...linkColumns<StoreData['authorizations'][number]>('authorizing'),
      {cell: a => h(a.app_name), key: 'app', title: 'App'},
      {cell: a => h(name.addon(a.addon_id)), key: 'addon', title: 'Add-on'},
      {cell: a => h(a.error?.message), key: 'error', title: 'Error'},
    ], 'No authorizations yet: heroku salesforce:authorizations:add NAME -a APP'),
  ]
}

function publishedSections(data: StoreData): string[] {
  const name = namer(data)
  return [
    table('publications', 'Publications', data.publications, [
      {cell: p => h(p.client_name), key: 'name', title: 'Client Name'},
      {cell: p => h(p.connection_name), key: 'connection', title: 'Connection'},
      {cell: p => h(name.app(p.app_uuid)), key: 'app', title: 'App'},
      // its name, as salesforce:publications shows it; the id on hover
      {cell: p => `<span title="${h(p.esr_id)}">${h(p.esr_name)}</span>`, key: 'esr-name', title: 'External Service'},
      {cell: p => h(p.operations.map(o => o.operation_id ?? `${o.method} ${o.path}`).join(', ')), key: 'operations', title: 'Operations'},
      {cell: p => h(p.agent_actions.join(', ')), key: 'agent-actions', title: 'Agentforce Actions'},
      {cell: p => h(p.topic), key: 'topic', title: 'Topic'},
      {cell: () => status('published'), key: 'status', title: 'Status'},
    ], 'Nothing published yet: heroku salesforce:publish SPEC -c CLIENT --connection-name NAME -a APP'),
    table('data-action-targets', 'Data Action Targets', data.data_action_targets, [
      {cell: t => h(t.api_name), key: 'name', title: 'API Name'},
      {cell: t => h(t.label), key: 'label', title: 'Label'},
      {cell: t => h(name.connection(t.connection_id)), key: 'connection', title: 'Connection'},
      {cell: t => h(t.target_endpoint), key: 'endpoint', title: 'Target Endpoint'},
      {cell: t => status(t.status), key: 'status', title: 'Status'},
    ], 'No data action targets yet: heroku datacloud:data-action-target:create LABEL -o ORG -p PATH -a APP'),
  ]
}

export function renderDashboard(data: StoreData, origin: string): string {
  const sections = [...platformSections(data, origin), ...linkSections(data), ...publishedSections(data)]
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>AppLink emulator</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#181818}h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:28px}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
td.id,td.api-url,td.org-id,td.instance-url,td.username,td.attachments,td.endpoint,td.esr-name,td.operations,td.agent-actions,td.topic{overflow-wrap:anywhere}
td.error{min-width:10em}td.name,td.app,td.addon,td.connection,td.plan,td.type,td.method{white-space:nowrap}
@media (max-width:1280px){table{font-size:.82rem}th,td{padding:5px 6px}td.instance-url,th.instance-url,td.api-url,th.api-url,#apps .id,#authorizations .org-id{display:none}}
th{background:#f3f3f3}.count{color:#666;font-weight:normal}.empty{color:#666}.status{font-weight:600}
.status-connected,.status-authorized,.status-created,.status-published,.status-provisioned{color:#2e844a}
.status-failed,.status-creation_failed,.status-disconnected{color:#ba0517}
.status-connecting,.status-authorizing,.status-pending,.status-creating,.status-generating_signing_key{color:#a96404}
</style></head>
<body>
<h1>AppLink emulator</h1>
<p id="summary">Serving ${h(origin)} · ${count(data.apps.length, 'app')} · ${count(data.addons.length, 'add-on')} · ${count(data.connections.length, 'connection')} · ${count(data.authorizations.length, 'authorization')} · ${count(data.publications.length, 'publication')} · <a href="/">refresh</a></p>
${sections.join('\n')}
${renderOrgs(data.orgs)}
</body>
</html>
`
}
