/**
 * platform/: the Heroku Platform API that AppLink work needs. Account, apps, config vars and
 * releases (`routes.ts`), add-ons, attachments, SSO and the service catalogue (`addon-routes.ts`),
 * what those routes do (`apps.ts`: API key check, plans, attachment names, resolvers), and the
 * lookups and JSON shapes the AppLink side reads too (`model.ts`).
 *
 * May import: `http/`, `store/`. Modules are imported one by one, so this index exports nothing.
 */
export {}
