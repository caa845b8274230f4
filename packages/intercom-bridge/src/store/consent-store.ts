/**
 * Consents and each contact's agreement history. History is append-only; a contact has agreed to
 * a consent when its latest action for it is `agree`.
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { NotFoundError, ValidationError } from "../errors.ts";
import { hasControlCharacters } from "../text/has-control-characters.ts";
import { checkCodeName, checkDisplayName } from "./code-name.ts";
import { findContact, isGuid } from "./contact-store.ts";
import type { Queryable, Tx } from "./database.ts";
import { markContactForSync } from "./job-store.ts";
import { consentAgreements, consents } from "./schema.ts";
import { guard, type StoreContext } from "./store-context.ts";

export type Consent = typeof consents.$inferSelect;

export interface ConsentHistoryEntry {
	consentCodeName: string;
	consentDisplayName: string;
	action: "agree" | "revoke";
	at: Date;
}

export interface ConsentState {
	consent: Consent;
	agreed: boolean;
	/** When the latest action happened, or null when the contact never acted on this consent. */
	since: Date | null;
}

async function latestAction(q: Queryable, contactGuid: string, consentId: number) {
	const [row] = await q
		.select({ action: consentAgreements.action, at: consentAgreements.at })
		.from(consentAgreements)
		.where(and(eq(consentAgreements.contactGuid, contactGuid), eq(consentAgreements.consentId, consentId)))
		.orderBy(desc(consentAgreements.at), desc(consentAgreements.id))
		.limit(1);
	return row ?? null;
}

