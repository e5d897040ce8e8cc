/** The dashboard shows each emulated org's objects with record counts and latest records, and no token. */
import {expect} from 'chai'

import {provision, removeTempDirs, request, start} from '../helpers.js'
import {authorize, orgCall, sdkOrg} from './helpers.js'

describe('emulated org: dashboard', () => {
  afterEach(removeTempDirs)

  it('lists each org with its objects, counts, latest records and Data Cloud tables', async function () {
    this.timeout(60_000)
    const emu = await start()
    try {
      const p = await provision(emu)
      const empty = await request(`${emu.url}/`)
      expect(empty.text).to.contain('<h2>Emulated orgs <span class="count">0</span></h2>')
      const org = await authorize(emu, p)
      await sdkOrg(org).dataApi.create({fields: {Name: '<i>Newest</i> Co'}, type: 'Account'})
      await orgCall(org, 'POST', '/api/v1/ingest/sources/Web/Click', {data: [{n: 1}, {n: 2}]})
      const page = await request(`${emu.url}/`)
      const section = /<section id="orgs">([\s\S]*?)<\/section>/.exec(page.text)![1]
      // named after the domain of the user who started it (int@acme.example)
      expect(section).to.contain(`<h3>acme <code>${org.id}</code></h3>\n<p class="org-about"><span class="org-edition">Production or Developer Edition</span> · users: <span class="org-users">int@acme.example</span></p>`)
      const cells = (name: string) => new RegExp(`<td class="name">${name}</td><td class="count">(\\d+)</td>(?:<td class="latest"><ul>([\\s\\S]*?)</ul></td>)?`).exec(section)
      expect(cells('Account')?.[1]).to.equal('6')
      expect(cells('Contact')?.[1]).to.equal('8')
      expect(cells('Opportunity')?.[1]).to.equal('6')
      expect(cells('Case')?.[1]).to.equal('4')
      expect(cells('User')?.[1]).to.equal('1')
      expect(cells('Click')?.[1]).to.equal('2')
      const latest = [...cells('Account')![2].matchAll(/<span class="record-label">([^<]*)<\/span>/g)].map(m => m[1])
      expect(latest).to.have.length(5)
      expect(latest[0]).to.equal('&lt;i&gt;Newest&lt;/i&gt; Co')
      expect(page.text).to.not.contain(org.accessToken)
    } finally {
      await emu.close()
    }
  })
})
