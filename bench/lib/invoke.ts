/**
 * The `invoke` group: `applink:invoke` from its start to the moment its request reaches the app.
 * The app is a tiny HTTP server on 127.0.0.1 that notes when each request arrives (on
 * performance.now()'s clock, the one the bench's child-process timing uses) and answers 200.
 */
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {performance} from 'node:perf_hooks'

import type {RunResult} from './measure.js'

export interface BenchApp {
  /** arrival times of the requests since the last take() */
  take(): number[]
  url: string
  close(): Promise<void>
}

export async function startBenchApp(): Promise<BenchApp> {
  let arrivals: number[] = []
  const server = createServer((req, res) => {
    // the request line and headers are in: that is when it reached the app
    arrivals.push(performance.now())
    req.resume()
    req.on('end', () => {
      res.writeHead(200, {'content-type': 'application/json'})
      res.end('{"hello":"bench"}')
    })
  })
  await new Promise<void>(resolve => {
    server.listen(0, '127.0.0.1', resolve)
  })
  const {port} = server.address() as AddressInfo
  return {
    close: () => new Promise(resolve => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
    take() {
      const out = arrivals
      arrivals = []
      return out
    },
    url: `http://127.0.0.1:${port}`,
  }
}

/** Seconds from each run's start to its request's arrival, or why a run could not be timed. */
export async function timeInvocations(app: BenchApp, runs: number, runOnce: () => Promise<RunResult>): Promise<{problem?: string; values: number[]}> {
  const values: number[] = []
  for (let i = 0; i < runs; i++) {
    app.take()
    const r = await runOnce()
    const [arrival] = app.take()
    if (r.code !== 0) return {problem: `exit ${r.code}: ${(r.stderr.trim() || r.stdout.trim()).split('\n')[0].slice(0, 160)}`, values}
    if (arrival === undefined) return {problem: 'no request reached the app', values}
    values.push((arrival - r.startAt) / 1000)
  }

  return {values}
}
