/**
 * The `intercom-bridge` command line. Every command opens the store that the environment names
 * (DATABASE_URL, else the embedded database in INTERCOM_BRIDGE_DATA_DIR or ./.data), brings its
 * schema up to date, does its work and closes it.
 *
 * @example
 * npx intercom-bridge settings set default appId abc123
 * npx intercom-bridge settings get default --json
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { IntercomBridgeError, publicMessage } from "../errors.ts";
import type { EndpointsResolver } from "../intercom/endpoints.ts";
import { registerActivityTypesCommand } from "./activity-types-command.ts";
import { registerAdminUsersCommand } from "./admin-users-command.ts";
import { registerApiKeyCommand } from "./api-key-command.ts";
import { createCliContext, type WithStore } from "./cli-context.ts";
import { registerConsentsCommand } from "./consents-command.ts";
import { registerContactsCommand } from "./contacts-command.ts";
import { registerFakeIntercomCommand } from "./fake-intercom-command.ts";
import { registerMigrateCommand } from "./migrate-command.ts";
import { cliStoreOpener } from "./open-cli-store.ts";
import { type CliIo, processIo } from "./output.ts";
import { registerServeCommand } from "./serve-command.ts";
import { registerSettingsCommand } from "./settings-command.ts";
import { registerSitesCommand } from "./sites-command.ts";
import { StoppedBySignal } from "./stop-on-signals.ts";
import { registerSyncCommand } from "./sync-command.ts";

export type { ConsolePage, WithStore } from "./cli-context.ts";

/** The version in the package's package.json (two levels up from both src/cli and dist/cli). */
function packageVersion(): string {
	const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
	return String(manifest.version);
}

/** Builds the command tree. `withStore` (and Intercom's `endpoints`, for `sync`) are injectable for tests. */
export function buildProgram(io: CliIo, withStore: WithStore, endpoints?: EndpointsResolver): Command {
	const program = new Command("intercom-bridge")
		.description(
			"Connects a website's contacts, activities and consents with Intercom.\n\n" +
				"Database: DATABASE_URL (PostgreSQL) when set, otherwise the embedded database in\n" +
				"INTERCOM_BRIDGE_DATA_DIR (default ./.data). Secrets at rest use INTERCOM_BRIDGE_SECRET_KEY\n" +
				"(required with PostgreSQL; the embedded database keeps a key file in its data directory).",
		)
		.version(packageVersion(), "-V, --version", "print the version of intercom-bridge")
		.configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
		.exitOverride()
		.showHelpAfterError("(run with --help for usage)");
	const context = createCliContext(io, withStore);
	registerMigrateCommand(program, context);
	registerSitesCommand(program, context);
	registerSettingsCommand(program, context);
	registerApiKeyCommand(program, context);
	registerActivityTypesCommand(program, context);
	registerConsentsCommand(program, context);
	registerContactsCommand(program, context);
	registerAdminUsersCommand(program, context);
	registerSyncCommand(program, context, endpoints);
	registerFakeIntercomCommand(program, io);
	registerServeCommand(program, io);
	return program;
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code:
 * 0 success, 1 the command failed (bad value, not found, database error), 2 bad usage, 130 or
 * 143 a long command stopped by SIGINT (Ctrl-C) or SIGTERM.
 */
export async function runCli(
	argv: string[],
	io: CliIo = processIo(),
	options: {
		endpoints?: EndpointsResolver;
		/** Opens the store; default the one the environment names. Tests pass their own. */
		withStore?: WithStore;
	} = {},
): Promise<number> {
	const program = buildProgram(io, options.withStore ?? cliStoreOpener(io), options.endpoints);
	try {
		await program.parseAsync(argv, { from: "user" });
		return 0;
	} catch (err) {
		if (err instanceof CommanderError) {
			// help and version exit with 0; usage errors were already printed by commander.
			return err.exitCode === 0 ? 0 : 2;
		}
		if (err instanceof StoppedBySignal) {
			io.stderr(err.message);
			return err.exitCode;
		}
		if (err instanceof IntercomBridgeError) {
			io.stderr(`error: ${publicMessage(err)}`);
			return 1;
		}
		io.stderr(`error: ${(err as Error)?.message ?? String(err)}`);
		return 1;
	}
}
