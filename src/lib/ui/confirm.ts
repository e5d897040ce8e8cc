/**
 * Confirmation before a destructive command (disconnect, remove). The user confirms by typing the
 * resource's name, either at a prompt (only on a terminal) or up front with `--confirm NAME`.
 * Without a terminal and without `--confirm`, or with a name that does not match, nothing is
 * deleted and the command exits with the invalid-input code.
 */
import {Flags} from './oclif.js'
import type {Readable, Writable} from 'node:stream'

import {type AppLinkError, invalidInput} from '../api/errors.js'
import {interruptedError, isPromptInterrupted} from './interrupt.js'
import type {IO} from './io.js'

export interface Confirmation {
  /** the value of `--confirm`, if given */
  confirm?: string
  /** the command line to run again with `--confirm`, e.g. `heroku salesforce:disconnect my_org -a my-app` */
  command: string
  /** true when a person can answer a prompt (the base command's `interactive`) */
  interactive: boolean
  /** the name the user must type */
  name: string
  /** what will happen, for messages: e.g. `disconnect Salesforce connection my_org from my-app` */
  action: string
}

/** Asks one question and returns the answer; injectable for tests. */
export type Ask = (message: string) => Promise<string>

/**
 * Checks `--confirm` and the terminal before anything is sent. Returns true when the user still has
 * to be asked (a terminal and no `--confirm`); throws when the command must stop.
 */
export function needsPrompt(c: Confirmation): boolean {
  if (c.confirm !== undefined) {
    if (c.confirm !== c.name) throw mismatch(c, c.confirm)
    return false
  }

  if (!c.interactive) {
    throw invalidInput('confirmation_required', `This would ${c.action}; confirm it with --confirm ${c.name}. Nothing was changed.`, [
      `Run again with: ${c.command} --confirm ${c.name}`,
    ])
  }

  return true
}

/** The real question on the command's terminal (stdin, drawn on stderr), the answer checked against `expected`. */
export function terminalAsk(io: IO, expected?: string): Ask {
  return message => askOnTerminal(message, {input: io.stdin as Readable, output: io.promptOutput as Writable}, expected)
}

/**
 * Asks the user to type the name (`ask`: `terminalAsk(io, c.name)`, or a fake in tests). Call only
 * after `needsPrompt` returned true. Ctrl-C at the prompt ends the command with exit code 130.
 */
export async function askToConfirm(c: Confirmation, ask: Ask): Promise<void> {
  let answer: string
  try {
    answer = await ask(`To ${c.action}, type ${c.name}:`)
  } catch (error) {
    if (isPromptInterrupted(error)) throw interruptedError('Interrupted: nothing was changed.')

    throw error
  }

  if (answer.trim() !== c.name) throw mismatch(c, answer.trim())
}

/** `needsPrompt`, then the prompt when needed: the whole confirmation in one call. */
export async function confirmDestructive(c: Confirmation, ask: Ask): Promise<void> {
  if (needsPrompt(c)) await askToConfirm(c, ask)
}

function mismatch(c: Confirmation, given: string): AppLinkError {
  return invalidInput('confirmation_mismatch', `Confirmation ${JSON.stringify(given)} did not match ${c.name}. Nothing was changed.`, [
    `To ${c.action}, run: ${c.command} --confirm ${c.name}`,
  ])
}

/**
 * The real prompt: @inquirer/prompts' `input`, drawn on stderr so stdout keeps only results. With
 * `expected`, the answered line is marked with a green check only when the answer matches it, and
 * with a red cross otherwise (inquirer's own mark is always a check).
 */
export async function askOnTerminal(message: string, streams: {input: Readable; output: Writable}, expected?: string): Promise<string> {
  const [{input}, {color}] = await Promise.all([import('@inquirer/prompts'), import('@heroku-cli/color')])
  let typed = ''
  // not a plain object, so inquirer's theme merge keeps it whole and reads `done` when it draws the answered line
  const prefix = new (class {
    idle = color.blue('?')
    get done(): string {
      return expected === undefined || typed.trim() === expected ? color.green('✔') : color.red('✖')
    }
  })()
  return input({
    message,
    theme: expected === undefined ? undefined : {prefix: prefix as unknown as Record<string, string>},
    validate(value: string) {
      typed = value
      return true
    },
  }, {input: streams.input, output: streams.output})
}

/** `-c/--confirm NAME`: the name typed up front, for scripts and CI. */
export function confirmFlag(what: string) {
  return Flags.string({char: 'c', description: `${what} to confirm with, skipping the prompt (required without a terminal)`, helpValue: '<name>'})
}
