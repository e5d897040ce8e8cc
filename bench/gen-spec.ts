/**
 * Generates a large, valid OpenAPI 3.0 spec for benchmarks: `operations` operations (GET + POST
 * pairs), every tenth POST an Agentforce action, padded with schema properties until the text is
 * about `targetBytes` long. Deterministic: the same options give the same bytes.
 *
 *   npx tsx bench/gen-spec.ts --format yaml --operations 2000 --size 3000000 --out /tmp/big.yaml
 *   npx tsx bench/gen-spec.ts --format json --operations 2000 --size 10000000 --out /tmp/big.json
 *
 * As a module: `import {generateSpec} from './gen-spec.js'` → the spec text.
 */
import {writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

export interface GenOptions {
  format: 'json' | 'yaml'
  /** number of operations (rounded up to an even number: one GET and one POST per path) */
  operations: number
  /** approximate size of the text in bytes; the result stays at or below it when possible */
  targetBytes: number
}

type Json = Json[] | boolean | number | string | {[key: string]: Json}

function properties(prefix: string, count: number, side: 'request' | 'response', agent: boolean): Record<string, Json> {
  const out: Record<string, Json> = {}
  for (let i = 0; i < count; i++) {
    const prop: Record<string, Json> = {
      description: `The ${prefix} field number ${i}, kept for reporting and reconciliation.`,
      example: `${prefix}-${i}`,
      maxLength: 255,
      type: 'string',
    }
    if (agent) prop['x-sfdc'] = {agent: {action: side === 'request' ? {isUserInput: true} : {isDisplayable: true}}}
    out[`${prefix}Field${i}`] = prop
  }

  return out
}

function pathItem(i: number, pad: number): Record<string, Json> {
  const agent = i % 10 === 0
  const post: Record<string, Json> = {
    description: `Creates an item in collection ${i}. Use it when a customer asks to add an entry to collection ${i}.`,
    operationId: `createItem${i}`,
    requestBody: {
      content: {'application/json': {schema: {properties: properties(`in${i}`, pad, 'request', agent), required: [`in${i}Field0`], type: 'object'}}},
      required: true,
    },
    responses: {
      201: {
        content: {'application/json': {schema: {properties: properties(`out${i}`, pad, 'response', agent), type: 'object'}}},
        description: 'The created item',
      },
      400: {$ref: '#/components/responses/BadRequest'},
    },
    summary: `Create an item in collection ${i}`,
  }
  if (agent) post['x-sfdc'] = {agent: {action: {publishAsAgentAction: true}}}
  return {
    get: {
      description: `Returns one item of collection ${i} by its id.`,
      operationId: `getItem${i}`,
      responses: {
        200: {content: {'application/json': {schema: {$ref: '#/components/schemas/Item'}}}, description: 'The item'},
        404: {$ref: '#/components/responses/NotFound'},
      },
      summary: `Get an item of collection ${i}`,
    },
    parameters: [{description: 'The item id', in: 'path', name: 'itemId', required: true, schema: {type: 'string'}}],
    post,
  }
}

/** `extra` pairs get one more padding property each, to come close to the target size. */
function buildSpec(pairs: number, pad: number, extra = 0): Record<string, Json> {
  const paths: Record<string, Json> = {}
  for (let i = 0; i < pairs; i++) paths[`/v1/collections${i}/items/{itemId}`] = pathItem(i, i < extra ? pad + 1 : pad)
  return {
    components: {
      responses: {
        BadRequest: {content: {'application/json': {schema: {$ref: '#/components/schemas/Error'}}}, description: 'Invalid input'},
        NotFound: {content: {'application/json': {schema: {$ref: '#/components/schemas/Error'}}}, description: 'Not found'},
      },
      schemas: {
        Error: {properties: {id: {type: 'string'}, message: {type: 'string'}}, type: 'object'},
        Item: {properties: {id: {type: 'string'}, name: {type: 'string'}}, type: 'object'},
      },
    },
    info: {description: 'A generated API for benchmarks.', title: 'Generated API', version: '1.0.0'},
    openapi: '3.0.3',
    paths,
    servers: [{url: 'https://generated-app.herokuapp.com'}],
    'x-sfdc': {
      agent: {
        topic: {
          classificationDescription: 'Handles requests about generated collections and their items.',
          instructions: ['Ask for the collection before creating an item.', 'Confirm the item before saving it.'],
          name: 'generated_collections',
          scope: 'Your job is to manage items of the generated collections.',
        },
      },
    },
  }
}

const PLAIN = /^[A-Za-z][\w .,'()-]*$/
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i

function yamlScalar(v: boolean | number | string): string {
  if (typeof v !== 'string') return String(v)
  return PLAIN.test(v) && !RESERVED.test(v) && !v.endsWith(' ') && !v.includes(': ') && !v.includes(' #') ? v : JSON.stringify(v)
}

function yamlKey(k: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(k) && !RESERVED.test(k) ? k : JSON.stringify(k)
}

/** A small block-style YAML emitter (strings that need it are double-quoted JSON strings, valid YAML). */
function toYaml(value: Json, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item && typeof item === 'object' && !Array.isArray(item)) {
        const entries = Object.entries(item)
        const [k0, v0] = entries[0]
        pushEntry(`${indent}- `, `${indent}  `, k0, v0, out)
        for (const [k, v] of entries.slice(1)) pushEntry(`${indent}  `, `${indent}  `, k, v, out)
      } else {
        out.push(`${indent}- ${yamlScalar(item as string)}`)
      }
    }

    return
  }

  for (const [k, v] of Object.entries(value as Record<string, Json>)) pushEntry(indent, indent, k, v, out)
}

