/**
 * mesh/: `applink:mesh`, the AppLink service mesh run on a laptop in front of the app, as the
 * buildpack runs it on a dyno (docs/mesh.md). Its configuration (`config.ts`: the YAML file, the
 * ports, the environment), its log lines (`log.ts`) and their copy to the emulator's log store
 * (`log-store.ts`), the checks of each request (`validate.ts`), the calls to the AppLink API that
 * authenticate it (`authenticate.ts`), the proxy in front of the app (`proxy.ts`), the app's
 * process, its group and the watchdog that outlives a killed mesh (`app-process.ts`), and the run
 * that ties them together (`run.ts`).
 *
 * May import: `api/`, `ui/`. Modules are imported one by one, so this index exports nothing.
 */
export {}
