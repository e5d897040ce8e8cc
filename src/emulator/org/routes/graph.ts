/**
 * `POST /services/data/vNN.N/composite/graph`: each graph is all or nothing. Its nodes run in
 * order; a node refers to an earlier one's result as `@{referenceId.field}`. When a node fails the
 * org is put back as it was before the graph, the failing node keeps its own error and every other
 * node answers 400 PROCESSING_HALTED. At most 500 nodes per graph.
 */
import {sendSalesforce} from '../../http/reply.js'
import {SfError} from '../errors.js'
import {apiVersion, jsonBody, type OrgCtx, orgSession, type RouteTable, sfHandler} from '../http.js'
import {type OpResult, sobjectRequest} from '../operations.js'
import type {OrgData} from '../types.js'

export const MAX_GRAPH_NODES = 500

const HALTED = [{errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.'}]

interface GraphNode {
  body: unknown
  method: string
  referenceId: string
  url: string
}

function badInput(message: string): SfError {
  return new SfError(400, 'INVALID_INPUT', message)
}

function parseGraphs(body: unknown): Array<{graphId: string; nodes: GraphNode[]}> {
  const graphs = body && typeof body === 'object' && !Array.isArray(body) ? (body as {graphs?: unknown}).graphs : undefined
  if (!Array.isArray(graphs) || graphs.length === 0) throw badInput('The request body must be {"graphs": [{"graphId": "...", "compositeRequest": [...]}]}.')
  return graphs.map((g, gi) => {
    const graph = g as {compositeRequest?: unknown; graphId?: unknown}
    if (!graph || typeof graph !== 'object' || typeof graph.graphId !== 'string' || !Array.isArray(graph.compositeRequest)) {
      throw badInput(`graphs[${gi}] must have a string graphId and a compositeRequest list.`)
    }

    if (graph.compositeRequest.length > MAX_GRAPH_NODES) throw new SfError(400, 'LIMIT_EXCEEDED', `A graph can have at most ${MAX_GRAPH_NODES} nodes; ${graph.graphId} has ${graph.compositeRequest.length}.`)
    const seen = new Set<string>()
    const nodes = graph.compositeRequest.map((n, ni) => {
      const node = n as Partial<GraphNode>
      if (!node || typeof node !== 'object' || typeof node.referenceId !== 'string' || typeof node.method !== 'string' || typeof node.url !== 'string') {
        throw badInput(`graphs[${gi}].compositeRequest[${ni}] needs string referenceId, method and url.`)
      }

      if (seen.has(node.referenceId)) throw badInput(`The referenceId ${node.referenceId} is used twice in ${graph.graphId}.`)
      seen.add(node.referenceId)
      return {body: node.body, method: node.method, referenceId: node.referenceId, url: node.url}
    })
    return {graphId: graph.graphId, nodes}
  })
}

const REFERENCE = /@\{([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\}/g

function resolve(value: unknown, results: Map<string, OpResult>): unknown {
  if (typeof value === 'string') {
    return value.replaceAll(REFERENCE, (_m, ref: string, field: string) => {
      const body = results.get(ref)?.body as Record<string, unknown> | undefined
      const found = body && Object.hasOwn(body, field) ? body[field] : undefined
      if (found === undefined) throw badInput(`Invalid reference specified. No value for ${ref}.${field} found in ${ref}. Provided referenceId ${ref} must be an earlier node of this graph.`)
      return String(found)
    })
  }

  if (Array.isArray(value)) return value.map(v => resolve(v, results))
  if (value && typeof value === 'object') {
    // a null-prototype object, so that a "__proto__" field stays a field (and is refused as unknown)
    const out: Record<string, unknown> = Object.create(null)
    for (const key of Object.keys(value)) out[key] = resolve((value as Record<string, unknown>)[key], results)
    return out
  }

  return value
}

type Snapshot = Pick<OrgData, 'custom_fields' | 'custom_objects' | 'deleted' | 'objects'>

function snapshot(org: OrgData): Snapshot {
  return structuredClone({custom_fields: org.custom_fields, custom_objects: org.custom_objects, deleted: org.deleted, objects: org.objects})
}

function runGraph(org: OrgData, userId: string, nodes: GraphNode[], invent: boolean): {isSuccessful: boolean; responses: Record<string, unknown>[]} {
  const before = snapshot(org)
  const results = new Map<string, OpResult>()
  for (const [i, node] of nodes.entries()) {
    try {
      const url = resolve(node.url, results) as string
      const result = sobjectRequest(org, userId, node.method, url, resolve(node.body, results), invent)
      results.set(node.referenceId, result)
    } catch (error) {
      if (!(error instanceof SfError)) throw error
      Object.assign(org, before)
      const responses = nodes.map((n, j) => (j === i
        ? {body: error.body(), httpHeaders: {}, httpStatusCode: error.status, referenceId: n.referenceId}
        : {body: HALTED, httpHeaders: {}, httpStatusCode: 400, referenceId: n.referenceId}))
      return {isSuccessful: false, responses}
    }
  }

  const responses = nodes.map(n => {
    const r = results.get(n.referenceId)!
    const headers: Record<string, string> = {}
    const id = (r.body as {id?: string} | undefined)?.id
    if (r.status === 201 && id) headers.Location = `${n.url.replace(/\/$/, '')}/${id}`
    return {body: r.body ?? null, httpHeaders: headers, httpStatusCode: r.status, referenceId: n.referenceId}
  })
  return {isSuccessful: true, responses}
}

async function graph(ctx: OrgCtx): Promise<void> {
  apiVersion(ctx.params.version)
  const {org, session} = orgSession(ctx)
  const graphs = parseGraphs(await jsonBody(ctx))
  const out = graphs.map(g => {
    const {isSuccessful, responses} = runGraph(org, session.user_id, g.nodes, Boolean(ctx.emu.options.inventFields))
    return {graphId: g.graphId, graphResponse: {compositeResponse: responses}, isSuccessful}
  })
  await ctx.emu.store.flush()
  sendSalesforce(ctx.res, 200, {graphs: out})
}

export function registerGraphRoutes(router: RouteTable): void {
  router.add('POST', '/services/data/:version/composite/graph', sfHandler(graph))
}