function pushEntry(lead: string, indent: string, k: string, v: Json, out: string[]): void {
  if (v && typeof v === 'object') {
    out.push(`${lead}${yamlKey(k)}:`)
    toYaml(v, `${indent}  `, out)
  } else {
    out.push(`${lead}${yamlKey(k)}: ${yamlScalar(v)}`)
  }
}

function render(spec: Record<string, Json>, format: 'json' | 'yaml'): string {
  if (format === 'json') return JSON.stringify(spec, null, 2) + '\n'
  const lines: string[] = []
  toYaml(spec, '', lines)
  return lines.join('\n') + '\n'
}

export function generateSpec(options: GenOptions): string {
  const pairs = Math.max(1, Math.ceil(options.operations / 2))
  // measure a small spec to estimate bytes per padding property, then size the padding
  const sample = 10
  const bytesAt = (pad: number) => Buffer.byteLength(render(buildSpec(sample, pad), options.format))
  const base = bytesAt(0)
  const perProp = (bytesAt(4) - base) / (sample * 2 * 4)
  const perPair = base / sample
  let pad = Math.max(0, Math.floor((options.targetBytes / pairs - perPair) / (2 * perProp)))
  let text = render(buildSpec(pairs, pad), options.format)
  while (pad > 0 && Buffer.byteLength(text) > options.targetBytes) {
    pad--
    text = render(buildSpec(pairs, pad), options.format)
  }

  // then give some pairs one more property, to end just under the target
  const size = Buffer.byteLength(text)
  const step = (Buffer.byteLength(render(buildSpec(pairs, pad, pairs), options.format)) - size) / pairs
  let extra = Math.min(pairs, Math.floor((options.targetBytes - size) / step))
  while (extra > 0) {
    const candidate = render(buildSpec(pairs, pad, extra), options.format)
    if (Buffer.byteLength(candidate) <= options.targetBytes) return candidate
    extra = Math.floor(extra * 0.98) - 1
  }

  return text
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`)
    return i === -1 ? fallback : process.argv[i + 1]
  }

  const format = arg('format', 'yaml') === 'json' ? 'json' : 'yaml'
  const text = generateSpec({
    format,
    operations: Number(arg('operations', '2000')),
    targetBytes: Number(arg('size', format === 'json' ? '10000000' : '3000000')),
  })
  const out = arg('out', '')
  if (out) writeFileSync(out, text)
  else process.stdout.write(text)
  process.stderr.write(`${format}: ${Buffer.byteLength(text)} bytes\n`)
}
