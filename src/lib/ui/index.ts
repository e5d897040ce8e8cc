/**
 * ui/: everything the user sees or types. The one IO object (`io.ts`: the streams, whether they
 * are terminals, CI, spinner, table width; made once per command, the only module that touches
 * `process.stdout`/`stderr`), human output (`output.ts`), progress and spinners
 * (`progress.ts`), prompts and key waits (`confirm.ts`, `keypress.ts`), the browser (`browser.ts`),
 * terminal-safe text (`terminal-text.ts`), Ctrl-C and SIGTERM (`interrupt.ts`), and the commands we
 * suggest next, with `-a APP` and `--addon` when needed (`hints.ts`).
 *
 * May import: `api/`. Modules are imported one by one, so this index exports nothing.
 */
export {}
