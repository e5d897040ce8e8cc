/** Types of heroku-env.mjs, for the TypeScript tests that import it. */
import type {ChildProcess} from 'node:child_process'

export const repoRoot: string
export const DEFAULT_TIMEOUT_MS: number

export interface Stage {
  /** the heroku CLI's entry script */
  bin: string
  /** working directory of every run (not a git repository) */
  cwd: string
  /** the CLI's environment: throwaway HOME/XDG, quiet switches, none of the caller's Heroku variables */
  env: Record<string, string | undefined>
  home: string
  /** the plugin's package name */
  name: string
  /** the Node binary that runs `heroku` (APPLINK_TEST_NODE, else this process's) */
  node: string
  pluginDir: string
  root: string
  version: string
  cleanup(): void
}

export interface StageOptions {
  build?: 'auto' | 'private' | 'repo'
  log?: (line: string) => void
  repo?: string
  tmpRoot?: string
}

export interface CliResult {
  code: number
  signal: NodeJS.Signals | null
  stderr: string
  stdout: string
}

export interface RunOptions {
  cwd?: string
  /** copy the child's output to this process's stderr as it comes */
  echo?: boolean
  /** added to the stage's environment; undefined removes a variable */
  env?: Record<string, string | undefined>
  timeoutMs?: number
}

export interface CliHandle {
  args: string[]
  child: ChildProcess
  done: Promise<CliResult>
  readonly stderr: string
  readonly stdout: string
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<CliResult>
  waitFor(re: RegExp, options?: {stream?: 'stderr' | 'stdout'; timeoutMs?: number}): Promise<RegExpExecArray>
}

export interface Emulator {
  env: {HEROKU_API_KEY?: string; HEROKU_HOST: string}
  handle: CliHandle
  stop(): Promise<CliResult>
  url: string
}

export const SHARED_STAGE_ENV: string
export function cliNode(): string
export function herokuBin(repo?: string): string
export function stripAnsi(text: string): string
export function stopAllHeroku(signal?: NodeJS.Signals): Promise<void>
export function packedFiles(repo?: string): string[]
export function cliEnv(home: string, extra?: Record<string, string | undefined>): Record<string, string | undefined>
export function stagePlugin(options?: StageOptions): Promise<Stage>
export function processStage(options?: StageOptions): Promise<Stage>
export function startHeroku(stage: Stage, args: string[], options?: RunOptions): CliHandle
export function runHeroku(stage: Stage, args: string[], options?: RunOptions): Promise<CliResult>
export function startEmulator(stage: Stage, options?: {autoApprove?: boolean; dataDir?: string; echo?: boolean; port?: number; reset?: boolean; timeoutMs?: number; verbose?: boolean}): Promise<Emulator>
