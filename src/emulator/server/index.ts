/**
 * server/: the emulator as one HTTP server. `startEmulator` (`server.ts`) opens the store, registers
 * every service's routes, checks the Host header, answers errors as JSON, writes each request's
 * lines into the apps' logs (`logs/observe.ts`), answers the health route `/__emulator/health`,
 * listens on 127.0.0.1 and closes.
 *
 * May import: every service folder (`dashboard/`, `applink/`, `login/`, `logs/`, `platform/`, `org/`) and
 * `http/`, `store/`. Only `process/` imports it. This index exports nothing.
 */
export {}
