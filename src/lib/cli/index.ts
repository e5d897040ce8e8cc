/**
 * cli/: the command layer shared by every command. The base command (`base.ts`: shared flags,
 * `--json`, error rendering, the AppLink client for an app), the first-run checks
 * (`first-run.ts`), and the one body shared by the JWT commands (`jwt-command.ts`) and by the
 * removal commands (`remove-command.ts`): their command files only declare args, help and kind.
 *
 * May import: `api/`, `ui/`, `flows/`. Modules are imported one by one, so this index exports
 * nothing.
 */
export {}
