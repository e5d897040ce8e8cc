/**
 * The dashboard's section on the emulated orgs: for each org its type, its users, its objects with
 * record counts and latest records, and its Data Cloud tables. Never a token.
 */
import {escapeHtml as h} from '../http/util.js'
import {EDITIONS, usersOf} from './logins.js'
import type {OrgData, SObjectRecord} from './types.js'

const LATEST = 5
const LABEL_FIELDS = ['Name', 'Subject', 'CaseNumber', 'LastName', 'Username']

function label(record: SObjectRecord): string {
  for (const f of LABEL_FIELDS) if (typeof record[f] === 'string' && record[f] !== '') return record[f] as string
  return record.Id
}

function objectRows(org: OrgData): string {
  const objects = Object.entries(org.objects).filter(([, list]) => list.length > 0).sort(([a], [b]) => a.localeCompare(b))
  return objects.map(([name, list]) => {
    const latest = [...list].sort((a, b) => String(b.CreatedDate).localeCompare(String(a.CreatedDate))).slice(0, LATEST)
    const items = latest.map(r => `<li><span class="record-label">${h(label(r))}</span> <code class="record-id">${h(r.Id)}</code> <span class="record-created">${h(r.CreatedDate)}</span></li>`).join('')
    return `<tr class="row" data-id="${h(`${org.id}:${name}`)}"><td class="name">${h(name)}</td><td class="count">${list.length}</td><td class="latest"><ul>${items}</ul></td></tr>`
  }).join('\n')
}

function dataCloudRows(org: OrgData): string {
  return Object.entries(org.datacloud).map(([name, rows]) => `<tr class="row" data-id="${h(`${org.id}:dc:${name}`)}"><td class="name">${h(name)}</td><td class="count">${rows.length}</td></tr>`).join('\n')
}

/** The usernames of the org's users: the first few, then how many more. */
function users(org: OrgData): string {
  const names = usersOf(org).map(u => u.username)
  const shown = names.slice(0, LATEST * 2).map(n => h(n)).join(', ')
  return names.length > LATEST * 2 ? `${shown} and ${names.length - LATEST * 2} more` : shown
}

export function renderOrgs(orgs: OrgData[]): string {
  const blocks = orgs.map(org => {
    const dc = dataCloudRows(org)
    return `<div class="org" id="org-${h(org.id)}">
<h3>${h(org.name)} <code>${h(org.id)}</code></h3>
<p class="org-about"><span class="org-edition">${h(EDITIONS[org.edition] ?? org.edition)}</span>${org.data_cloud ? ' · <span class="org-datacloud">with Data Cloud</span>' : ''} · users: <span class="org-users">${users(org)}</span></p>
<table class="org-objects"><thead><tr><th>Object</th><th>Records</th><th>Latest records</th></tr></thead>
<tbody>
${objectRows(org)}
</tbody></table>
${dc ? `<table class="org-datacloud"><thead><tr><th>Data Cloud table</th><th>Rows</th></tr></thead>\n<tbody>\n${dc}\n</tbody></table>` : ''}
</div>`
  })
  return `<section id="orgs">
<h2>Emulated orgs <span class="count">${orgs.length}</span></h2>
${orgs.length === 0 ? '<p class="empty">No org yet: the first login of a connection or authorization starts one, with sample records.</p>' : blocks.join('\n')}
</section>`
}
