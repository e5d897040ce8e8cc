/**
 * The plugin as a new user meets it: the real `heroku` CLI with its default settings (telemetry ON:
 * no DISABLE_TELEMETRY, so the CLI's own SIGINT/SIGTERM listener that exits 1 is installed), a
 * throwaway HOME, the local emulator (no --auto-approve: logins wait until the test answers the
 * login form, as a person would in the browser), with and without a terminal (a real
 * pseudo-terminal). Covers Ctrl-C / SIGTERM, removal of the wrong kind of record, resuming a
 * pending connect, and the first-run errors.
 *
 * Run as two files, as-users-run-it-1.test.ts (resuming a pending connect) and
 * as-users-run-it-2.test.ts (the rest), each with its own emulator and app, so that parallel test
 * workers share them out.
 */
import {expect} from 'chai'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {repoRoot, startEmulator, startHeroku} from '../../scripts/lib/heroku-env.mjs'
import {closedPort} from '../helpers/ports.js'
import {type CliResult, explain, heroku, sharedStage, type Stage} from './helpers/cli.js'
import {TELEMETRY_DEFAULT} from './helpers/installed.js'
import {herokuOnTerminal} from './helpers/pty.js'

const APP = 'newuser-app'
const KEY = join(repoRoot, 'test', 'fixtures', 'keys', 'test-rsa.key')

