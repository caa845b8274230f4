/**
 * `intercom-bridge activity-types`: the activity types the log-activity webhook accepts, shared by
 * all sites, and which of them each site accepts (docs/decisions/0020).
 */
import type { Command } from "commander";
import type { CliContext } from "./cli-context.ts";
import { formatTable, jsonOption } from "./output.ts";
import { registerToggleCommands } from "./toggle-commands.ts";

/** Adds `activity-types add|list|enable|disable|accept`. */
export function registerActivityTypesCommand(program: Command, context: CliContext): void {
	const { io, withStore, print, actor } = context;
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
		.option("--site <site>", "also say whether the site accepts each type")
		.addOption(jsonOption())
		.action((opts: { json?: boolean; site?: string }) =>
			withStore(async (store) => {
				const all = await store.listActivityTypes();
				if (!opts.site) {
					print(opts.json, all, () =>
						formatTable(all, [
							["codeName", "CODE NAME"],
							["displayName", "DISPLAY NAME"],
							["enabled", "ENABLED"],
							["sendToIntercom", "SENT TO INTERCOM"],
						]),
					);
					return;
				}
				const chosen = await store.listSiteActivityTypes((await store.requireSite(opts.site)).id);
				const rows = all.map((t) => ({
					...t,
					acceptedOnSite: t.enabled && (chosen === null || chosen.includes(t.codeName)),
				}));
				print(opts.json, rows, () =>
					formatTable(rows, [
						["codeName", "CODE NAME"],
						["displayName", "DISPLAY NAME"],
						["enabled", "ENABLED"],
						["acceptedOnSite", "ACCEPTED ON SITE"],
					]),
				);
			}),
		);
	types
		.command("accept <site> [codeNames...]")
		.description("accept only these activity types on a site (others are refused like a disabled type)")
		.option("--all", "accept every enabled activity type on the site again (the default)")
		.action((siteCode: string, codeNames: string[], opts: { all?: boolean }, command: Command) => {
			if (Boolean(opts.all) === codeNames.length > 0) {
				command.error("error: give the code names the site accepts, or --all (not both).");
			}
			return withStore(
				async (store) => {
					const site = await store.requireSite(siteCode);
					await store.setSiteActivityTypes(site.id, opts.all ? null : codeNames, { actor: actor() });
					io.stdout(
						opts.all
							? `Site ${site.codeName} accepts every enabled activity type.`
							: `Site ${site.codeName} accepts only: ${[...new Set(codeNames)].join(", ")}.`,
					);
				},
				{ site: siteCode, section: "webhooks" },
			);
		});
	types
		.command("intercom-events <codeName> <onOrOff>")
		.description(
			"send the site's own activities of this type to Intercom as data events (on), or stop (off); never those that came from Intercom",
		)
		.action((codeName: string, onOrOff: string, _opts: unknown, command: Command) => {
			if (onOrOff !== "on" && onOrOff !== "off") command.error('error: say "on" or "off".');
			return withStore(async (store) => {
				const t = await store.setActivityTypeSendsToIntercom(codeName, onOrOff === "on");
				await store.recordAudit({
					kind: "activity-type",
					key: t.codeName,
					action: t.sendToIntercom ? "intercom-events-on" : "intercom-events-off",
					actor: actor(),
				});
				io.stdout(
					t.sendToIntercom
						? `Activities of ${t.codeName} recorded by the site go to Intercom as data events (when the site's data policy allows).`
						: `Activities of ${t.codeName} are no longer sent to Intercom.`,
				);
			});
		});
	registerToggleCommands(types, context, {
		noun: "Activity type",
		enable: { description: "enable an activity type", run: (store, code) => store.enableActivityType(code) },
		disable: {
			description: "disable an activity type",
			run: (store, code) => store.disableActivityType(code),
		},
	});
}
