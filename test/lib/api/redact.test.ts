import {expect} from 'chai'
import fc from 'fast-check'

import {maskKnownSecrets, REDACTED, redactBody, redactHeaders, redactJson, redactText, redactUrl, registerSecret} from '../../../src/lib/api/redact.js'

const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0\n-----END RSA PRIVATE KEY-----'

describe('redact', () => {
  it('masks secret headers whatever their case', () => {
    expect(redactHeaders({Accept: 'application/json', Authorization: 'Bearer abc', cookie: 'a=b', 'X-Addon-SSO': 'eyJ', 'x-app-uuid': 'u'})).to.deep.equal({
      Accept: 'application/json', Authorization: REDACTED, cookie: REDACTED, 'X-Addon-SSO': REDACTED, 'x-app-uuid': 'u',
    })
  })

  it('masks secret query parameters and URL credentials', () => {
    expect(redactUrl('https://u:p4ss@host.example/cb?code=abc123&state=xyz&access_token=t0k')).to.equal(`https://host.example/cb?code=${encodeURIComponent(REDACTED)}&state=xyz&access_token=${encodeURIComponent(REDACTED)}`)
    expect(redactUrl('not a url ?code=abc123')).to.equal(`not a url ?code=${REDACTED}`)
  })

  it('masks secret JSON fields at any depth, PEM keys and URLs in strings', () => {
    const body = {
      jwt_private_key: PEM,
      list: [{access_token: 'at-123'}],
      note: `key: ${PEM}`,
      org: {user_auth: {access_token: 'at-456', username: 'u@example.com'}},
      redirect_uri: 'https://login.example.com/cb?code=oauth-code-1&state=s',
      status: 'connected',
    }
    expect(redactJson(body)).to.deep.equal({
      jwt_private_key: REDACTED,
      list: [{access_token: REDACTED}],
      note: `key: ${REDACTED}`,
      org: {user_auth: {access_token: REDACTED, username: 'u@example.com'}},
      redirect_uri: `https://login.example.com/cb?code=${REDACTED}&state=s`,
      status: 'connected',
    })
  })

  it('shows an object under a secret-looking key (data, not a credential) and still masks scalars in it', () => {
    expect(redactJson({authorization: {externalClientApp: 'Orders_App', permissionSet: 'Orders_Cancel'}, list: [{token: 'tk-1', code: {name: 'x'}}]})).to.deep.equal({
      authorization: {externalClientApp: 'Orders_App', permissionSet: 'Orders_Cancel'},
      list: [{code: {name: 'x'}, token: REDACTED}],
    })
    expect(redactJson({authorization: 'Bearer abc.def'})).to.deep.equal({authorization: REDACTED})
    expect(redactJson({secret: {access_token: 'at-1'}})).to.deep.equal({secret: {access_token: REDACTED}})
  })

  it('redactBody handles JSON and any other text', () => {
    expect(redactBody('{"token":"abc","id":"1"}')).to.equal(`{"token":"${REDACTED}","id":"1"}`)
    expect(redactBody(`<html>Authorization: Bearer abc.def-ghi ${PEM}</html>`)).to.equal(`<html>Authorization: Bearer ${REDACTED} ${REDACTED}</html>`)
    // a truncated JSON text is still cleaned as text
    expect(redactBody(`{"jwt_private_key":"${PEM.replaceAll('\n', '\\n').slice(0, 60)}`)).not.to.contain('MIIEowIBAAKCAQEAu1SU1')
  })

  it('redactText masks a PEM block even when cut off', () => {
    expect(redactText(`x ${PEM.slice(0, 70)}`)).to.equal(`x ${REDACTED}`)
  })

  it('masks registered values, also URL-encoded and JSON-escaped forms, longest first', () => {
    registerSecret('short-secret-1')
    registerSecret('short-secret-1-and-more')
    registerSecret('needs/encoding+"quoted"')
    expect(maskKnownSecrets('a short-secret-1-and-more b short-secret-1 c')).to.equal(`a ${REDACTED} b ${REDACTED} c`)
    expect(maskKnownSecrets(`u=${encodeURIComponent('needs/encoding+"quoted"')}`)).to.equal(`u=${REDACTED}`)
    expect(maskKnownSecrets(JSON.stringify({v: 'needs/encoding+"quoted"'}))).to.equal(`{"v":"${REDACTED}"}`)
    // too short to be worth masking (would garble ordinary words)
    registerSecret('abc')
    expect(maskKnownSecrets('abc')).to.equal('abc')
  })

  it('never throws and never lets a registered secret through, whatever the text (property)', () => {
    const secret = 'prop-secret-7d1f0c'
    registerSecret(secret)
    fc.assert(fc.property(fc.string(), fc.string(), (before, after) => {
      for (const out of [redactText(before + secret + after), redactBody(before + secret + after), redactUrl(before + secret + after), JSON.stringify(redactJson({a: before + secret + after}))]) {
        if (out.includes(secret)) return false
      }

      return true
    }), {numRuns: 300})
  })
})
