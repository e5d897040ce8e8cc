/**
 * flows/: what a command does, step by step. The OAuth/poll runner (`flow.ts`), with what a flow
 * is (`flow-spec.ts`), its flow definitions and shared flags (`flow-definitions.ts`), its terminal/clock/browser seam
 * (`flow-io.ts`), its poll schedule and timeouts (`flow-timing.ts`) and its errors
 * (`flow-errors.ts`); JWT connections and authorizations (`jwt.ts`), removal (`remove.ts`), recovery
 * from conflicts and failed polls (`records.ts`, `recover.ts`), lookups by name (`lookup.ts`),
 * publishing (`publish.ts` checks and zips, `publish-upload.ts` sends; `publications.ts`).
 *
 * May import: `api/`, `ui/`, `openapi/`. Modules are imported one by one, so this index exports
 * nothing.
 */
export {}
