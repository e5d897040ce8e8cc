/**
 * logs/: what `heroku logs` reads. Per app, the latest 1,500 lines in memory with their event ids
 * and the log sessions handed out (`book.ts`); the line shape, its time format and the checks of
 * posted lines (`lines.ts`); the routes: `POST /apps/{app}/log-sessions`, the Server-Sent Events
 * stream at the session's `logplex_url`, and the emulator-only ingestion route
 * `POST /__emulator/apps/{app}/log-lines` (`routes.ts`); and the lines the emulator writes itself
 * after each request, the AppLink API's request log of an app's add-on and its releases
 * (`observe.ts`, called by `server/`).
 *
 * May import: `platform/` (the API key check, apps), `http/`, `store/`. Only `server/` imports it.
 * Modules are imported one by one, so this index exports nothing.
 */
export {}
