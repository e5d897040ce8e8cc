/**
 * dashboard/: the page a developer opens at the emulator's origin. The HTML of apps, add-ons,
 * connections, authorizations, targets and publications (`page.ts`, with the orgs' section from
 * `org/dashboard.ts`), and its routes, `/` and the SSO landing `POST /sso/login` (`routes.ts`).
 *
 * May import: `applink/`, `platform/`, `org/`, `http/`, `store/`. Modules are imported one by one,
 * so this index exports nothing.
 */
export {}
