/** Library entry point for scripts: the typed AppLink client, add-on resolution and checks. */
export {resolveAppLink, chooseAddon, applinkServiceSlug, type AppLinkContext, type PlatformApi} from './lib/addon.js'
export {AppLinkClient, type AppLinkClientOptions} from './lib/applink-client.js'
export {AppLinkError, ExitCode} from './lib/errors.js'
export {nameProblem, assertValidName} from './lib/names.js'
export type * from './lib/types.js'
export {checkSpecFile, checkSpecText} from './lib/openapi/check.js'
export type {Diagnostic, SpecOperation, SpecReport} from './lib/openapi/types.js'
