import js from '@eslint/js'
import tseslint from 'typescript-eslint'

// Which folders of src/lib (and the emulator) may import which: docs/ARCHITECTURE.md draws it.
// Each entry names the folders a file in that folder must not import, statically or with import().
const libFolders = ['api', 'ui', 'flows', 'cli', 'openapi', 'invoke', 'mesh']
const mayImport = {
  api: [],
  ui: ['api'],
  openapi: ['api'],
  flows: ['api', 'ui', 'openapi'],
  invoke: ['api', 'ui', 'openapi'],
  mesh: ['api', 'ui'],
  cli: ['api', 'ui', 'flows'],
}
// One IO object (src/lib/ui/io.ts) owns the streams: nothing else in src/commands or src/lib
// writes to process.stdout / process.stderr, reads process.stdin or asks whether a stream is a TTY.
const ioMessage = 'use the command\'s IO (this.io, or an `io: IO` parameter; src/lib/ui/io.ts) instead of the process streams'
const ioRules = [
  {selector: "MemberExpression[object.name='process'][property.name=/^std(in|out|err)$/]", message: ioMessage},
  {selector: "MemberExpression[property.name='isTTY']", message: `${ioMessage}: it decides once whether a stream is a terminal (isTerminal for a stream handed in)`},
]
// @oclif/core values come from src/lib/ui/oclif.ts (the running CLI's own copy when it has one);
// type imports may name the package
const oclifImports = {allowTypeImports: true, group: ['@oclif/core', '@oclif/core/*'], message: 'import @oclif/core values from src/lib/ui/oclif.ts (the running CLI\'s copy, docs/performance.md); `import type` may name it'}
// @heroku-cli/command values come from src/lib/api/heroku-command.ts (the running CLI's own copy
// when it has one, and one copy for the client and the guard of its debug output)
const herokuCommandMessage = 'import @heroku-cli/command through src/lib/api/heroku-command.ts (the running CLI\'s copy, docs/performance.md); `import type` may name it'
const herokuCommandImports = {allowTypeImports: true, group: ['@heroku-cli/command', '@heroku-cli/command/*'], message: herokuCommandMessage}
const herokuCommandSyntax = {selector: String.raw`ImportExpression[source.value=/^@heroku-cli\x2Fcommand/]`, message: herokuCommandMessage}
const layering = Object.entries(mayImport).map(([folder, allowed]) => {
  const banned = libFolders.filter(f => f !== folder && !allowed.includes(f))
  const patterns = [...banned.map(f => `../${f}/*`), '../../commands/*', '../../emulator/*']
  const message = `src/lib/${folder}/ may import only ${allowed.length > 0 ? allowed.join(', ') + ' and ' : ''}src/contract (docs/ARCHITECTURE.md)`
  // esquery ends a regex at the first slash, so slashes are written \x2F
  const regex = `^[.][.]\\x2F(${banned.join('|')})\\x2F|^[.][.]\\x2F[.][.]\\x2F(commands|emulator)\\x2F`
  return {
    files: [`src/lib/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {patterns: [{group: patterns, message}, oclifImports, herokuCommandImports]}],
      'no-restricted-syntax': ['error', {selector: `ImportExpression[source.value=/${regex}/]`, message}, herokuCommandSyntax, ...(folder === 'ui' ? [] : ioRules)],
    },
  }
})
// in ui/ every file but io.ts itself (a later entry replaces the rule's options for its files)
const uiLayering = layering.find(l => l.files[0] === 'src/lib/ui/**/*.ts')
const uiRules = {
  files: ['src/lib/ui/**/*.ts'],
  ignores: ['src/lib/ui/io.ts'],
  rules: {'no-restricted-syntax': [...uiLayering.rules['no-restricted-syntax'], ...ioRules]},
}
const commandRules = {files: ['src/commands/**/*.ts'], rules: {'no-restricted-imports': ['error', {patterns: [oclifImports, herokuCommandImports]}], 'no-restricted-syntax': ['error', herokuCommandSyntax, ...ioRules]}}

// src/emulator/ is the other side of the contract: from src/ it imports only src/contract/ and
// src/lib/openapi/ (the spec check it runs on uploads), never the plugin's own rules.
// Inside it, one folder per concern, each above the ones it may import (docs/ARCHITECTURE.md,
// src/emulator/README.md); `store/` may name the type of an org's data (`org/types.ts`) only.
const emulatorMessage = 'src/emulator/ may import only src/contract/ and src/lib/openapi/ from src/ (docs/ARCHITECTURE.md)'
const emulatorBanned = String.raw`^([.][.]\x2F)+(lib\x2F(?!openapi\x2F)|commands\x2F)`
const importNodes = ['ImportDeclaration', 'ImportExpression', 'ExportNamedDeclaration', 'ExportAllDeclaration']
const emulatorFolders = ['process', 'server', 'dashboard', 'applink', 'login', 'logs', 'platform', 'org', 'http', 'store']
const emulatorMayImport = {
  process: ['server', 'store'],
  server: ['dashboard', 'applink', 'login', 'logs', 'platform', 'org', 'http', 'store'],
  dashboard: ['applink', 'platform', 'org', 'http', 'store'],
  applink: ['login', 'platform', 'org', 'http', 'store'],
  login: ['org', 'http', 'store'],
  logs: ['platform', 'http', 'store'],
  platform: ['http', 'store'],
  org: ['http'],
  http: ['store'],
  store: [],
}
const emulatorLayering = emulatorFolders.map(folder => {
  const banned = emulatorFolders.filter(f => f !== folder && !emulatorMayImport[folder].includes(f))
  const allowed = emulatorMayImport[folder]
  const message = `src/emulator/${folder}/ ${allowed.length > 0 ? `may import only ${allowed.map(f => `${f}/`).join(', ')}` : 'imports nothing else of the emulator'} (src/emulator/${folder}/index.ts)`
  // a file may sit one level down (org/routes/), so the sibling is reached by one or two ../
  const sibling = String.raw`^([.][.]\x2F){1,2}(${banned.join('|')})\x2F`
  const typeOnly = folder === 'store' ? String.raw`(?!org\x2Ftypes[.]js$)` : ''
  const siblingRegex = folder === 'store' ? String.raw`^[.][.]\x2F${typeOnly}(${banned.join('|')})\x2F` : sibling
  return {
    files: [`src/emulator/${folder}/**/*.ts`],
    rules: {
      'no-restricted-syntax': ['error', ...importNodes.flatMap(node => [
        {message: emulatorMessage, selector: `${node}[source.value=/${emulatorBanned}/]`},
        {message, selector: `${node}[source.value=/${siblingRegex}/]`},
        ...(folder === 'store' ? [{message: `${message}: \`import type\` only`, selector: `${node}[importKind!='type'][source.value=/^[.][.]\\x2Forg\\x2F/]`}] : []),
      ])],
    },
  }
})
// no loose files at the top of src/emulator/: each belongs to one of the folders above
const emulatorTop = {
  files: ['src/emulator/*.ts'],
  rules: {'no-restricted-syntax': ['error', {message: 'src/emulator/ holds folders by concern only; put this file in one of them (src/emulator/README.md)', selector: 'Program'}]},
}

export default tseslint.config(
  {ignores: ['dist/', 'node_modules/', 'oclif.manifest.json', '.bench/', 'tmp/']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {globals: {Buffer: 'readonly', console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly'}},
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', caughtErrors: 'none'}],
      'no-empty': ['error', {allowEmptyCatch: true}],
    },
  },
  ...layering,
  uiRules,
  commandRules,
  ...emulatorLayering,
  emulatorTop,
)
