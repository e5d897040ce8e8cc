/**
 * login/: the Salesforce login and consent page behind every OAuth `redirect_uri` AppLink hands out.
 * Pending logins, `--auto-approve`, completing a login into an emulated org (`oauth.ts`), and the
 * form with Allow / Deny (`routes.ts`).
 *
 * May import: `org/`, `http/`, `store/`. Modules are imported one by one, so this index exports
 * nothing.
 */
export {}
