/** CLI commands over the store: migrate, sites, settings, api-key, activity-types, consents, contacts (and erasure), admin-users. */
import { type Command, InvalidArgumentError, Option } from "commander";
import { NotFoundError, ValidationError } from "../errors.ts";
import { eraseContact } from "../privacy/erase-contact.ts";
import {
	checkSettingKey,
	isSecretSetting,
	maskSecret,
	parseSetting,
	SETTING_DEFINITIONS,
	SETTING_KEYS,
} from "../settings/setting-keys.ts";
import { MAX_CONTACTS_PAGE } from "../store/contact-store.ts";
import type { Store } from "../store/create-store.ts";
import type { WithStore } from "./main.ts";
import { type CliIo, formatJson, formatTable, jsonOption } from "./output.ts";

/** A commander parser for a whole number from `min` to `max`: anything else is a usage error (exit 2). */
const wholeNumber =
	(min: number, max = Number.MAX_SAFE_INTEGER) =>
	(raw: string) => {
		const n = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
		if (!Number.isSafeInteger(n) || n < min || n > max) {
			throw new InvalidArgumentError(
				max === Number.MAX_SAFE_INTEGER
					? `expected a whole number of ${min} or more.`
					: `expected a whole number from ${min} to ${max}.`,
			);
		}
		return n;
	};

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

