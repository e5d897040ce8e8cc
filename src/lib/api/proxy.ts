/**
 * Proxies from the environment for the transport (`http.ts`): HTTPS_PROXY / HTTP_PROXY / ALL_PROXY
 * and NO_PROXY, in either case, read as proxy-from-env reads them. The agent libraries are imported
 * only when a proxy is set.
 */
import type {Agent} from 'node:http'

import {debugLog} from './debug.js'
import {redactUrl} from './redact.js'

const proxyAgents = new Map<string, Agent>()

/** The proxy for `url` per HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), as proxy-from-env reads them. */
export async function proxyFor(url: URL): Promise<string | undefined> {
  const hasProxyEnv = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'].some(k => process.env[k])
  if (!hasProxyEnv) return undefined
  const {getProxyForUrl} = await import('proxy-from-env')
  return getProxyForUrl(url.toString()) || undefined
}

/** The agent that sends `url` through its proxy (one per protocol and proxy), and the proxy as shown (no credentials). */
export async function proxyAgentFor(url: URL): Promise<{agent: Agent; proxy: string} | undefined> {
  const proxy = await proxyFor(url)
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

  const shown = redactUrl(proxy).replace(/\/$/, '')
  debugLog(`via proxy ${shown}`)
  return {agent, proxy: shown}
}
