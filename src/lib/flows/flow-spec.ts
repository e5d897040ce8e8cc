/**
 * What the flow runner (flow.ts) runs: the resource it waits for and the definition of a flow.
 * Types only, shared by the runner, its errors (flow-errors.ts) and the definitions
 * (flow-definitions.ts), so that none of them imports another to name them.
 */
import type {ApiError} from '../api/types.js'

/** What every waited-for resource has. */
export interface FlowResource {
  error?: ApiError
  redirect_uri?: string
  status: string
}

export interface FlowSpec<T extends FlowResource> {
  /** progress label, e.g. `Connecting Salesforce org my_org to my-app` */
  action: string
  /** how messages name the resource, e.g. `connection my_org` */
  subject: string
  /** prefix of our error ids: `connection` → `connection_failed` */
  kind: string
  /** how to look at the result later, e.g. `Check it with: heroku applink:connections:info …` */
  checkHint: string
  /** how to try again after a failure, when there is a command for it */
  retryHint?: string
  /** how to go on waiting after a timeout or an interrupt (running the command again picks the record up) */
  resumeHint?: string
  /** total time to poll for, once the browser step is over */
  timeoutMs: number
  create(): Promise<T>
  get(created: T): Promise<T>
  isPending(status: string): boolean
  isSuccess(status: string): boolean
  /** the OAuth browser step; absent for flows without a login */
  browser?: {
    /** `--browser NAME`, passed to `open` as the app name */
    app?: string
    /** the question shown on a terminal before opening */
    prompt: string
  }
}
