import {expect} from 'chai'

import {layoutTable} from '../../../src/lib/ui/output.js'

const HEADERS = ['Connection Name', 'Type', 'Org ID', 'Status', 'Username', 'Error']
const ROW = ['demo_org', 'Salesforce Org', '00Dqi3VfKCumjXMvok', 'connected', 'admin@demo-org.example', '']
const LONG_ERROR = 'The Salesforce user denied access (OAuth error access_denied: end-user denied authorization). Try again later or ask your administrator.'

describe('layoutTable', () => {
  it('leaves out a column that is empty in every row, and the rule spans the header line', () => {
    expect(layoutTable(HEADERS, [ROW, ['dc', 'Data Cloud Org', '00DcSOfUW7wzy7o6ED', 'connected', 'admin@dc.example', '']])).to.equal([
      '  Connection Name   Type             Org ID               Status      Username',
      ` ${'─'.repeat(77)}`,
      '  demo_org          Salesforce Org   00Dqi3VfKCumjXMvok   connected   admin@demo-org.example',
      '  dc                Data Cloud Org   00DcSOfUW7wzy7o6ED   connected   admin@dc.example',
      '',
    ].join('\n'))
  })

  it('piped (no width): keeps every value whole, and a long last value does not stretch the rule', () => {
    expect(layoutTable(HEADERS, [ROW, ['bad_org', 'Salesforce Org', '', 'failed', '', LONG_ERROR]])).to.equal([
      '  Connection Name   Type             Org ID               Status      Username                 Error',
      ' ───────────────────────────────────────────────────────────────────────────────────────────────────',
      '  demo_org          Salesforce Org   00Dqi3VfKCumjXMvok   connected   admin@demo-org.example',
      `  bad_org           Salesforce Org                        failed                               ${LONG_ERROR}`,
      '',
    ].join('\n'))
  })

  it('on an 80-column terminal: fits in 79 columns, long cells end with an ellipsis, headers whole', () => {
    expect(layoutTable(HEADERS, [ROW, ['bad_org', 'Salesforce Org', '', 'failed', '', LONG_ERROR]], {maxWidth: 80})).to.equal([
      '  Connection Name   Type        Org ID      Status      Username     Error',
      ' ─────────────────────────────────────────────────────────────────────────',
      '  demo_org          Salesfor…   00Dqi3Vf…   connected   admin@dem…',
      '  bad_org           Salesfor…               failed                   The Sales…',
      '',
    ].join('\n'))
  })

  it('a terminal wide enough changes nothing', () => {
    expect(layoutTable(HEADERS, [ROW], {maxWidth: 200})).to.equal(layoutTable(HEADERS, [ROW]))
  })
})
