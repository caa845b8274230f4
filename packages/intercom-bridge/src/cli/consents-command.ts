/** `intercom-bridge consents`: the consents contacts can agree to. */
import type { Command } from "commander";
import type { CliContext } from "./cli-context.ts";
import { formatTable, jsonOption } from "./output.ts";
import { registerToggleCommands } from "./toggle-commands.ts";

/** Adds `consents add|list|enable|disable`. */
export function registerConsentsCommand(program: Command, context: CliContext): void {
	const { io, withStore, print } = context;
	const consents = program.command("consents").description("consents contacts can agree to");
	consents
		.command("add <codeName> <displayName> [text]")
		.description("add a consent")
		.action((codeName: string, displayName: string, text: string | undefined) =>
			withStore(async (store) => {
				const c = await store.addConsent({ codeName, displayName, text });
				io.stdout(`Added consent ${c.codeName}.`);
			}),
		);
	consents
		.command("list")
		.description("list consents")
		.addOption(jsonOption())
		.action((opts: { json?: boolean }) =>
			withStore(async (store) => {
				const all = await store.listConsents();
				print(opts.json, all, () =>
					formatTable(all, [
						["codeName", "CODE NAME"],
						["displayName", "DISPLAY NAME"],
						["enabled", "ENABLED"],
						["text", "TEXT"],
					]),
				);
			}),
		);
	registerToggleCommands(consents, context, {
		noun: "Consent",
		enable: {
			description: "offer a disabled consent again",
			run: (store, code) => store.enableConsent(code),
		},
		disable: {
			description: "stop offering a consent (existing agreements stay; withdrawing stays possible)",
			run: (store, code) => store.disableConsent(code),
		},
	});
}
