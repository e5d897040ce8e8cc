/**
 * Where debug traces go (APPLINK_DEBUG, HEROKU_DEBUG, DEBUG=applink…): the command's IO, which the
 * base command sets here when it starts (src/lib/cli/base.ts). Until then traces are dropped; the
 * api/ folder imports nothing from ui/, so the writer is handed in rather than looked up.
 */
let writer: ((text: string) => void) | undefined

export function setTraceWriter(write: ((text: string) => void) | undefined): void {
  writer = write
}

/** Writes `text` (already redacted by the caller) where traces go. */
export function writeTrace(text: string): void {
  writer?.(text)
}
