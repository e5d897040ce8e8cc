/**
 * The publish API's size limits, as the contract states them (docs/openapi-rules.md, "Size
 * limits"): the one definition that both sides use, the plugin's checks before an upload
 * (`src/lib/openapi/check.ts`, `src/lib/flows/publish.ts`) and the emulator's checks of an upload
 * (`src/emulator/applink/publish.ts`). Nothing here may import from `src/lib` or `src/emulator`.
 *
 * Sizes are decimal, as the limits are written: 1 MB = 1,000,000 bytes. A size equal to a limit is
 * accepted; one byte more is refused.
 */

export const MB = 1_000_000

export const PUBLISH_LIMITS = {
  /** a JSON spec, uncompressed */
  jsonBytes: 10 * MB,
  /** a YAML spec, uncompressed */
  yamlBytes: 3 * MB,
  /** everything in the metadata zip, uncompressed */
  zipBytes: 20 * MB,
  /** files in the metadata zip */
  zipFiles: 10,
} as const

/** The limit for a spec of `format`. */
export function specLimit(format: 'json' | 'yaml'): number {
  return format === 'json' ? PUBLISH_LIMITS.jsonBytes : PUBLISH_LIMITS.yamlBytes
}
