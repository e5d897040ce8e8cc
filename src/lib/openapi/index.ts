/**
 * openapi/: checking an OpenAPI spec for AppLink without the CLI. Parsing with positions
 * (`parse.ts`), OpenAPI 3.0 structure (`structure.ts`), `$ref`s (`refs.ts`), AppLink's rules
 * (`rules.ts`), the whole check (`check.ts`), and the report's shapes and text (`types.ts`,
 * `format.ts`).
 *
 * May import: `api/errors.ts` and `src/contract/`. Modules are imported one by one, so this index
 * exports nothing.
 */
export {}
