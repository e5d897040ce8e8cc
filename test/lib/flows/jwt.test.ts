import {expect} from 'chai'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {AppLinkError} from '../../../src/lib/api/errors.js'
import {DEFAULT_LOGIN_URL, loginUrl, readJwtKey} from '../../../src/lib/flows/jwt.js'
import {maskKnownSecrets} from '../../../src/lib/api/redact.js'

const keys = new URL('../../fixtures/keys/', import.meta.url).pathname

async function failure(path: string): Promise<AppLinkError> {
  try {
    await readJwtKey(path)
  } catch (error) {
    expect(error).to.be.instanceOf(AppLinkError)
    return error as AppLinkError
  }

  throw new Error(`readJwtKey(${path}) did not fail`)
}

describe('jwt key file', () => {
  it('returns the text of an RSA private key, PKCS#8 or PKCS#1', async () => {
    for (const file of ['test-rsa.key', 'test-rsa-traditional.key']) {
      expect(await readJwtKey(keys + file)).to.equal(readFileSync(keys + file, 'utf8'))
    }
  })

  it('masks the key and each line of its body in later output', async () => {
    const text = await readJwtKey(keys + 'test-rsa.key')
    const line = text.split('\n')[3]
    expect(maskKnownSecrets(`echo: ${text}`)).to.equal('echo: [REDACTED]')
    expect(maskKnownSecrets(`part: ${line}`)).to.equal('part: [REDACTED]')
    expect(maskKnownSecrets(JSON.stringify({key: text}))).not.to.contain(line)
  })

  const cases: [string, RegExp][] = [
    ['missing.key', /does not exist/],
    ['', /is a directory/],
    ['not-a-key.txt', /does not hold a PEM private key/],
    ['test-rsa.crt', /holds a certificate, not a private key/],
    ['test-rsa.pub', /holds a public key, not a private key/],
    ['test-rsa-encrypted.key', /holds an encrypted private key/],
    ['test-ec.key', /holds an EC key; .*needs an RSA key/],
    ['truncated.key', /could not be parsed/],
  ]
  for (const [file, problem] of cases) {
    it(`refuses ${file || 'a directory'} as invalid input naming the file, without quoting it`, async () => {
      const err = await failure(keys + file)
      expect(err.exitCode).to.equal(2)
      expect(err.id).to.equal('invalid_jwt_key_file')
      expect(err.message).to.contain(`JWT key file ${keys + file} `)
      expect(err.message).to.match(problem)
      expect(err.hints.length).to.be.greaterThan(0)
      const shown = `${err.message}\n${err.hints.join('\n')}`
      expect(shown).not.to.match(/-----BEGIN/)
      if (file.endsWith('.key') && file !== 'missing.key') {
        const body = readFileSync(keys + file, 'utf8').split('\n')[1]
        expect(shown).not.to.contain(body)
      }
    })
  }
})

describe('jwt encrypted key hint', () => {
  it('names the user\'s own file in the openssl command, and where the decrypted copy goes', async () => {
    const err = await failure(`${keys}test-rsa-encrypted.key`)
    expect(err.hints).to.deep.equal([`Decrypt a copy with: openssl pkey -in ${keys}test-rsa-encrypted.key -out ${keys}test-rsa-encrypted-decrypted.key (then pass --jwt-key-file ${keys}test-rsa-encrypted-decrypted.key)`])
    expect(err.hints[0]).not.to.contain('encrypted.key -out server.key')
  })
})

describe('jwt key file size', () => {
  it('refuses a file far too large for a key without reading it into the message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwt-'))
    const big = join(dir, 'big.key')
    writeFileSync(big, `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(70_000)}\n-----END PRIVATE KEY-----\n`)
    try {
      const err = await failure(big)
      expect(err.exitCode).to.equal(2)
      expect(err.message).to.match(/^JWT key file .*big\.key is \d+ bytes, too large for a private key\.$/)
    } finally {
      rmSync(dir, {force: true, recursive: true})
    }
  })
})

describe('jwt login URL', () => {
  it('defaults to the Salesforce production login', () => {
    expect(loginUrl(undefined)).to.equal(DEFAULT_LOGIN_URL)
    expect(DEFAULT_LOGIN_URL).to.equal('https://login.salesforce.com')
  })

  it('passes an https URL through unchanged, and http only for a local host', () => {
    expect(loginUrl('https://test.salesforce.com')).to.equal('https://test.salesforce.com')
    expect(loginUrl('https://acme.my.salesforce.com/')).to.equal('https://acme.my.salesforce.com/')
    expect(loginUrl('http://127.0.0.1:5050')).to.equal('http://127.0.0.1:5050')
  })

  it('refuses what is not an absolute https URL', () => {
    expect(() => loginUrl('login.salesforce.com')).to.throw(AppLinkError, /not an absolute URL/)
    expect(() => loginUrl('http://login.salesforce.com')).to.throw(AppLinkError, /must use https/)
  })
})
