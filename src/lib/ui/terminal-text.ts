/**
 * Text from a server (AppLink, the Platform API, a proxy) can hold terminal control characters: an
 * escape sequence that rewrites the window title, clears the screen, draws an OSC 8 hyperlink with
 * a hidden target, or a `\r` / `\b` that overwrites what was printed before it. Everything written
 * for people goes through `forTerminal` first, which shows such characters as visible escapes
 * (`\x1b`, `\r`, `\u009b`) instead of sending them to the terminal. `--json` output is not touched:
 * JSON escapes them itself and keeps the data.
 */

/**
 * C0 controls except tab and newline, DEL, C1 controls (`\x9b` is a one-byte CSI to many terminals),
 * and the Unicode bidirectional overrides and isolates, which can make text display in another order.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g
// eslint-disable-next-line no-control-regex
const CONTROL_OR_NEWLINE = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g

const NAMED: Record<string, string> = {'\b': String.raw`\b`, '\n': String.raw`\n`, '\r': String.raw`\r`}

function visible(c: string): string {
  const named = NAMED[c]
  if (named) return named
  const code = c.codePointAt(0) as number
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/**
 * `text` with its control characters shown as escapes. Newlines are kept unless `oneLine` (a table
 * cell, a key/value, a status), where they are shown as `\n` too; tabs are always kept.
 */
export function forTerminal(text: string, options: {oneLine?: boolean} = {}): string {
  return text.replaceAll(options.oneLine ? CONTROL_OR_NEWLINE : CONTROL, visible)
}
