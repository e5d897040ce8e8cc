/**
 * process/: how the emulator runs as a program. The foreground run of `applink:emulator` (`cli.ts`:
 * log lines, notes, the export lines, Ctrl-C / SIGTERM), `--detach` and `--stop` (`detach.ts`), and
 * the background process they start (`daemon.ts`).
 *
 * May import: `server/`, `store/`. `src/commands/applink/emulator/` (its commands) import it. This index exports
 * nothing.
 */
export {}
