/**
 * The plugin and the emulator agree on the publish API's size limits (src/contract/limits.ts): at
 * each limit both accept, one byte (or one file) more and both refuse. The plugin's side is what
 * `salesforce:publish` checks before an upload (`sizeDiagnostic`, `checkZipLimits`); the emulator's
 * side is what it checks in an uploaded zip (`readZip`).
 */
import {expect} from 'chai'
import {zipSync} from 'fflate'

import {MB, PUBLISH_LIMITS} from '../../src/contract/limits.js'
import {readZip} from '../../src/emulator/applink/publish.js'
import {HttpError} from '../../src/emulator/http/reply.js'
import {AppLinkError} from '../../src/lib/api/errors.js'
import {sizeDiagnostic} from '../../src/lib/openapi/check.js'
import {checkZipLimits} from '../../src/lib/flows/publish.js'

type Files = Record<string, number>

/** The plugin's verdict on a spec of `bytes` and the files that go with it. */
function pluginAccepts(files: Files): boolean {
  for (const [name, bytes] of Object.entries(files)) {
    const format = name.endsWith('.json') ? 'json' : name.endsWith('.yaml') ? 'yaml' : undefined
    if (format && sizeDiagnostic(bytes, format)) return false
  }

  try {
    checkZipLimits(Object.entries(files).map(([name, bytes]) => ({bytes, name, source: name})))
    return true
  } catch (error) {
    expect(error).to.be.instanceOf(AppLinkError)
    expect((error as AppLinkError).exitCode, 'bad input: nothing sent').to.equal(2)
    return false
  }
}

/** The emulator's verdict on a zip holding `files` (of spaces, which zip to almost nothing). */
async function emulatorAccepts(files: Files): Promise<boolean> {
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, new Uint8Array(bytes).fill(0x20)])), {level: 1})
  try {
    await readZip(zip)
    return true
  } catch (error) {
    expect(error).to.be.instanceOf(HttpError)
    expect([400, 413]).to.include((error as HttpError).status)
    return false
  }
}

async function verdicts(files: Files): Promise<{emulator: boolean; plugin: boolean}> {
  return {emulator: await emulatorAccepts(files), plugin: pluginAccepts(files)}
}

describe('the publish limits: the plugin and the emulator agree', function () {
  // zipping 20 MB takes a moment on a busy machine
  this.timeout(60_000)

  it('are the contract\'s numbers, in decimal MB', () => {
    expect(MB).to.equal(1_000_000)
    expect(PUBLISH_LIMITS).to.deep.equal({jsonBytes: 10_000_000, yamlBytes: 3_000_000, zipBytes: 20_000_000, zipFiles: 10})
  })

  it('a YAML spec: both take 3,000,000 bytes and both refuse 3,000,001', async () => {
    expect(await verdicts({'api-spec.yaml': PUBLISH_LIMITS.yamlBytes})).to.deep.equal({emulator: true, plugin: true})
    expect(await verdicts({'api-spec.yaml': PUBLISH_LIMITS.yamlBytes + 1})).to.deep.equal({emulator: false, plugin: false})
  })

  it('a JSON spec: both take 10,000,000 bytes and both refuse 10,000,001', async () => {
    expect(await verdicts({'api-spec.json': PUBLISH_LIMITS.jsonBytes})).to.deep.equal({emulator: true, plugin: true})
    expect(await verdicts({'api-spec.json': PUBLISH_LIMITS.jsonBytes + 1})).to.deep.equal({emulator: false, plugin: false})
  })

  it('the zip: both take 20,000,000 bytes in all and both refuse 20,000,001', async () => {
    const atLimit = {'api-spec.json': PUBLISH_LIMITS.jsonBytes, 'connectedapp-meta.xml': 5 * MB, 'permissionset-meta.xml': 5 * MB}
    expect(await verdicts(atLimit)).to.deep.equal({emulator: true, plugin: true})
    expect(await verdicts({...atLimit, 'permissionset-meta.xml': 5 * MB + 1})).to.deep.equal({emulator: false, plugin: false})
  })

  it('the zip: both take 10 files and both refuse 11', async () => {
    const files = (n: number): Files => Object.fromEntries(Array.from({length: n}, (_, i) => [i === 0 ? 'api-spec.yaml' : `file-${i}.xml`, 10]))
    expect(await verdicts(files(PUBLISH_LIMITS.zipFiles))).to.deep.equal({emulator: true, plugin: true})
    expect(await verdicts(files(PUBLISH_LIMITS.zipFiles + 1))).to.deep.equal({emulator: false, plugin: false})
  })
})
