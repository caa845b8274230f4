/** `intercom-bridge serve`: runs the service until Ctrl-C. */
import type { Command } from "commander";
import { runService } from "../server/run-service.ts";
import type { CliIo } from "./output.ts";

/** Adds the `serve` command. */
export function registerServeCommand(program: Command, io: CliIo): void {
	program
		.command("serve")
		.description("run the service (PORT, default 3000; HOST, default 127.0.0.1) until Ctrl-C")
		.action(async () => {
			await runService(io.env, io.stdout);
			// Keep running: the server holds the event loop open until a signal stops it.
			await new Promise(() => {});
		});
}
