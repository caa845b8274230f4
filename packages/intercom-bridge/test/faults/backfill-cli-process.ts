/**
 * The real CLI in a child process for the backfill fault test: `runCli` with the process's own
 * streams and environment (DATABASE_URL, INTERCOM_BRIDGE_SECRET_KEY), Intercom's hosts being the
 * emulator at EMULATOR_URL. Arguments are the CLI's.
 */
import { runCli } from "../../src/cli/main.ts";
import { processIo } from "../../src/cli/output.ts";
import { emulatorEndpoints } from "./emulator-endpoints.ts";

process.exitCode = await runCli(process.argv.slice(2), processIo(), {
	endpoints: emulatorEndpoints(process.env.EMULATOR_URL ?? ""),
});
