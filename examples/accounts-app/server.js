// An AppLink app with two operations (see api-spec.yaml), on node:http and the @heroku/applink SDK.
// Salesforce (through the AppLink service mesh) sends x-client-context; the SDK turns it into the
// invoking user's org, whose dataApi this app uses. Listens on $APP_PORT, $PORT or 3000.
import {createServer} from 'node:http'

import applink from '@heroku/applink'

const MAX_BODY = 64 * 1024

class RequestError extends Error {
  constructor(status, message) {
    super(message)
    this.status = status
  }
}

function send(res, status, body) {
  const text = JSON.stringify(body)
  res.writeHead(status, {'content-length': Buffer.byteLength(text), 'content-type': 'application/json'})
  res.end(text)
}

async function readJson(req) {
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > MAX_BODY) throw new RequestError(413, `The request body is larger than ${MAX_BODY} bytes.`)
    chunks.push(chunk)
  }

  const text = Buffer.concat(chunks).toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    throw new RequestError(400, 'The request body is not valid JSON.')
  }
}

/** The invoking user's org, from x-client-context (parsed by the SDK). */
function orgOf(req, body) {
  try {
    const {context} = applink.parseRequest(req.headers, body, null)
    return context.org
  } catch (error) {
    throw new RequestError(401, `Not an AppLink invocation: ${error.message}`)
  }
}

function optionalString(value, name) {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw new RequestError(400, `${name} must be a string.`)
  return value
}

function requiredString(value, name) {
  const text = optionalString(value, name)
  if (text === undefined || text.trim() === '') throw new RequestError(400, `${name} is required.`)
  return text
}

async function listAccounts(req, res, url) {
  const raw = url.searchParams.get('limit')
  const limit = raw === null ? 20 : Number(raw)
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new RequestError(400, 'limit must be a whole number from 1 to 200.')
  const org = orgOf(req)
  const result = await org.dataApi.query(`SELECT Id, Name, Industry FROM Account ORDER BY Name LIMIT ${limit}`)
  // the SDK keeps field names lower-cased and leaves out empty values
  const accounts = result.records.map(r => ({id: r.fields.id, industry: r.fields.industry ?? null, name: r.fields.name}))
  send(res, 200, {accounts})
}

async function createAccount(req, res) {
  const body = await readJson(req)
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new RequestError(400, 'The request body must be a JSON object.')
  const name = requiredString(body.name, 'name')
  const industry = optionalString(body.industry, 'industry')
  let contact
  if (body.contact !== undefined && body.contact !== null) {
    if (typeof body.contact !== 'object' || Array.isArray(body.contact)) throw new RequestError(400, 'contact must be an object.')
    contact = {
      Email: optionalString(body.contact.email, 'contact.email'),
      FirstName: optionalString(body.contact.firstName, 'contact.firstName'),
      LastName: requiredString(body.contact.lastName, 'contact.lastName'),
    }
  }

  const org = orgOf(req, body)
  const uow = org.dataApi.newUnitOfWork()
  const accountRef = uow.registerCreate({fields: {Name: name, ...(industry ? {Industry: industry} : {})}, type: 'Account'})
  const contactRef = contact ? uow.registerCreate({fields: {...dropUndefined(contact), AccountId: accountRef}, type: 'Contact'}) : undefined
  const results = await org.dataApi.commitUnitOfWork(uow)
  send(res, 201, {accountId: results.get(accountRef).id, contactId: contactRef ? results.get(contactRef).id : null})
}

function dropUndefined(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined))
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  try {
    if (url.pathname === '/healthcheck') return send(res, 200, {status: 'ok'})
    if (url.pathname === '/accounts' && req.method === 'GET') return await listAccounts(req, res, url)
    if (url.pathname === '/accounts' && req.method === 'POST') return await createAccount(req, res)
    if (url.pathname === '/accounts') return send(res, 405, {error: `${req.method} is not allowed on /accounts; use GET or POST.`})
    return send(res, 404, {error: `No operation at ${req.method} ${url.pathname}.`})
  } catch (error) {
    if (error instanceof RequestError) return send(res, error.status, {error: error.message})
    // an error from the org (the SDK gives errorCode and message): the operation failed there
    console.error(`accounts-app: ${req.method} ${url.pathname} failed: ${error.errorCode ? `${error.errorCode}: ` : ''}${error.message}`)
    return send(res, 502, {error: `Salesforce refused the request: ${error.errorCode ? `${error.errorCode}: ` : ''}${error.message}`})
  }
})

const port = Number(process.env.APP_PORT || process.env.PORT || 3000)
// behind the AppLink service mesh the app is reached on 127.0.0.1:$APP_PORT; set HOST to listen elsewhere
server.listen(port, process.env.HOST || '127.0.0.1', () => {
  console.log(`accounts-app listening on http://127.0.0.1:${server.address().port}`)
})

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)))
