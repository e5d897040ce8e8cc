/**
 * cli/: the command layer shared by every command. The base command (`base.ts`: shared flags,
 * `--json`, error rendering, the AppLink client for an app), the first-run checks
 * (`first-run.ts`), the one body shared by the OAuth commands (`oauth-command.ts`), by the JWT
 * commands (`jwt-command.ts`) and by the removal commands (`remove-command.ts`): their command files
 * only declare args, flags, help and kind; and the Data Cloud twin of a Salesforce command (`twin.ts`).
 *
 * May import: `api/`, `ui/`, `flows/`. Modules are imported one by one, so this index exports
 * nothing.
 */
export {}
