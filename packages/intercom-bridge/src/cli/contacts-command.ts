/** `intercom-bridge contacts`: list, show, export and erase contacts in the store. */
import { type Command, InvalidArgumentError } from "commander";
import { NotFoundError, ValidationError } from "../errors.ts";
import { eraseContact } from "../privacy/erase-contact.ts";
import { MAX_CONTACTS_PAGE } from "../store/contact-store.ts";
import type { Store } from "../store/create-store.ts";
import type { CliContext } from "./cli-context.ts";
import { formatTable, jsonOption } from "./output.ts";

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

const notFound = (guid: string) => new ValidationError(`No contact with GUID "${guid}".`, "guid");

/** Adds `contacts list|show|erase|export`. */
export function registerContactsCommand(program: Command, context: CliContext): void {
	const { withStore, print } = context;
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
					const range =
						page.total === 0
							? "0 contacts"
							: `${page.offset + 1}-${page.offset + page.items.length} of ${page.total}`;
					return `${formatTable(rows, [
						["guid", "GUID"],
						["email", "EMAIL"],
						["name", "NAME"],
						["companyName", "COMPANY"],
						["createdAt", "CREATED"],
					])}\n${range}`;
				});
			}),
		);
	contacts
		.command("show <guid>")
		.description("show one contact with its consents and activities (merged GUIDs resolve)")
		.addOption(jsonOption())
		.action((guid: string, opts: { json?: boolean }) =>
			withStore(async (store) => {
				const shown = await contactDetails(store, guid);
				print(opts.json, shown, () => renderContact(shown));
			}),
		);
	registerEraseCommand(contacts, context);
	registerExportCommand(contacts, context);
}

type ContactDetails = Awaited<ReturnType<typeof contactDetails>>;

/** A contact with its consents, consent history and activities. @throws ValidationError when unknown. */
async function contactDetails(store: Store, guid: string) {
	const contact = await store.getContact(guid);
	if (!contact) throw notFound(guid);
	const consents = (await store.consentStates(contact.guid)).map((s) => ({
		consent: s.consent.codeName,
		agreed: s.agreed,
		since: s.since,
	}));
	const consentHistory = await store.consentHistory(contact.guid);
	const activities = (await store.listActivities(contact.guid)).map(({ activity, type }) => ({
		...activity,
		type: type.codeName,
	}));
	return { contact, consents, consentHistory, activities };
}

function renderContact({ contact, consents, activities }: ContactDetails): string {
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
}

function registerEraseCommand(contacts: Command, { io, withStore }: CliContext): void {
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
					if (err instanceof NotFoundError) throw notFound(guid);
					throw err;
				}
			}),
		);
}

function registerExportCommand(contacts: Command, { io, withStore }: CliContext): void {
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

function csvCell(value: unknown): string {
	const text =
		value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : String(value);
	// Quote always-risky cells; prefix formula starters so spreadsheets do not execute them.
	const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
	return /[",\n\r]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}
