/** `intercom-bridge settings`: a site's Intercom settings (secrets masked). */
import type { Command } from "commander";
import {
	checkSettingKey,
	isSecretSetting,
	maskSecret,
	parseSetting,
	SETTING_DEFINITIONS,
	SETTING_KEYS,
} from "../settings/setting-keys.ts";
import type { CliContext } from "./cli-context.ts";
import { formatTable, jsonOption } from "./output.ts";

/** The keys `settings set` takes, with their allowed values, from the settings' own definitions. */
function settingKeysHelp(): string {
	const width = Math.max(...SETTING_KEYS.map((k) => k.length));
	const lines = SETTING_KEYS.map((key) => {
		const definition: { secret: boolean; allowed?: readonly string[]; description: string } =
			SETTING_DEFINITIONS[key];
		const allowed = definition.allowed ? `one of: ${definition.allowed.join(", ")}. ` : "";
		const secret = definition.secret ? "(secret: pass - to read it from stdin) " : "";
		return `  ${key.padEnd(width)}  ${allowed}${secret}${definition.description}`;
	});
	return `\nKeys:\n${lines.join("\n")}\n\nExample:\n  intercom-bridge settings set default enabled true`;
}

/** Adds `settings get`, `settings set` and `settings clear`. */
export function registerSettingsCommand(program: Command, { io, withStore, print, actor }: CliContext): void {
	const setup = (site: string) => ({ site, section: "setup" });
	const settings = program.command("settings").description("per-site Intercom settings (secrets are masked)");
	settings
		.command("get <site> [key]")
		.description("show a site's settings, or one of them")
		.addOption(jsonOption())
		.action((siteCode: string, key: string | undefined, opts: { json?: boolean }) =>
			withStore(async (store) => {
				const site = await store.requireSite(siteCode);
				let views = await store.describeSettings(site.id);
				if (key !== undefined) {
					checkSettingKey(key);
					views = views.filter((v) => v.key === key);
				}
				const shown = views.map((v) => ({
					key: v.key,
					value: v.display,
					secret: v.secret,
					isSet: v.isSet,
					updatedAt: v.updatedAt,
					updatedBy: v.updatedBy,
				}));
				print(opts.json, key !== undefined ? shown[0] : shown, () =>
					formatTable(shown, [
						["key", "KEY"],
						["value", "VALUE"],
						["updatedBy", "CHANGED BY"],
						["updatedAt", "CHANGED AT"],
					]),
				);
			}, setup(siteCode)),
		);
	settings
		.command("set <site> <key> <value>")
		.description(
			'change a setting; give "-" as the value to read it from standard input (keeps secrets out of shell history)',
		)
		.addHelpText("after", settingKeysHelp)
		.action((siteCode: string, key: string, value: string) =>
			withStore(async (store) => {
				const raw = value === "-" ? (await io.readStdin()).replace(/\r?\n$/, "") : value;
				const site = await store.requireSite(siteCode);
				await store.setSetting(site.id, key, raw, { actor: actor() });
				const { value: saved } = parseSetting(key, raw);
				io.stdout(`${site.codeName}: ${key} = ${isSecretSetting(key) ? maskSecret(saved) : saved}`);
			}, setup(siteCode)),
		);
	settings
		.command("clear <site> <key>")
		.description("remove a setting so that its default applies")
		.action((siteCode: string, key: string) =>
			withStore(async (store) => {
				checkSettingKey(key);
				const site = await store.requireSite(siteCode);
				await store.clearSetting(site.id, key, { actor: actor() });
				io.stdout(`${site.codeName}: ${key} cleared.`);
			}, setup(siteCode)),
		);
}
