/**
 * store/: what the emulator keeps between runs. The shapes of everything it stores (`records.ts`:
 * apps, add-ons, attachments, connections, authorizations, publications, data action targets, the
 * orgs' data), the JSON store with atomic writes, versions and migrations (`store.ts`), and the
 * lock that keeps a second emulator off a data directory (`lock.ts`).
 *
 * May import: nothing else of the emulator, but the type of an org's data (`org/types.ts`, `import
 * type`). Modules are imported one by one, so this index exports nothing.
 */
export {}
