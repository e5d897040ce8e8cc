/**
 * http/: the plumbing every service of the emulator stands on. The router, the handler context and
 * body limits (`router.ts`), the one set of reply helpers and `HttpError` (`reply.ts`), the state
 * handed to every handler (`state.ts`: store, origin, options, timers), request field checks, ids
 * and HTML escaping (`util.ts`), and fault injection with the request log (`faults.ts`).
 *
 * May import: `store/`. Modules are imported one by one, so this index exports nothing.
 */
export {}