export function createConsentStore(ctx: StoreContext) {
	const { db } = ctx;

	async function record(
		contactGuid: string,
		consentCode: string,
		action: "agree" | "revoke",
		onChange?: (tx: Tx, contactGuid: string) => Promise<void>,
	) {
		if (!isGuid(contactGuid))
			throw new ValidationError(`"${contactGuid}" is not a valid contact GUID.`, "guid");
		return guard(() =>
			db.transaction(async (tx) => {
				const contact = await findContact(tx, contactGuid.toLowerCase());
				if (!contact) throw new NotFoundError(`Contact ${contactGuid} not found.`);
				const [consent] = await tx.select().from(consents).where(eq(consents.codeName, consentCode));
				if (!consent) throw new NotFoundError(`No consent "${consentCode}".`);
				if (action === "agree" && !consent.enabled) {
					throw new ValidationError(
						`Consent "${consentCode}" is disabled: it can no longer be agreed to.`,
						"consent",
					);
				}
				const latest = await latestAction(tx, contact.guid, consent.id);
				const agreed = latest?.action === "agree";
				// Only a change of state is recorded, so the history reads as decisions, not clicks.
				if ((action === "agree") === agreed) return { changed: false, contactGuid: contact.guid };
				await tx
					.insert(consentAgreements)
					.values({ contactGuid: contact.guid, consentId: consent.id, action });
				await onChange?.(tx, contact.guid);
				// What may be shared can change with a consent: the sync job decides again (decision 0025).
				await markContactForSync(ctx, tx, contact.guid);
				return { changed: true, contactGuid: contact.guid };
			}),
		);
	}

	async function setConsentEnabled(codeName: string, enabled: boolean): Promise<Consent> {
		const [row] = await guard(() =>
			db.update(consents).set({ enabled }).where(eq(consents.codeName, codeName)).returning(),
		);
		if (!row) throw new NotFoundError(`No consent "${codeName}".`);
		return row;
	}

	return {
		/**
		 * Adds a consent.
		 * @throws ConflictError when the code name exists.
		 */
		async addConsent(input: { codeName: string; displayName: string; text?: string }): Promise<Consent> {
			const codeName = checkCodeName(input.codeName, "consent");
			const displayName = checkDisplayName(input.displayName, "consent");
			return guard(async () => {
				const [row] = await db
					.insert(consents)
					.values({ codeName, displayName, text: input.text?.trim() ?? "" })
					.returning();
				if (!row) throw new Error("insert returned no row");
				return row;
			}, `A consent with code name "${codeName}" already exists.`);
		},

		/**
		 * Sets a consent's display name and text. The code name never changes: webhooks and settings
		 * refer to it.
		 * @throws ValidationError, NotFoundError
		 */
		async editConsent(codeName: string, input: { displayName: string; text: string }): Promise<void> {
			const displayName = checkDisplayName(input.displayName, "consent");
			// The text is shown to visitors; line breaks are fine, other control characters are not.
			const text = input.text.trim().slice(0, 10_000);
			if (hasControlCharacters(text.replace(/[\r\n\t]/g, " "))) {
				throw new ValidationError("The consent text must not contain control characters.", "text");
			}
			const rows = await guard(() =>
				db
					.update(consents)
					.set({ displayName, text })
					.where(eq(consents.codeName, codeName))
					.returning({ id: consents.id }),
			);
			if (!rows[0]) throw new NotFoundError(`No consent "${codeName}".`);
		},

		/** Every consent, by code name. */
		async listConsents(): Promise<Consent[]> {
			return guard(() => db.select().from(consents).orderBy(asc(consents.codeName)));
		},

		/** A consent by code name, or null. */
		async getConsent(codeName: string): Promise<Consent | null> {
			const [row] = await guard(() => db.select().from(consents).where(eq(consents.codeName, codeName)));
			return row ?? null;
		},

		/** Stops offering a consent: agreeing fails from now on; agreements stay and can be withdrawn. @throws NotFoundError */
		disableConsent: (codeName: string) => setConsentEnabled(codeName, false),
		/** Offers a disabled consent again. @throws NotFoundError */
		enableConsent: (codeName: string) => setConsentEnabled(codeName, true),

		/** Records that the contact agrees (no new row when already agreed). @throws ValidationError for a disabled consent. */
		agree: (contactGuid: string, consentCode: string) => record(contactGuid, consentCode, "agree"),

		/**
		 * Records that the contact revokes its agreement (no new row when not agreed). `onWithdrawn`
		 * runs in the same transaction when the agreement did end (with the surviving contact's GUID):
		 * what must follow a withdrawal then commits with it, or neither does.
		 */
		revoke: (
			contactGuid: string,
			consentCode: string,
			options: { onWithdrawn?: (tx: Tx, contactGuid: string) => Promise<void> } = {},
		) => record(contactGuid, consentCode, "revoke", options.onWithdrawn),

		/** True when the contact's latest action on the consent is `agree`. Unknown contact or consent: false. */
		async isAgreed(contactGuid: string, consentCode: string): Promise<boolean> {
			if (!isGuid(contactGuid)) return false;
			// One query: the latest action, following a merged GUID.
			const [row] = await guard(() =>
				db
					.select({ action: consentAgreements.action })
					.from(consentAgreements)
					.innerJoin(consents, eq(consents.id, consentAgreements.consentId))
					.where(
						and(
							eq(consents.codeName, consentCode),
							sql`${consentAgreements.contactGuid} = coalesce((select into_guid from contact_merges where old_guid = ${contactGuid.toLowerCase()}), ${contactGuid.toLowerCase()})`,
						),
					)
					.orderBy(desc(consentAgreements.at), desc(consentAgreements.id))
					.limit(1),
			);
			return row?.action === "agree";
		},

		/** The contact's state for every consent. */
		async consentStates(contactGuid: string): Promise<ConsentState[]> {
			const contact = isGuid(contactGuid)
				? await guard(() => findContact(db, contactGuid.toLowerCase()))
				: null;
			const all = await guard(() => db.select().from(consents).orderBy(asc(consents.codeName)));
			if (!contact) return all.map((consent) => ({ consent, agreed: false, since: null }));
			return guard(() =>
				Promise.all(
					all.map(async (consent) => {
						const latest = await latestAction(db, contact.guid, consent.id);
						return { consent, agreed: latest?.action === "agree", since: latest?.at ?? null };
					}),
				),
			);
		},

		/** Every agree/revoke of the contact, oldest first. */
		async consentHistory(contactGuid: string): Promise<ConsentHistoryEntry[]> {
			const contact = isGuid(contactGuid)
				? await guard(() => findContact(db, contactGuid.toLowerCase()))
				: null;
			if (!contact) return [];
			return guard(() =>
				db
					.select({
						consentCodeName: consents.codeName,
						consentDisplayName: consents.displayName,
						action: consentAgreements.action,
						at: consentAgreements.at,
					})
					.from(consentAgreements)
					.innerJoin(consents, eq(consents.id, consentAgreements.consentId))
					.where(eq(consentAgreements.contactGuid, contact.guid))
					.orderBy(asc(consentAgreements.at), asc(consentAgreements.id)),
			);
		},
	};
}

export type ConsentStore = ReturnType<typeof createConsentStore>;
