/**
 * api/: talking to the services. The transport (`http.ts`: one exchange, whole-request timeout),
 * proxies from the environment (`proxy.ts`), debug traces and the guards that keep secrets out of
 * them (`debug.ts`, written where `trace.ts` says: the command's IO), the one retry policy (`retry.ts`), response decoding (`decode.ts`) and the
 * AppLink client (`applink-client.ts`, the only place that builds AppLink URLs), Platform API access
 * (`platform.ts` the fast client, `platform-resilience.ts` timeouts, retries and errors around
 * either client, `addon.ts` add-on resolution), the error type (`errors.ts`), resource shapes
 * (`types.ts`), JSON depth limits (`json-depth.ts`), the name rules the API enforces (`names.ts`),
 * the registry of secrets to mask (`redact.ts`), and the running CLI's own copies of packages
 * (`host-package.ts`; `heroku-command.ts`, the one way to `@heroku-cli/command`).
 *
 * May import: `src/contract/` only. Modules are imported one by one (a command loads only what it
 * uses), so this index exports nothing.
 */
export {}
