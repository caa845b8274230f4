/**
 * Contact writes and look-ups on the emulator state, shared by the REST routes and the Messenger
 * stand-in (which upserts contacts the way the real Messenger does).
 */
import { applyContactInput, blankContact, type Contact, type ContactInput } from "./contact-shape.ts";
import { type EmulatorContext, primaryApp } from "./emulator-context.ts";
import { type ContactRecord, newContactId, unixSeconds } from "./emulator-state.ts";
import { badRequest, IntercomHttpError, notFound } from "./intercom-error.ts";

/** The stored record of a contact id, or a 404. */
export function getRecord(ctx: EmulatorContext, id: string): ContactRecord {
	const record = ctx.state.contacts.get(id);
	if (!record) throw notFound();
	return record;
}

/**
 * Contact ids by external id (`x:`) and lowercased email (`e:`), per contacts map: a scan of every
 * contact per write made a 20,000-contact backfill quadratic (decision 0034). Entries are hints:
 * every place that sets an external id, an email or a role adds one ({@link indexRecord}), none
 * is removed, and each look-up checks the record still matches. A new map (a loaded state file)
 * gets a new index, built on first use.
 */
const indexes = new WeakMap<Map<string, ContactRecord>, Map<string, Set<string>>>();

function indexOf(ctx: EmulatorContext): Map<string, Set<string>> {
	let index = indexes.get(ctx.state.contacts);
	if (!index) {
		index = new Map();
		indexes.set(ctx.state.contacts, index);
		for (const record of ctx.state.contacts.values()) addKeys(index, record);
	}
	return index;
}

function addKeys(index: Map<string, Set<string>>, record: ContactRecord): void {
	const c = record.contact;
	const keys = [c.external_id ? `x:${c.external_id}` : "", c.email ? `e:${c.email.toLowerCase()}` : ""];
	for (const key of keys) {
		if (!key) continue;
		const ids = index.get(key) ?? new Set<string>();
		ids.add(c.id);
		index.set(key, ids);
	}
}

/** Records a contact's current external id and email in the look-up index (after any change to them). */
export function indexRecord(ctx: EmulatorContext, record: ContactRecord): void {
	addKeys(indexOf(ctx), record);
}

/** The records that match `test` among the index's candidates for `key`, oldest first. */
function candidates(
	ctx: EmulatorContext,
	key: string,
	test: (record: ContactRecord) => boolean,
): ContactRecord[] {
	const found: ContactRecord[] = [];
	for (const id of indexOf(ctx).get(key) ?? []) {
		const record = ctx.state.contacts.get(id);
		if (record && test(record)) found.push(record);
	}
	return found.sort((a, b) => a.seq - b.seq);
}

const byExternalId = (ctx: EmulatorContext, externalId: string) =>
	candidates(ctx, `x:${externalId}`, (r) => r.contact.external_id === externalId);

/** A contact by id, or else by external id (for the test helpers). */
export function findContact(ctx: EmulatorContext, idOrExternalId: string): ContactRecord | undefined {
	return ctx.state.contacts.get(idOrExternalId) ?? byExternalId(ctx, idOrExternalId)[0];
}

/**
 * The contact a write would collide with: same `external_id`, or same email among users.
 * @see docs/intercom.md §9.1.2
 */
function duplicateOf(
	ctx: EmulatorContext,
	role: string,
	input: ContactInput,
	selfId?: string,
): ContactRecord | undefined {
	const found: ContactRecord[] = [];
	if (input.external_id) found.push(...byExternalId(ctx, input.external_id));
	if (role === "user" && input.email) {
		const email = input.email.toLowerCase();
		found.push(
			...candidates(
				ctx,
				`e:${email}`,
				(r) => r.contact.role === "user" && r.contact.email.toLowerCase() === email,
			),
		);
	}
	// The oldest, as a scan in creation order would find.
	return found.filter((r) => r.contact.id !== selfId).sort((a, b) => a.seq - b.seq)[0];
}

function conflict(record: ContactRecord): IntercomHttpError {
	// Real Intercom answers this 409 although the 2.16 spec does not list it (docs/intercom.md §1.3).
	const what = record.archived ? "An archived contact" : "A contact";
	return new IntercomHttpError(
		409,
		"conflict",
		`${what} matching those details already exists with id=${record.contact.id}`,
	);
}

/** `POST /contacts`. */
export function createContact(ctx: EmulatorContext, input: ContactInput): Contact {
	if (input.email === undefined && input.external_id === undefined && input.role === undefined) {
		throw badRequest("Provide at least one of email, external_id or role", "parameter_invalid");
	}
	const role = input.role ?? "user";
	const dup = duplicateOf(ctx, role, input);
	if (dup) throw conflict(dup);
	const nowMs = ctx.options.now();
	const contact = blankContact(newContactId(), primaryApp(ctx).appId, unixSeconds(nowMs));
	applyContactInput(contact, { ...input, role }, unixSeconds(nowMs));
	const record: ContactRecord = {
		contact,
		archived: false,
		searchableAt: nowMs + ctx.options.searchIndexDelayMs,
		seq: ctx.state.nextSeq++,
	};
	ctx.state.contacts.set(contact.id, record);
	indexRecord(ctx, record);
	return contact;
}

