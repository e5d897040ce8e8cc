/** Library entry point for scripts: the typed AppLink client, add-on resolution and checks. */
export {resolveAppLink, chooseAddon, applinkServiceSlug, type AppLinkContext, type PlatformApi} from './lib/api/addon.js'
export {AppLinkClient, type AppLinkClientOptions} from './lib/api/applink-client.js'
export {AppLinkError, ExitCode} from './lib/api/errors.js'
export {nameProblem, assertValidName} from './lib/api/names.js'
export type * from './lib/api/types.js'
export {checkSpecFile, checkSpecText} from './lib/openapi/check.js'
export type {Diagnostic, SpecOperation, SpecReport} from './lib/openapi/types.js'
