/** `intercom-bridge migrate`: brings the schema, the default site and the webhook API keys up to date. */
import type { Command } from "commander";
import type { CliContext } from "./cli-context.ts";

/** Adds the `migrate` command. */
export function registerMigrateCommand(program: Command, { io, withStore }: CliContext): void {
	program
		.command("migrate")
		.description("create or update the database schema, the default site and missing webhook API keys")
		.action(() =>
			withStore(async (store) => {
				// withStore already ran prepare(); run it again to report what it did (a no-op now).
				const { migrations } = await store.prepare();
				io.stdout(
					`Database ${store.location} (${store.kind}) is up to date: ${migrations.total} migration(s).`,
				);
			}),
		);
}
