/** `enable <codeName>` / `disable <codeName>` for the catalogues (activity types, consents). */
import type { Command } from "commander";
import type { Store } from "../store/create-store.ts";
import type { CliContext } from "./cli-context.ts";

/** What one of the two commands says and does. */
export interface ToggleAction {
	description: string;
	run: (store: Store, codeName: string) => Promise<unknown>;
}

/** Adds `enable <codeName>` and `disable <codeName>` to a command group. */
export function registerToggleCommands(
	group: Command,
	{ io, withStore }: CliContext,
	spec: { noun: string; enable: ToggleAction; disable: ToggleAction },
): void {
	for (const [name, action] of [
		["enable", spec.enable],
		["disable", spec.disable],
	] as const) {
		group
			.command(`${name} <codeName>`)
			.description(action.description)
			.action((codeName: string) =>
				withStore(async (store) => {
					await action.run(store, codeName);
					io.stdout(`${spec.noun} ${codeName} ${name}d.`);
				}),
			);
	}
}
