/**
 * invoke/: `applink:invoke`, calling an app the way Salesforce does. The operation from the spec
 * and JSON pointers into it (`spec.ts`), the request and its Salesforce headers (`request.ts`),
 * schema checks (`schema.ts`), sending it and checking the answer (`invoke.ts`), and its output
 * (`output.ts`). Also `applink:events:trigger`, calling an app the way Data Cloud does: a signed
 * data action event from the emulator, delivered and shown (`events.ts`).
 *
 * May import: `api/`, `ui/`, `openapi/`. Modules are imported one by one, so this index exports
 * nothing.
 */
export {}
