/** `intercom-bridge serve`: runs the service until Ctrl-C. */
import type { Command } from "commander";
import { releaseMemoryWhenQuiet } from "../server/release-memory-when-quiet.ts";
import { runService } from "../server/run-service.ts";
import type { CliIo } from "./output.ts";

/** Adds the `serve` command. */
export function registerServeCommand(program: Command, io: CliIo): void {
	program
		.command("serve")
		.description("run the service (PORT, default 3000; HOST, default 127.0.0.1) until Ctrl-C")
		.action(async () => {
			await runService(io.env, io.stdout);
			// Gives a busy spell's heap back once quiet (docs/decisions/0041-serve-memory-after-load.md).
			releaseMemoryWhenQuiet();
			// Keep running: the server holds the event loop open until a signal stops it.
			await new Promise(() => {});
		});
}
