/**
 * openapi/: checking an OpenAPI spec for AppLink without the CLI. Parsing with positions
 * (`parse.ts`, which hands JSON to `parse-json.ts` and YAML to `parse-yaml.ts`; what they share,
 * pointers, positions and limits, is in `position.ts`), OpenAPI 3.0 structure (`structure.ts`),
 * `$ref`s (`refs.ts`), AppLink's rules (`rules.ts`, the `x-sfdc` extensions in `sfdc.ts`), what
 * these checks share (`common.ts`: a problem before its position is known, the plain-object test), the
 * whole check (`check.ts`), and the report's shapes and text (`types.ts`, `format.ts`).
 *
 * May import: `api/errors.ts` and `src/contract/`. Modules are imported one by one, so this index
 * exports nothing.
 */
export {}
