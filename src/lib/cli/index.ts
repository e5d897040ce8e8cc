/**
 * cli/: the command layer shared by every command. The base command (`base.ts`: shared flags,
 * `--json`, error rendering, the AppLink client for an app) and the first-run checks
 * (`first-run.ts`).
 *
 * May import: `api/`, `ui/`, `flows/`. Modules are imported one by one, so this index exports
 * nothing.
 */
export {}
