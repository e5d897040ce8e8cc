/**
 * One HTTP exchange over node:http/https: a whole-request timeout, proxies from the environment
 * (HTTPS_PROXY / HTTP_PROXY / NO_PROXY), and redacted debug traces. Retry policy lives in the
 * AppLink client, which knows which requests are safe to resend.
 */
import type {Agent, IncomingHttpHeaders} from 'node:http'

import {maskKnownSecrets, redactBody, redactHeaders, redactUrl} from './redact.js'

export interface HttpRequest {
  body?: Buffer | string
  headers: Record<string, string>
  method: 'DELETE' | 'GET' | 'PATCH' | 'POST' | 'PUT'
  /** whole exchange, from connect to the last body byte */
  timeoutMs: number
  url: URL
}

export interface HttpResponse {
  body: Buffer
  headers: IncomingHttpHeaders
  status: number
}

/** A failure before a complete response arrived. `sent` tells whether the request may have reached the server. */
export class NetworkError extends Error {
  readonly code: string
  readonly host: string
  readonly sent: boolean

  constructor(message: string, code: string, host: string, sent: boolean) {
    super(message)
    this.name = 'NetworkError'
    this.code = code
    this.host = host
    this.sent = sent
  }
}

/** Default per-request timeout; `--http-timeout`-style overrides come from APPLINK_HTTP_TIMEOUT (seconds). */
export function defaultTimeoutMs(): number {
  const fromEnv = Number(process.env.APPLINK_HTTP_TIMEOUT)
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv * 1000 : 30_000
}

export function debugEnabled(): boolean {
  const d = process.env.DEBUG ?? ''
  return process.env.HEROKU_DEBUG === '1' || process.env.HEROKU_DEBUG === 'true' || d === '*' || /(^|,)\s*applink/.test(d)
}

export function debugLog(line: string): void {
  if (debugEnabled()) process.stderr.write(`applink ${maskKnownSecrets(line)}\n`)
}

const proxyAgents = new Map<string, Agent>()

async function proxyAgentFor(url: URL): Promise<Agent | undefined> {
  const hasProxyEnv = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some(k => process.env[k])
  if (!hasProxyEnv) return undefined
  const {getProxyForUrl} = await import('proxy-from-env')
  const proxy = getProxyForUrl(url.toString())
  if (!proxy) return undefined
  const key = `${url.protocol}${proxy}`
  let agent = proxyAgents.get(key)
  if (!agent) {
    if (url.protocol === 'https:') {
      const {HttpsProxyAgent} = await import('https-proxy-agent')
      agent = new HttpsProxyAgent(proxy)
    } else {
      const {HttpProxyAgent} = await import('http-proxy-agent')
      agent = new HttpProxyAgent(proxy)
    }

    proxyAgents.set(key, agent)
  }

  return agent
}

export async function send(req: HttpRequest): Promise<HttpResponse> {
  const {url} = req
  const mod = url.protocol === 'https:' ? await import('node:https') : await import('node:http')
  const agent = await proxyAgentFor(url)
  const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body
  const headers: Record<string, string> = {...req.headers}
  if (body) headers['content-length'] = String(body.length)

  debugLog(`--> ${req.method} ${redactUrl(url.toString())} ${JSON.stringify(redactHeaders(headers))}`)
  if (body && debugEnabled()) {
    const type = headers['content-type'] ?? ''
    debugLog(`--> body ${type.startsWith('application/json') ? redactBody(body.toString('utf8')) : `(${body.length} bytes of ${type || 'data'})`}`)
  }

  const started = Date.now()
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false
    const fail = (err: NetworkError) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      debugLog(`<-- ${req.method} ${url.pathname} failed: ${err.code} after ${Date.now() - started} ms`)
      reject(err)
    }

    const request = mod.request(url, {agent, headers, method: req.method}, res => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('error', e => fail(new NetworkError(`connection to ${url.host} broke while reading the response (${(e as NodeJS.ErrnoException).code ?? e.message})`, (e as NodeJS.ErrnoException).code ?? 'ERESPONSE', url.host, true)))
      res.on('aborted', () => fail(new NetworkError(`connection to ${url.host} closed before the response was complete`, 'ECONNRESET', url.host, true)))
      res.on('end', () => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        const responseBody = Buffer.concat(chunks)
        debugLog(`<-- ${res.statusCode} ${req.method} ${url.pathname} (${Date.now() - started} ms) ${JSON.stringify(redactHeaders(res.headers as Record<string, unknown>))}`)
        if (debugEnabled() && responseBody.length > 0) debugLog(`<-- body ${redactBody(responseBody.toString('utf8')).slice(0, 4000)}`)
        resolve({body: responseBody, headers: res.headers, status: res.statusCode ?? 0})
      })
    })
    const timer = setTimeout(() => {
      fail(new NetworkError(`no response from ${url.host} within ${Math.round(req.timeoutMs / 1000)} s`, 'ETIMEDOUT', url.host, true))
      request.destroy()
    }, req.timeoutMs)
    request.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? 'ENETWORK'
      const what = code === 'ECONNREFUSED' ? 'refused the connection'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'could not be resolved'
          : code === 'ECONNRESET' ? 'reset the connection'
            : `failed (${code})`
      // refused or unresolvable: the request never reached the server, so it is safe to say nothing happened
      const sent = !['EAI_AGAIN', 'ECONNREFUSED', 'ENOTFOUND'].includes(code)
      fail(new NetworkError(`${url.host} ${what}`, code, url.host, sent))
    })
    request.end(body)
  })
}
