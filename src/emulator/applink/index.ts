/**
 * applink/: the AppLink API, as the wire contract (docs/applink-api.md) describes it. Its routes
 * (`routes.ts`), the caller check (`caller.ts`: add-on token, `x-app-uuid`, `x-addon-sso`),
 * connections and authorizations (`links.ts`), data action targets (`targets.ts`) and their signed
 * events (`events.ts`: the signing key, the mesh's check, the emulated Data Cloud), publishing
 * (`publish.ts`: multipart, zip and the spec check), the JSON shapes and lookups (`resources.ts`), and
 * the contract's name rules (`names.ts`).
 *
 * May import: `login/`, `platform/`, `org/`, `http/`, `store/`, and from outside the emulator
 * `src/contract/` and `src/lib/openapi/`. Modules are imported one by one, so this index exports
 * nothing.
 */
export {}