/** `PUT /contacts/{id}`: merges custom attributes; a taken external_id or user email is a 409. */
export function updateContact(ctx: EmulatorContext, id: string, input: ContactInput): Contact {
	const record = getRecord(ctx, id);
	const dup = duplicateOf(ctx, input.role ?? record.contact.role, input, id);
	if (dup) throw conflict(dup);
	applyContactInput(record.contact, input, unixSeconds(ctx.options.now()));
	indexRecord(ctx, record);
	return record.contact;
}

/** `GET /contacts/find_by_external_id/{id}`: users only, archived ones are not found. */
export function findUserByExternalId(ctx: EmulatorContext, externalId: string): Contact {
	const found = byExternalId(ctx, externalId).find((r) => r.contact.role === "user" && !r.archived);
	if (found) return found.contact;
	throw notFound();
}

/**
 * What the Messenger does on an identified boot: find the user by `user_id` (external_id), else
 * by email, else create one; then set name, email and `last_seen_at`.
 */
export function upsertMessengerUser(
	ctx: EmulatorContext,
	user: { userId?: string; email?: string; name?: string },
): Contact {
	const nowSeconds = unixSeconds(ctx.options.now());
	const email = user.email;
	const existing =
		(user.userId && byExternalId(ctx, user.userId)[0]) ||
		(email &&
			candidates(
				ctx,
				`e:${email.toLowerCase()}`,
				(r) => r.contact.role === "user" && r.contact.email === email,
			)[0]) ||
		undefined;
	const input: ContactInput = { role: "user", last_seen_at: nowSeconds };
	if (user.userId) input.external_id = user.userId;
	if (user.email) input.email = user.email;
	if (user.name) input.name = user.name;
	if (existing) {
		applyContactInput(existing.contact, input, nowSeconds);
		indexRecord(ctx, existing);
		return existing.contact;
	}
	return createContact(ctx, input);
}

/** Whether two contacts are duplicates in Intercom's sense for a merge: same email or same phone. */
function sameEmailOrPhone(a: Contact, b: Contact): boolean {
	if (a.email !== "" && a.email.toLowerCase() === b.email.toLowerCase()) return true;
	return a.phone !== null && a.phone !== "" && a.phone === b.phone;
}

/**
 * `POST /contacts/merge`: a lead (`from`) into a user (`into`), the only direction Intercom allows
 * (2.16 `merge_contacts_request`). Unless `skipDuplicateValidation`, the two must share an email or
 * a phone (400 `invalid_merge`, the spec's example). The user keeps its own values and gains the
 * lead's custom attributes and email where it has none; the lead's events and conversations move
 * to it; the lead is gone, and `GET /contacts/{lead}` answers 410 with a canonical link.
 */
export function mergeContacts(
	ctx: EmulatorContext,
	fromId: string,
	intoId: string,
	skipDuplicateValidation: boolean,
): Contact {
	const from = getRecord(ctx, fromId);
	const into = getRecord(ctx, intoId);
	if (fromId === intoId) throw badRequest("A contact cannot be merged into itself", "invalid_merge");
	if (from.contact.role !== "lead")
		throw badRequest("The contact to merge from must be a lead", "invalid_merge");
	if (into.contact.role !== "user")
		throw badRequest("The contact to merge into must be a user", "invalid_merge");
	if (!skipDuplicateValidation && !sameEmailOrPhone(from.contact, into.contact)) {
		throw badRequest(
			"Contacts can only be merged when they are duplicates (matching email or phone). Pass skip_duplicate_validation=true to override this check.",
			"invalid_merge",
		);
	}
	const user = into.contact;
	user.custom_attributes = { ...from.contact.custom_attributes, ...user.custom_attributes };
	if (user.email === "" && from.contact.email !== "") {
		user.email = from.contact.email;
		user.email_domain = from.contact.email_domain;
		indexRecord(ctx, into);
	}
	for (const event of ctx.state.events) if (event.contactId === fromId) event.contactId = intoId;
	for (const conversation of ctx.state.conversations.values()) {
		for (const c of conversation.contacts.contacts) {
			if (c.id === fromId) {
				c.id = intoId;
				c.external_id = user.external_id;
			}
		}
	}
	ctx.state.contacts.delete(fromId);
	ctx.state.mergedInto.set(fromId, intoId);
	user.updated_at = unixSeconds(ctx.options.now());
	return user;
}
