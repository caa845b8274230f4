/** `intercom-bridge activity-types`: the activity types the log-activity webhook accepts. */
import type { Command } from "commander";
import type { CliContext } from "./cli-context.ts";
import { formatTable, jsonOption } from "./output.ts";
import { registerToggleCommands } from "./toggle-commands.ts";

/** Adds `activity-types add|list|enable|disable`. */
export function registerActivityTypesCommand(program: Command, context: CliContext): void {
	const { io, withStore, print } = context;
	const types = program
		.command("activity-types")
		.description("activity types the log-activity webhook accepts");
	types
		.command("add <codeName> <displayName>")
		.description("add an (enabled) activity type")
		.action((codeName: string, displayName: string) =>
			withStore(async (store) => {
				const t = await store.addActivityType({ codeName, displayName });
				io.stdout(`Added activity type ${t.codeName}.`);
			}),
		);
	types
		.command("list")
		.description("list activity types")
		.addOption(jsonOption())
		.action((opts: { json?: boolean }) =>
			withStore(async (store) => {
				const all = await store.listActivityTypes();
				print(opts.json, all, () =>
					formatTable(all, [
						["codeName", "CODE NAME"],
						["displayName", "DISPLAY NAME"],
						["enabled", "ENABLED"],
					]),
				);
			}),
		);
	registerToggleCommands(types, context, {
		noun: "Activity type",
		enable: { description: "enable an activity type", run: (store, code) => store.enableActivityType(code) },
		disable: {
			description: "disable an activity type",
			run: (store, code) => store.disableActivityType(code),
		},
	});
}
