/**
 * api/: talking to the services. The transport (`http.ts`: timeouts, proxies, redacted debug
 * traces, written where `trace.ts` says: the command's IO), the one retry policy (`retry.ts`), response decoding and the AppLink client
 * (`applink-client.ts`, the only place that builds AppLink URLs), Platform API access (`platform.ts`,
 * `addon.ts`), the error type (`errors.ts`), resource shapes (`types.ts`), the name rules the API
 * enforces (`names.ts`) and the registry of secrets to mask (`redact.ts`).
 *
 * May import: `src/contract/` only. Modules are imported one by one (a command loads only what it
 * uses), so this index exports nothing.
 */
export {}
