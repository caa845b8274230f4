/**
 * `intercom-bridge activity-types`: the activity types the log-activity webhook accepts, shared by
 * all sites, which of them each site accepts (docs/decisions/0020), and which one each Developer
 * Hub notification topic logs on a site (docs/decisions/0027).
 */
import type { Command } from "commander";
import { KNOWN_TOPICS } from "../settings/notification-topics.ts";
import type { CliContext } from "./cli-context.ts";
import { formatTable, jsonOption } from "./output.ts";
import { registerToggleCommands } from "./toggle-commands.ts";

/** Adds `activity-types add|list|enable|disable|accept|topics|map-topic`. */
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
		.command("topics <site>")
		.description("list the Developer Hub topics and the activity type each logs on a site")
		.addOption(jsonOption())
		.action((siteCode: string, opts: { json?: boolean }) =>
			withStore(async (store) => {
				const mapped = await store.listTopicActivityTypes((await store.requireSite(siteCode)).id);
				const topics = [...new Set([...KNOWN_TOPICS.map((k) => k.topic), ...mapped.map((m) => m.topic)])];
				const rows = topics.map((topic) => {
					const m = mapped.find((x) => x.topic === topic);
					return { topic, activityType: m?.typeCodeName ?? null, usable: m?.usable ?? null };
				});
				print(opts.json, rows, () =>
					formatTable(
						rows.map((r) => ({
							...r,
							activityType: r.activityType ?? "-",
							usable: r.usable === null ? "" : r.usable ? "yes" : "no (disabled or not accepted)",
						})),
						[
							["topic", "TOPIC"],
							["activityType", "LOGS"],
							["usable", "USABLE"],
						],
					),
				);
			}),
		);
	types
		.command("map-topic <site> <topic> [codeName]")
		.description("choose the activity type a Developer Hub topic logs on a site (--none: log nothing)")
		.option("--none", "the topic logs nothing on the site")
		.action(
			(
				siteCode: string,
				topic: string,
				codeName: string | undefined,
				opts: { none?: boolean },
				command: Command,
			) => {
				if (Boolean(opts.none) === (codeName !== undefined)) {
					command.error("error: give the activity type's code name, or --none (not both).");
				}
				return withStore(
					async (store) => {
						const site = await store.requireSite(siteCode);
						const { changed } = await store.setTopicActivityType(site.id, topic, codeName ?? null, {
							actor: actor(),
						});
						const what = codeName ? `logs ${codeName}` : "logs nothing";
						io.stdout(
							`${changed ? "" : "Unchanged: "}On site ${site.codeName}, topic ${topic.trim().toLowerCase()} ${what}.`,
						);
					},
					{ site: siteCode, section: "webhooks" },
				);
			},
		);
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
