/**
 * The audit log (table `settings_audit`): who changed what and when, never the value. A site's
 * settings write their rows themselves (settings-store.ts); the console and the CLI record the
 * changes to what every site shares (activity types, consents, administrators) with
 * {@link AuditStore.recordAudit}.
 */
import { and, desc, eq, inArray, isNull, or } from "drizzle-orm";
import { ValidationError } from "../errors.ts";
import { isGuid, mergedGuids } from "./contact-store.ts";
import type { Queryable } from "./database.ts";
import { guidHash } from "./guid-hash.ts";
import { settingsAudit } from "./schema.ts";
import { guard, type StoreContext } from "./store-context.ts";

/**
 * What an audit row is about: a site's setting, something all sites share, or (`intercom`) a
 * privacy action on a contact in the site's Intercom workspace (decision 0026).
 */
export type AuditKind = "setting" | "activity-type" | "consent" | "admin" | "intercom" | "sync";

/**
 * The privacy actions a site takes in Intercom for a contact, and their outcomes: `stop` (nothing
 * more is sent), `scrub` (name, email and mapped attributes removed, `user_id` kept), `delete`.
 * `-queued` when the job was queued with the withdrawal, `-done` when Intercom answered,
 * `-skipped` when the contact agreed again first or Intercom had no such person, `-failed` when
 * the job gave up.
 */
export type IntercomPrivacyAction =
	| "stop"
	| `${"scrub" | "delete"}-${"queued" | "done" | "skipped" | "failed"}`;

/**
 * Records a privacy action in Intercom for a contact, in `q` (a transaction, to commit with what
 * caused it). The contact appears as the hash of its GUID (guid-hash.ts), as in the disclosure
 * log: the row outlives the contact.
 */
export async function recordIntercomAction(
	q: Queryable,
	input: { siteId: number; guid: string; action: IntercomPrivacyAction; actor: string },
): Promise<void> {
	await q.insert(settingsAudit).values({
		siteId: input.siteId,
		kind: "intercom",
		key: guidHash(input.guid),
		action: input.action,
		actor: input.actor.slice(0, 254),
	});
}

const SHARED_KINDS: readonly AuditKind[] = ["activity-type", "consent", "admin"];

/** One row of the audit log. */
export type AuditEntry = typeof settingsAudit.$inferSelect;

export function createAuditStore(ctx: StoreContext) {
	const { db } = ctx;
	return {
		/**
		 * Records a change to something every site shares: `key` is the activity type's or consent's
		 * code name, or the administrator's email; `action` a short verb (`add`, `rename`, `enable`,
		 * `disable`, `edit`, `password`); `actor` who did it (an email, or `cli`).
		 * @throws ValidationError for an unknown kind or an empty key, action or actor.
		 */
		async recordAudit(input: {
			kind: Exclude<AuditKind, "setting" | "intercom" | "sync">;
			key: string;
			action: string;
			actor: string;
		}): Promise<void> {
			// Checked at run time too: the CLI and plain-JS callers pass strings.
			if (!SHARED_KINDS.includes(input.kind)) {
				throw new ValidationError(
					`Audit kind must be activity-type, consent or admin (got "${input.kind}").`,
					"kind",
				);
			}
			for (const name of ["key", "action", "actor"] as const) {
				if (!input[name]?.trim()) throw new ValidationError(`The audit row's ${name} is required.`, name);
			}
			await guard(() =>
				db.insert(settingsAudit).values({
					siteId: null,
					kind: input.kind,
					key: input.key.slice(0, 254),
					action: input.action.slice(0, 20),
					actor: input.actor.slice(0, 254),
				}),
			);
		},

		/** Records a privacy action in Intercom for a contact (see {@link recordIntercomAction}). */
		recordIntercomAction: (input: Parameters<typeof recordIntercomAction>[1]) =>
			guard(() => recordIntercomAction(db, input)),

		/**
		 * A contact's privacy actions in Intercom, newest first: those under its GUID and under the
		 * GUIDs merged into it; with `siteIds`, only those of these sites.
		 */
		async listIntercomActions(guid: string, siteIds?: readonly number[] | null): Promise<AuditEntry[]> {
			if (!isGuid(guid)) throw new ValidationError(`"${String(guid).slice(0, 40)}" is not a contact GUID.`);
			const merged = await guard(() => mergedGuids(db, guid));
			const hashes = [guid, ...merged].map(guidHash);
			if (siteIds && siteIds.length === 0) return [];
			return guard(() =>
				db
					.select()
					.from(settingsAudit)
					.where(
						and(
							eq(settingsAudit.kind, "intercom"),
							inArray(settingsAudit.key, hashes),
							siteIds ? inArray(settingsAudit.siteId, [...siteIds]) : undefined,
						),
					)
					.orderBy(desc(settingsAudit.id))
					.limit(200),
			);
		},

		/**
		 * The audit log as seen from one site, newest first: its setting changes and the changes to
		 * what all sites share (activity types, consents), and with `admins` the changes to
		 * administrators too (the console shows those only to a role on every site).
		 */
		async listAudit(
			siteId: number,
			options: { limit?: number; admins?: boolean } = {},
		): Promise<AuditEntry[]> {
			const shared: AuditKind[] = options.admins
				? ["activity-type", "consent", "admin"]
				: ["activity-type", "consent"];
			return guard(() =>
				db
					.select()
					.from(settingsAudit)
					.where(
						or(
							eq(settingsAudit.siteId, siteId),
							and(isNull(settingsAudit.siteId), inArray(settingsAudit.kind, shared)),
						),
					)
					.orderBy(desc(settingsAudit.id))
					.limit(Math.min(Math.max(options.limit ?? 100, 1), 1000)),
			);
		},
	};
}

export type AuditStore = ReturnType<typeof createAuditStore>;