export function registerStoreCommands(program: Command, io: CliIo, withStore: WithStore) {
	const print = (json: boolean | undefined, value: unknown, human: () => string) =>
		io.stdout(json ? formatJson(value) : human());

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

	// sites
	const sites = program.command("sites").description("sites and the host names they answer to");
	sites
		.command("add <codeName> <displayName>")
		.description("add a site")
		.option("--host <host...>", "host names the site answers to (e.g. www.example.com)")
		.action((codeName: string, displayName: string, opts: { host?: string[] }) =>
			withStore(async (store) => {
				const site = await store.createSite({ codeName, displayName, hostNames: opts.host ?? [] });
				await store.ensureWebhookApiKeys();
				io.stdout(`Added site ${site.codeName} (${site.hostNames.join(", ") || "no host names"}).`);
			}),
		);
	sites
		.command("list")
		.description("list sites")
		.addOption(jsonOption())
		.action((opts: { json?: boolean }) =>
			withStore(async (store) => {
				const all = await store.listSites();
				print(opts.json, all, () =>
					formatTable(
						all.map((s) => ({
							...s,
							hosts: s.hostNames.join(", ") || (s.codeName === "default" ? "(any other host)" : ""),
						})),
						[
							["codeName", "CODE NAME"],
							["displayName", "DISPLAY NAME"],
							["hosts", "HOSTS"],
						],
					),
				);
			}),
		);

	// settings
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
			}),
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
				await store.setSetting(site.id, key, raw, { actor: actor(io) });
				const { value: saved } = parseSetting(key, raw);
				io.stdout(`${site.codeName}: ${key} = ${isSecretSetting(key) ? maskSecret(saved) : saved}`);
			}),
		);
	settings
		.command("clear <site> <key>")
		.description("remove a setting so that its default applies")
		.action((siteCode: string, key: string) =>
			withStore(async (store) => {
				checkSettingKey(key);
				const site = await store.requireSite(siteCode);
				await store.clearSetting(site.id, key, { actor: actor(io) });
				io.stdout(`${site.codeName}: ${key} cleared.`);
			}),
		);

	program
		.command("api-key")
		.description("the webhook API key")
		.command("rotate <site>")
		.description(
			"replace the webhook API key and print the new one once (the old one stays valid for a grace period)",
		)
		.action((siteCode: string) =>
			withStore(async (store) => {
				const site = await store.requireSite(siteCode);
				const key = await store.rotateWebhookApiKey(site.id, { actor: actor(io) });
				io.stdout(key);
				io.stderr(
					`New webhook API key for ${site.codeName} printed above; it is shown only this once. Put it in your Intercom Series webhook headers; the previous key keeps working for the grace period.`,
				);
			}),
		);

	// activity types
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
	registerToggle(types, withStore, io, {
		noun: "Activity type",
		enable: { description: "enable an activity type", run: (store, code) => store.enableActivityType(code) },
		disable: {
			description: "disable an activity type",
			run: (store, code) => store.disableActivityType(code),
		},
	});

	// consents
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

	registerToggle(consents, withStore, io, {
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

	registerContactCommands(program, io, withStore, print);
	registerAdminCommands(program, io, withStore);
}

function registerContactCommands(
	program: Command,
	io: CliIo,
	withStore: WithStore,
	print: (json: boolean | undefined, value: unknown, human: () => string) => void,
) {
	const contacts = program.command("contacts").description("contacts in the store");
	contacts
		.command("list")
		.description("list contacts, newest first")
		.option("--search <text>", "filter by email, name or company")
		.option("--limit <n>", `how many, 1 to ${MAX_CONTACTS_PAGE}`, wholeNumber(1, MAX_CONTACTS_PAGE), 50)
		.option("--offset <n>", "skip this many", wholeNumber(0), 0)
		.addOption(jsonOption())
		.action((opts: { search?: string; limit: number; offset: number; json?: boolean }) =>
			withStore(async (store) => {
				const page = await store.listContacts({
					search: opts.search,
					limit: opts.limit,
					offset: opts.offset,
				});
				print(opts.json, page, () => {
					const rows = page.items.map((c) => ({
						...c,
						name: [c.firstName, c.middleName, c.lastName].filter(Boolean).join(" "),
					}));
					return `${formatTable(rows, [
						["guid", "GUID"],
						["email", "EMAIL"],
						["name", "NAME"],
						["companyName", "COMPANY"],
						["createdAt", "CREATED"],
					])}\n${page.total === 0 ? "0 contacts" : `${page.offset + 1}-${page.offset + page.items.length} of ${page.total}`}`;
				});
			}),
		);
	contacts
		.command("show <guid>")
		.description("show one contact with its consents and activities (merged GUIDs resolve)")
		.addOption(jsonOption())
		.action((guid: string, opts: { json?: boolean }) =>
			withStore(async (store) => {
				const contact = await store.getContact(guid);
				if (!contact) throw new ValidationError(`No contact with GUID "${guid}".`, "guid");
				const consents = (await store.consentStates(contact.guid)).map((s) => ({
					consent: s.consent.codeName,
					agreed: s.agreed,
					since: s.since,
				}));
				const history = await store.consentHistory(contact.guid);
				const activities = (await store.listActivities(contact.guid)).map(({ activity, type }) => ({
					...activity,
					type: type.codeName,
				}));
				print(opts.json, { contact, consents, consentHistory: history, activities }, () => {
					const fields = Object.entries(contact).map(([field, value]) => ({ field, value }));
					return [
						formatTable(fields, [
							["field", "FIELD"],
							["value", "VALUE"],
						]),
						"",
						"Consents:",
						formatTable(consents, [
							["consent", "CONSENT"],
							["agreed", "AGREED"],
							["since", "SINCE"],
						]),
						"",
						"Activities:",
						formatTable(activities, [
							["createdAt", "AT"],
							["type", "TYPE"],
							["title", "TITLE"],
							["url", "URL"],
						]),
					].join("\n");
				});
			}),
		);
	contacts
		.command("erase <guid>")
		.description(
			"erase a contact on request: here (with its activities, consents and merged GUIDs) and, by the service's job runner, in Intercom",
		)
		.option("--actor <name>", "who asked, for the log", "cli")
		.action((guid: string, opts: { actor: string }) =>
			withStore(async (store) => {
				try {
					const result = await eraseContact(store, guid, { actor: opts.actor });
					io.stdout(
						`Erased ${result.guids.length} GUID(s) and ${result.activities} activit${result.activities === 1 ? "y" : "ies"}. ` +
							"The person is deleted in Intercom when the service's job runner next runs.",
					);
				} catch (err) {
					if (err instanceof NotFoundError)
						throw new ValidationError(`No contact with GUID "${guid}".`, "guid");
					throw err;
				}
			}),
		);
	contacts
		.command("export")
		.description("write every contact to standard output: JSON lines with --json, else CSV")
		.addOption(jsonOption())
		.action((opts: { json?: boolean }) =>
			withStore(async (store) => {
				let header = false;
				for await (const c of store.exportContacts()) {
					if (opts.json) {
						io.stdout(JSON.stringify(c));
						continue;
					}
					const row = { ...c, customFields: JSON.stringify(c.customFields) };
					if (!header) {
						io.stdout(Object.keys(row).join(","));
						header = true;
					}
					io.stdout(Object.values(row).map(csvCell).join(","));
				}
			}),
		);
}

function registerAdminCommands(program: Command, io: CliIo, withStore: WithStore) {
	const admins = program.command("admin-users").description("administrators of the admin console");
	admins
		.command("add <email>")
		.description("add an administrator; without --password one is generated and printed once")
		.option("--password <password>", "at least 12 characters")
		.option("--site <site>", "limit the role to this site (default: every site)")
		.addOption(new Option("--role <role>", "read or modify").choices(["read", "modify"]).default("modify"))
		.action((email: string, opts: { password?: string; site?: string; role: "read" | "modify" }) =>
			withStore(async (store) => {
				const siteId = opts.site ? (await store.requireSite(opts.site)).id : null;
				const { user, generatedPassword } = await store.addAdminUser({
					email,
					password: opts.password,
					siteId,
					role: opts.role,
				});
				await store.recordAudit({
					kind: "admin",
					key: user.email,
					action: `add ${opts.role}${opts.site ? ` on ${opts.site}` : ""}`,
					actor: "cli",
				});
				io.stdout(`Added administrator ${user.email} (${opts.role} on ${opts.site ?? "every site"}).`);
				if (generatedPassword) io.stdout(`Password (shown once): ${generatedPassword}`);
			}),
		);
	admins
		.command("set-password <email>")
		.description(
			"set a new password (generated and printed once without --password) and end the administrator's sessions",
		)
		.option("--password <password>", "at least 12 characters")
		.action((email: string, opts: { password?: string }) =>
			withStore(async (store) => {
				try {
					const { user, generatedPassword } = await store.resetAdminPassword(email, opts.password);
					await store.recordAudit({ kind: "admin", key: user.email, action: "password", actor: "cli" });
					io.stdout(`New password set for ${user.email}; their console sessions have ended.`);
					if (generatedPassword) io.stdout(`Password (shown once): ${generatedPassword}`);
				} catch (err) {
					if (err instanceof NotFoundError) throw new ValidationError((err as Error).message, "email");
					throw err;
				}
			}),
		);
	admins
		.command("list")
		.description("list administrators and their roles")
		.addOption(jsonOption())
		.action((opts: { json?: boolean }) =>
			withStore(async (store) => {
				const users = await store.listAdminUsers();
				const siteNames = new Map((await store.listSites()).map((s) => [s.id, s.codeName]));
				const rows = users.map((u) => ({
					...u,
					rolesText: u.roles
						.map((r) => `${r.role}@${r.siteId === null ? "*" : siteNames.get(r.siteId)}`)
						.join(", "),
				}));
				io.stdout(
					opts.json
						? formatJson(users)
						: formatTable(rows, [
								["email", "EMAIL"],
								["rolesText", "ROLES"],
								["createdAt", "CREATED"],
							]),
				);
			}),
		);
}

type ToggleAction = { description: string; run: (store: Store, codeName: string) => Promise<unknown> };

/** Adds `enable <codeName>` and `disable <codeName>` to a command group. */
function registerToggle(
	group: Command,
	withStore: WithStore,
	io: CliIo,
	spec: { noun: string; enable: ToggleAction; disable: ToggleAction },
) {
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

function actor(io: CliIo): string {
	return `cli:${io.env.USER ?? io.env.LOGNAME ?? "unknown"}`;
}

function csvCell(value: unknown): string {
	const text =
		value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : String(value);
	// Quote always-risky cells; prefix formula starters so spreadsheets do not execute them.
	const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
	return /[",\n\r]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}