/** Registers part `part` of the tests: 1 resumes a pending connect, 2 has every other section. */
export function describeAsUsers(part: 1 | 2): void {
  describe(`integration: as users run it (heroku CLI, telemetry at its default), part ${part} of 2`, function () {
    this.timeout(120_000)

    let stage: Stage
    let tmp: string
    let dataDir: string
    let emulator: Awaited<ReturnType<typeof startEmulator>>
    let env: Record<string, string | undefined>
    let browserLog: string
    let browser: string

    /** `heroku ...args` without a TTY, as a user has the CLI, against the emulator. */
    const run = (args: string[], extra: Record<string, string | undefined> = {}): Promise<CliResult> => heroku(args, {env: {...env, ...extra}, timeoutMs: 60_000})
    const start = (args: string[]) => startHeroku(stage, args, {env})
    const onTerminal = (args: string[], extra: Record<string, string | undefined> = {}) => herokuOnTerminal(stage, args, {...env, ...extra})

    /** Answers the emulator's login form as a person would in the browser (Allow). */
    async function approve(loginUrl: string): Promise<void> {
      const state = new URL(loginUrl).searchParams.get('state') ?? ''
      const res = await fetch(`${emulator.url}/oauth/login`, {body: new URLSearchParams({decision: 'allow', state}).toString(), headers: {'content-type': 'application/x-www-form-urlencoded'}, method: 'POST'})
      expect(res.status, await res.text()).to.equal(200)
    }

    async function ok(args: string[], code = 0): Promise<CliResult> {
      const r = await run(args)
      expect(r.code, `heroku ${args.join(' ')}\n${explain(r)}`).to.equal(code)
      return r
    }

    before(async () => {
      stage = await sharedStage()
      tmp = mkdtempSync(join(tmpdir(), 'applink-user-'))
      dataDir = join(tmp, 'emulator')
      browserLog = join(tmp, 'browser.log')
      browser = join(tmp, 'browser.sh')
      writeFileSync(browser, `#!/bin/sh\necho "$@" >> '${browserLog}'\n`)
      chmodSync(browser, 0o755)
      emulator = await startEmulator(stage, {dataDir})
      env = {...TELEMETRY_DEFAULT, APPLINK_POLL_INTERVAL_MS: '100', HEROKU_API_KEY: emulator.env.HEROKU_API_KEY, HEROKU_HOST: emulator.env.HEROKU_HOST}
      await ok(['apps:create', APP, '--no-remote'])
      await ok(['addons:create', 'heroku-applink', '-a', APP])
    })

    after(async () => {
      await emulator?.stop()
      if (tmp) rmSync(tmp, {force: true, recursive: true})
    })

    if (part === 2) describe('Ctrl-C and SIGTERM while salesforce:connect waits', () => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        it(`no TTY: ${signal} exits 130 and says how to check and how to go on waiting`, async () => {
          const name = `sig_${signal.toLowerCase()}`
          const cli = start(['salesforce:connect', name, '-a', APP])
          await cli.waitFor(/Connecting Salesforce org \w+ to newuser-app: connecting/)
          const r = await cli.stop(signal)
          expect(r.code, explain(r)).to.equal(130)
          expect(r.stdout).to.equal('')
          expect(r.stderr).to.match(new RegExp(`Open this URL in a browser to log in: ${emulator.url}/oauth/login\\?state=\\w+\n`))
          expect(r.stderr).to.contain(`Connecting Salesforce org ${name} to ${APP}: interrupted\n`)
          expect(r.stderr).to.contain(`Error: Interrupted: stopped waiting for Salesforce connection ${name} (status connecting). It may still complete.\n`)
          expect(r.stderr).to.contain(`  › Check it with: heroku applink:connections:info ${name} -a ${APP}\n`)
          expect(r.stderr).to.contain(`  › Go on waiting with: heroku salesforce:connect ${name} -a ${APP}\n`)
        })
      }

      it('no TTY, --json: SIGINT prints one JSON error document on stdout, exit 130', async () => {
        const cli = start(['salesforce:connect', 'sig_json', '-a', APP, '--json'])
        await cli.waitFor(/Open this URL in a browser/)
        const r = await cli.stop('SIGINT')
        expect(r.code, explain(r)).to.equal(130)
        const doc = JSON.parse(r.stdout) as {error: {exit_code: number; hints: string[]; id: string; message: string}}
        expect(doc.error.id).to.equal('interrupted')
        expect(doc.error.exit_code).to.equal(130)
        expect(doc.error.message).to.equal('Interrupted: stopped waiting for Salesforce connection sig_json (status connecting). It may still complete.')
        expect(doc.error.hints).to.include(`Check it with: heroku applink:connections:info sig_json -a ${APP}`)
      })

      it('TTY: Ctrl-C while the spinner runs ends its line, exits 130 and says how to check later', async () => {
        const t = onTerminal(['salesforce:connect', 'tty_sig', '-a', APP, '--browser', browser])
        await t.waitFor(/Press any key to open up the browser to connect tty_sig to newuser-app, or q to exit/)
        t.write('\r')
        await t.waitFor(/Connecting Salesforce org tty_sig to newuser-app\.\.\./)
        t.write('\u0003')
        const r = await t.done
        expect(r.code, r.text).to.equal(130)
        expect(r.text).to.match(/Connecting Salesforce org tty_sig to newuser-app\.\.\. interrupted\n/)
        expect(r.text).to.contain('Error: Interrupted: stopped waiting for Salesforce connection tty_sig (status connecting). It may still complete.\n')
        expect(r.text).to.contain(`  › Check it with: heroku applink:connections:info tty_sig -a ${APP}\n`)
        expect(readFileSync(browserLog, 'utf8')).to.contain('/oauth/login?state=')
      })

      it('TTY: SIGTERM while waiting exits 130 with the same message', async () => {
        const t = onTerminal(['salesforce:connect', 'tty_term', '-a', APP, '--browser', browser])
        await t.waitFor(/or q to exit/)
        t.write('\r')
        await t.waitFor(/Connecting Salesforce org tty_term to newuser-app\.\.\./)
        t.kill('SIGTERM')
        const r = await t.done
        expect(r.code, r.text).to.equal(130)
        expect(r.text).to.contain('Error: Interrupted: stopped waiting for Salesforce connection tty_term (status connecting). It may still complete.\n')
      })

      it('TTY: Ctrl-C at the key prompt (raw mode) exits 130 and prints the login URL', async () => {
        const t = onTerminal(['salesforce:authorizations:add', 'tty_key_auth', '-a', APP])
        await t.waitFor(/or q to exit/)
        t.write('\u0003')
        const r = await t.done
        expect(r.code, r.text).to.equal(130)
        expect(r.text).to.contain('Error: Interrupted before logging in: authorization tty_key_auth is waiting for a login (status authorizing).\n')
        expect(r.text).to.match(/› To log in, open this URL in a browser: http:\/\/127\.0\.0\.1:\d+\/oauth\/login\?state=\w+\n/)
      })
    })

    if (part === 2) describe('applink:emulator stopped with Ctrl-C or SIGTERM', () => {
      for (const how of ['SIGINT', 'SIGTERM'] as const) {
        it(`no TTY: ${how} exits 0 and removes emulator.lock`, async () => {
          const dir = join(tmp, `emu-${how}`)
          const cli = startHeroku(stage, ['applink:emulator', '--port', '0', '--data-dir', dir], {env: TELEMETRY_DEFAULT})
          await cli.waitFor(/listening on http/)
          expect(existsSync(join(dir, 'emulator.lock'))).to.equal(true)
          const r = await cli.stop(how)
          expect(r.code, explain(r)).to.equal(0)
          expect(r.stderr).to.contain('AppLink emulator: stopped\n')
          expect(existsSync(join(dir, 'emulator.lock')), 'emulator.lock left behind').to.equal(false)
        })
      }

      it('TTY: Ctrl-C exits 0 and removes emulator.lock; it starts again on the same directory', async () => {
        const dir = join(tmp, 'emu-tty')
        const t = herokuOnTerminal(stage, ['applink:emulator', '--port', '0', '--data-dir', dir], TELEMETRY_DEFAULT)
        await t.waitFor(/listening on http/)
        t.write('\u0003')
        const r = await t.done
        expect(r.code, r.text).to.equal(0)
        expect(existsSync(join(dir, 'emulator.lock')), 'emulator.lock left behind').to.equal(false)
        const again = startHeroku(stage, ['applink:emulator', '--port', '0', '--data-dir', dir], {env: TELEMETRY_DEFAULT})
        await again.waitFor(/listening on http/)
        expect((await again.stop('SIGTERM')).code).to.equal(0)
      })
    })

    if (part === 2) describe('removal checks the kind of the record', () => {
      before(async () => {
        await ok(['salesforce:authorizations:jwt:add', 'kind_sf_auth', '-a', APP, '--client-id', '3MVGkind', '--jwt-key-file', KEY, '--username', 'kind@example.com'])
        const cli = start(['datacloud:connect', 'kind_dc_conn', '-a', APP])
        const [, url] = await cli.waitFor(/Open this URL in a browser to log in: (\S+)/)
        await approve(url)
        const r = await cli.done
        expect(r.code, explain(r)).to.equal(0)
      })

      it('datacloud:authorizations:remove of a Salesforce authorization deletes nothing, exit 2, names the right command', async () => {
        const r = await ok(['datacloud:authorizations:remove', 'kind_sf_auth', '-a', APP, '-c', 'kind_sf_auth'], 2)
        expect(r.stdout).to.equal('')
        expect(r.stderr).to.equal([
          'Error: kind_sf_auth is a Salesforce authorization, not a Data Cloud one. Nothing was removed.',
          `  › To remove it, run: heroku salesforce:authorizations:remove kind_sf_auth -a ${APP}`,
          '',
        ].join('\n'))
        const info = await ok(['applink:authorizations:info', 'kind_sf_auth', '-a', APP, '--json'])
        expect(JSON.parse(info.stdout).status).to.equal('authorized')
      })

      it('salesforce:disconnect of a Data Cloud connection deletes nothing, exit 2, names datacloud:disconnect', async () => {
        const r = await ok(['salesforce:disconnect', 'kind_dc_conn', '-a', APP, '--confirm', 'kind_dc_conn'], 2)
        expect(r.stderr).to.equal([
          'Error: kind_dc_conn is a Data Cloud connection, not a Salesforce one. Nothing was disconnected.',
          `  › To disconnect it, run: heroku datacloud:disconnect kind_dc_conn -a ${APP}`,
          '',
        ].join('\n'))
        const info = await ok(['applink:connections:info', 'kind_dc_conn', '-a', APP, '--json'])
        expect(JSON.parse(info.stdout).status).to.equal('connected')
      })

      it('TTY: salesforce:disconnect of a Data Cloud connection is refused before any prompt', async () => {
        const t = onTerminal(['salesforce:disconnect', 'kind_dc_conn', '-a', APP])
        const r = await t.done
        expect(r.code, r.text).to.equal(2)
        expect(r.text).to.contain('Error: kind_dc_conn is a Data Cloud connection, not a Salesforce one. Nothing was disconnected.\n')
        expect(r.text).not.to.contain('type kind_dc_conn')
      })

      it('TTY: Ctrl-C at the typed confirmation exits 130 and removes nothing', async () => {
        const t = onTerminal(['datacloud:disconnect', 'kind_dc_conn', '-a', APP])
        await t.waitFor(/type kind_dc_conn:/)
        t.write('\u0003')
        const r = await t.done
        expect(r.code, r.text).to.equal(130)
        expect(r.text).to.contain('Error: Interrupted: nothing was changed.\n')
        const info = await ok(['applink:connections:info', 'kind_dc_conn', '-a', APP, '--json'])
        expect(JSON.parse(info.stdout).status).to.equal('connected')
      })

      it('the right command still removes it', async () => {
        const r = await ok(['datacloud:disconnect', 'kind_dc_conn', '-a', APP, '--confirm', 'kind_dc_conn'])
        expect(r.stderr).to.contain(`Disconnecting Data Cloud connection kind_dc_conn from ${APP}... done\n`)
      })
    })

    if (part === 1) describe('re-running a connect on a pending record picks it up', () => {
      it('no TTY: interrupted salesforce:connect, run again, prints the same login URL and finishes when the login does', async () => {
        const first = start(['salesforce:connect', 'resume_org', '-a', APP])
        const [, url] = await first.waitFor(/Open this URL in a browser to log in: (\S+)/)
        expect((await first.stop('SIGINT')).code).to.equal(130)
        const again = start(['salesforce:connect', 'resume_org', '-a', APP])
        await again.waitFor(/Open this URL in a browser to log in: /)
        expect(again.stderr).to.contain('Salesforce connection resume_org is already waiting for a login (status connecting): picking it up instead of starting another.\n')
        expect(again.stderr).to.contain(`Open this URL in a browser to log in: ${url}\n`)
        await approve(url)
        const r = await again.done
        expect(r.code, explain(r)).to.equal(0)
        expect(r.stdout).to.match(/Status:\s+connected\n/)
      })

      it('a connect on a finished record is a conflict naming the command that removes it', async () => {
        const r = await ok(['salesforce:connect', 'resume_org', '-a', APP], 1)
        expect(r.stderr).to.equal([
          `Error: Salesforce connection resume_org already exists on app ${APP} (status connected).`,
          `  › See it with: heroku applink:connections:info resume_org -a ${APP}`,
          `  › To start over, remove it first with: heroku salesforce:disconnect resume_org -a ${APP}`,
          '',
        ].join('\n'))
      })

      it('datacloud:connect on a name a Salesforce connection holds names that connection and its removal', async () => {
        const r = await ok(['datacloud:connect', 'resume_org', '-a', APP], 1)
        expect(r.stderr).to.contain(`Error: The name resume_org is taken on app ${APP} by a Salesforce connection (status connected).\n`)
        expect(r.stderr).to.contain(`  › Or remove that connection first with: heroku salesforce:disconnect resume_org -a ${APP}\n`)
      })

      it('no TTY: authorizations:add interrupted and run again picks up the pending authorization', async () => {
        const first = start(['datacloud:authorizations:add', 'resume_auth', '-a', APP])
        const [, url] = await first.waitFor(/Open this URL in a browser to log in: (\S+)/)
        expect((await first.stop('SIGTERM')).code).to.equal(130)
        const again = start(['datacloud:authorizations:add', 'resume_auth', '-a', APP, '--json'])
        await again.waitFor(/already waiting for a login/)
        await approve(url)
        const r = await again.done
        expect(r.code, explain(r)).to.equal(0)
        expect(JSON.parse(r.stdout).status).to.equal('authorized')
        expect(r.stderr).to.contain('Data Cloud authorization resume_auth is already waiting for a login (status authorizing): picking it up instead of starting another.\n')
      })

      it('TTY: q at the prompt, run again, the prompt comes back and opens the same login URL', async () => {
        const first = onTerminal(['salesforce:connect', 'resume_tty', '-a', APP])
        await first.waitFor(/or q to exit/)
        first.write('q')
        const quit = await first.done
        expect(quit.code, quit.text).to.equal(130)
        const [, url] = /open this URL in a browser: (\S+)/.exec(quit.text) ?? []
        expect(url, quit.text).to.be.a('string')
        const again = onTerminal(['salesforce:connect', 'resume_tty', '-a', APP, '--browser', browser])
        await again.waitFor(/picking it up instead of starting another/)
        await again.waitFor(/or q to exit/)
        again.write('\r')
        await again.waitFor(/Connecting Salesforce org resume_tty to newuser-app\.\.\./)
        expect(readFileSync(browserLog, 'utf8')).to.contain(url)
        await approve(url)
        const r = await again.done
        expect(r.code, r.text).to.equal(0)
        expect(r.text).to.match(/Status:\s+connected/)
      })

      it('with several AppLink add-ons the conflict names --addon', async () => {
        await ok(['apps:create', 'newuser-two', '--no-remote'])
        const first = await ok(['addons:create', 'heroku-applink', '-a', 'newuser-two', '--name', 'applink-one'])
        await ok(['addons:create', 'heroku-applink', '-a', 'newuser-two', '--name', 'applink-two', '--as', 'HEROKU_APPLINK_TWO'])
        expect(first.stdout).to.contain('applink-one')
        await ok(['salesforce:connect:jwt', 'two_org', '-a', 'newuser-two', '--addon', 'applink-two', '--client-id', '3MVGtwo', '--jwt-key-file', KEY, '--username', 'two@example.com'])
        const r = await ok(['salesforce:connect', 'two_org', '-a', 'newuser-two', '--addon', 'applink-two'], 1)
        expect(r.stderr).to.contain('  › To start over, remove it first with: heroku salesforce:disconnect two_org -a newuser-two --addon applink-two\n')
      })

      it('with several AppLink add-ons every suggested command names --addon, and runs as shown', async () => {
        await ok(['apps:create', 'newuser-three', '--no-remote'])
        await ok(['addons:create', 'heroku-applink', '-a', 'newuser-three', '--name', 'applink-three-a'])
        await ok(['addons:create', 'heroku-applink', '-a', 'newuser-three', '--name', 'applink-three-b', '--as', 'HEROKU_APPLINK_B'])
        const at = '-a newuser-three --addon applink-three-b'
        /** The command a hint suggests, run as the user would paste it. */
        const suggested = (text: string, lead: string): string[] => {
          const line = text.split('\n').find(l => l.includes(lead)) ?? ''
          const command = line.slice(line.indexOf('heroku ') + 'heroku '.length).trim()
          expect(command, text).to.not.equal('')
          return command.split(' ')
        }

        const connected = await ok(['salesforce:connect:jwt', 'three_org', '-a', 'newuser-three', '--addon', 'applink-three-b', '--client-id', '3MVGthree', '--jwt-key-file', KEY, '--username', 'three@example.com'])
        expect(connected.stdout).to.match(/Status:\s+connected/)
        const missing = await ok(['applink:connections:info', 'nope_org', '-a', 'newuser-three', '--addon', 'applink-three-b'], 1)
        expect(missing.stderr).to.contain(`  › List the app's connections with: heroku applink:connections ${at}\n`)
        const list = await ok(suggested(missing.stderr, 'List the app'))
        expect(list.stdout).to.contain('three_org')
        const unconfirmed = await ok(['salesforce:disconnect', 'three_org', '-a', 'newuser-three', '--addon', 'applink-three-b'], 2)
        expect(unconfirmed.stderr).to.contain(`  › Run again with: heroku salesforce:disconnect three_org ${at} --confirm three_org\n`)
        await ok(suggested(unconfirmed.stderr, 'Run again with'))
        const empty = await ok(['salesforce:publications', '-a', 'newuser-three', '--addon', 'applink-three-b'])
        expect(empty.stdout).to.contain(`Connect one with: heroku salesforce:connect NAME ${at}\n`)
      })
    })

    if (part === 2) describe('first-run errors', () => {
      it('no TTY, emulator not running: the refused HEROKU_HOST is named with how to start the emulator', async () => {
        const port = await closedPort()
        const r = await run(['applink:connections', '-a', APP], {HEROKU_HOST: `http://127.0.0.1:${port}`})
        expect(r.code, explain(r)).to.equal(1)
        expect(r.stdout).to.equal('')
        expect(r.stderr).to.equal([
          `Error: Nothing is listening at HEROKU_HOST=http://127.0.0.1:${port}: the connection was refused.`,
          `  › Start the AppLink emulator there (in another terminal): heroku applink:emulator --port ${port}`,
          '  › Or point HEROKU_HOST at a running emulator, or unset it to use the Heroku API.',
          '',
        ].join('\n'))
      })

      it('TTY, emulator not running: the same message', async () => {
        const port = await closedPort()
        const t = onTerminal(['salesforce:connect', 'first_org', '-a', APP], {HEROKU_HOST: `http://localhost:${port}`})
        const r = await t.done
        expect(r.code, r.text).to.equal(1)
        expect(r.text).to.contain(`Error: Nothing is listening at HEROKU_HOST=http://localhost:${port}: the connection was refused.\n`)
      })

      it('no TTY, no HEROKU_API_KEY, no login: says to run heroku login or set HEROKU_API_KEY, no raw-mode crash', async () => {
        const r = await run(['applink:connections', '-a', APP], {HEROKU_API_KEY: undefined, HEROKU_HOST: undefined})
        expect(r.code, explain(r)).to.equal(1)
        expect(r.stderr).not.to.contain('setRawMode')
        expect(r.stderr).to.equal([
          'Error: Not logged in to Heroku: HEROKU_API_KEY is not set and there is no stored login.',
          '  › Log in with: heroku login',
          '  › Or, in scripts and CI, set HEROKU_API_KEY (e.g. to the output of heroku auth:token on a machine where you are logged in).',
          '',
        ].join('\n'))
      })

      it('no HEROKU_API_KEY against the emulator (TTY or not): says to set the key the emulator printed', async () => {
        const r = await run(['applink:connections', '-a', APP], {HEROKU_API_KEY: undefined})
        expect(r.code, explain(r)).to.equal(1)
        expect(r.stderr).to.contain(`Error: HEROKU_HOST points at a local emulator (${emulator.url}) but HEROKU_API_KEY is not set.\n`)
        const t = onTerminal(['applink:connections', '-a', APP], {HEROKU_API_KEY: undefined})
        const onTty = await t.done
        expect(onTty.code, onTty.text).to.equal(1)
        expect(onTty.text).to.contain('but HEROKU_API_KEY is not set.')
        expect(onTty.text).not.to.contain('setRawMode')
      })
    })
  })
}
