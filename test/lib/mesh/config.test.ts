/**
 * What the mesh runs with: the command line split as the production binary reads its own, the
 * ports by its rules (flags, then PORT / APP_PORT, then the YAML file, then the defaults), the YAML
 * file read strictly, and Go's booleans.
 */
import {expect} from 'chai'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {loadMeshConfig, parseGoBool, resolvePorts, splitCommandLine} from '../../../src/lib/mesh/config.js'

describe('mesh: configuration', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mesh-config-'))
  })
  afterEach(() => rmSync(dir, {force: true, recursive: true}))

  it('splits the command line: the mesh\'s flags, then the app\'s command after -- or from its first word', () => {
    expect(splitCommandLine(['npm', 'start'])).to.deep.equal({command: ['npm', 'start'], flags: []})
    expect(splitCommandLine(['-a', 'my-app', '--port', '5000', '--', 'uvicorn', 'app:app', '--port', '3000'])).to.deep.equal({command: ['uvicorn', 'app:app', '--port', '3000'], flags: ['-a', 'my-app', '--port', '5000']})
    expect(splitCommandLine(['--app=my-app', 'java', '-jar', 'app.jar'])).to.deep.equal({command: ['java', '-jar', 'app.jar'], flags: ['--app=my-app']})
    expect(splitCommandLine(['-p', '5000'])).to.deep.equal({command: [], flags: ['-p', '5000']})
  })

  it('ports: flags, then PORT and APP_PORT, then app.port of the file, then 8070 and 3000', () => {
    const file = {app: {host: 'http://127.0.0.1', port: '4000'}, bypassRoutes: [], file: 'm.yaml', healthcheck: {enable: 'true', route: '/healthcheck'}}
    const none = {...file, app: {host: 'http://127.0.0.1'}}
    expect(resolvePorts({}, {}, none)).to.deep.include({appPort: 3000, port: 8070})
    expect(resolvePorts({}, {}, file)).to.deep.include({appPort: 4000, port: 8070})
    expect(resolvePorts({}, {APP_PORT: '5001', PORT: '5000'}, file)).to.deep.include({appPort: 5001, port: 5000})
    expect(resolvePorts({appPort: 6001, port: 6000}, {APP_PORT: '5001', PORT: '5000'}, file)).to.deep.include({appPort: 6001, port: 6000})
    expect(() => resolvePorts({}, {PORT: 'abc'}, none)).to.throw('$PORT is "abc", not a port number (0–65535).')
    expect(() => resolvePorts({port: 3000}, {}, none)).to.throw('The mesh and the app cannot both listen on port 3000')
  })

  it('reads bypass routes and the health check; no file means the defaults; --config must exist', async () => {
    expect(await loadMeshConfig(undefined, dir)).to.deep.equal({app: {host: 'http://127.0.0.1'}, bypassRoutes: [], healthcheck: {enable: 'true', route: '/healthcheck'}})
    writeFileSync(join(dir, 'heroku-applink-service-mesh.yaml'), 'app:\n  port: 4000\nmesh:\n  authentication:\n    bypassRoutes: ["/public", "/docs/*"]\n  healthcheck:\n    enable: false\n    route: /up\n')
    expect(await loadMeshConfig(undefined, dir)).to.deep.equal({app: {host: 'http://127.0.0.1', port: '4000'}, bypassRoutes: ['/public', '/docs/*'], file: 'heroku-applink-service-mesh.yaml', healthcheck: {enable: 'false', route: '/up'}})
    const missing = await loadMeshConfig('nope.yaml', dir).catch(error => error)
    expect([missing.message, missing.exitCode]).to.deep.equal(['--config nope.yaml: the file does not exist; the mesh did not start.', 2])
  })

  it('refuses a value of the wrong kind, naming the file and the line', async () => {
    writeFileSync(join(dir, 'm.yaml'), 'mesh:\n  authentication:\n    bypassRoutes: /public\n')
    const error = await loadMeshConfig('m.yaml', dir).catch(e => e)
    expect([error.message, error.exitCode]).to.deep.equal(['m.yaml line 3: mesh.authentication.bypassRoutes must be a list of routes; the mesh did not start.', 2])
  })

  it('reads HEROKU_APPLINK_SERVICE_MESH_BYPASS_ALL_ROUTES as Go does', () => {
    expect(['1', 't', 'T', 'TRUE', 'true', 'True'].map(v => parseGoBool(v))).to.deep.equal(Array(6).fill(true))
    expect(['0', 'f', 'F', 'FALSE', 'false', 'False'].map(v => parseGoBool(v))).to.deep.equal(Array(6).fill(false))
    expect(['yes', 'on', ''].map(v => parseGoBool(v))).to.deep.equal([undefined, undefined, undefined])
  })
})
