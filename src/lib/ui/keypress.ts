/**
 * Waiting for one key press on a terminal, in raw mode, with the checks hux.anykey lacks: without a
 * TTY it returns at once (never reads stdin), end of input counts as "go on", and an AbortSignal
 * (Ctrl-C / SIGTERM handled by the caller) stops the wait. The terminal mode is always restored and
 * stdin paused again, so a waiting stdin never keeps the process alive afterwards.
 */
import type {EventEmitter} from 'node:events'

import {isTerminal} from './io.js'

/** `go`: any key or end of input; `quit`: q (or Ctrl-D); `interrupt`: Ctrl-C or the signal aborted. */
export type KeyAnswer = 'go' | 'interrupt' | 'quit'

/** The slice of stdin (the IO's, a tty.ReadStream on a terminal) that the wait uses; easy to fake in tests. */
export interface KeyInput extends EventEmitter {
  isRaw?: boolean
  isTTY?: boolean
  pause(): unknown
  resume(): unknown
  setRawMode?: (mode: boolean) => unknown
}

const CTRL_C = '\u0003'
const CTRL_D = '\u0004'

export function keyAnswer(chunk: Buffer | string): KeyAnswer {
  const text = chunk.toString()
  if (text.includes(CTRL_C)) return 'interrupt'
  const first = text.charAt(0)
  return first === 'q' || first === 'Q' || first === CTRL_D ? 'quit' : 'go'
}

export function waitForKey(input: KeyInput, signal?: AbortSignal): Promise<KeyAnswer> {
  if (!isTerminal(input) || typeof input.setRawMode !== 'function') return Promise.resolve('go')
  if (signal?.aborted) return Promise.resolve('interrupt')
  const setRawMode = input.setRawMode.bind(input)
  return new Promise<KeyAnswer>(resolve => {
    const wasRaw = Boolean(input.isRaw)
    const finish = (answer: KeyAnswer) => {
      input.off('data', onData)
      input.off('end', onEnd)
      signal?.removeEventListener('abort', onAbort)
      try {
        setRawMode(wasRaw)
      } catch {}

      input.pause()
      resolve(answer)
    }

    const onData = (chunk: Buffer | string) => finish(keyAnswer(chunk))
    const onEnd = () => finish('go')
    const onAbort = () => finish('interrupt')
    setRawMode(true)
    input.on('data', onData)
    input.on('end', onEnd)
    signal?.addEventListener('abort', onAbort, {once: true})
    input.resume()
  })
}
