/**
 * The real `heroku` CLI with this plugin linked from its compiled, packed files (see
 * scripts/lib/heroku-env.mjs). One throwaway HOME per test process, shared by every integration
 * and end-to-end test file it runs, and removed when the process exits. Under `npm test` every
 * process uses the one plugin folder staged before mocha starts (APPLINK_TEST_STAGE), with a copy
 * of the HOME it is linked into; a file run alone stages its own.
 */
import {expect} from 'chai'

import {type CliResult, processStage, type RunOptions, runHeroku, type Stage, startHeroku} from '../../../scripts/lib/heroku-env.mjs'

export type {CliHandle, CliResult, Stage} from '../../../scripts/lib/heroku-env.mjs'

let staged: Promise<Stage> | undefined

/** This process's stage, made on first use (a few seconds when the plugin is staged here). */
export function sharedStage(): Promise<Stage> {
  staged ??= processStage()
  return staged
}

/** Runs `heroku ...args` to completion without a TTY; a run past `timeoutMs` is killed and fails the test. */
export async function heroku(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return runHeroku(await sharedStage(), args, {timeoutMs: 30_000, ...options})
}

/** Starts `heroku ...args` in the background (no TTY); stop it with `handle.stop()`. */
export async function herokuInBackground(args: string[], options: RunOptions = {}) {
  return startHeroku(await sharedStage(), args, options)
}

/** Asserts that none of `secrets` appears in the text (names the secret by its first characters). */
export function expectNoSecrets(text: string, secrets: string[]): void {
  for (const secret of secrets) expect(text.includes(secret), `secret ${secret.slice(0, 8)}… leaked into output`).to.equal(false)
}

/** A readable failure message: the command's exit code with what it printed. */
export function explain(r: CliResult): string {
  return `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`
}
