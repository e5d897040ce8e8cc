/**
 * login/: the Salesforce login and consent page behind every OAuth `redirect_uri` AppLink hands out.
 * Pending logins, `--auto-approve` (as the default admin user), completing a login into the emulated
 * org its user decides (`oauth.ts`, with `org/logins.ts`), and the form with the org or user to log
 * in as, and Allow / Deny (`routes.ts`).
 *
 * May import: `org/`, `http/`, `store/`. Modules are imported one by one, so this index exports
 * nothing.
 */
export {}
