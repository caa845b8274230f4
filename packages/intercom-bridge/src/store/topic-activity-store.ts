/**
 * Developer Hub notification topics as activities (docs/decisions/0027): which activity type each
 * topic logs on a site, and the log of one notification's activity inside the transaction that
 * claims its delivery, so a notification id logs at most one activity however often it arrives.
 */
import { createHash } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { NotFoundError, ValidationError } from "../errors.ts";
import { checkTopicName } from "../settings/notification-topics.ts";
import { activityTitle } from "./activity-store.ts";
import { truncate } from "./contact-fields.ts";
import { findContact, isGuid } from "./contact-store.ts";
import type { Queryable } from "./database.ts";
import {
	activities,
	activityTypes,
	settingsAudit,
	siteActivityTypes,
	sites,
	siteTopicActivityTypes,
} from "./schema.ts";
import { guard, type StoreContext } from "./store-context.ts";

/** One topic's mapping on a site. */
export interface TopicActivityType {
	topic: string;
	typeCodeName: string;
	typeDisplayName: string;
	/** False when the type is disabled everywhere or not accepted on the site: the topic then logs nothing. */
	usable: boolean;
}

/** What a notification should log, as the webhook read it from the payload. */
export interface NotificationActivityInput {
	siteId: number;
	topic: string;
	/**
	 * GUIDs (our contacts' ids, Intercom's `external_id`) the notification is about, most likely
	 * first; the first that names a contact (or a GUID merged into one) gets the activity.
	 */
	guids: readonly string[];
	value: string | null;
	url: string | null;
}

/** What a notification logged: an activity, or why nothing. */
export type NotificationActivityOutcome =
	| { kind: "logged"; activityId: number; typeCodeName: string }
	/** No type is chosen for the topic on this site. */
	| { kind: "unmapped" }
	/** The chosen type is disabled, or the site no longer accepts it (docs/decisions/0020). */
	| { kind: "type-refused" }
	/** No GUID of the notification names a contact of ours. */
	| { kind: "unknown-contact" };

/** Most GUIDs a notification may name (a conversation's contacts); more are ignored. */
export const MAX_NOTIFICATION_GUIDS = 10;

/** The type a topic maps to on a site, with whether the site can use it. */
function mappingQuery(q: Queryable, siteId: number, topic?: string) {
	return q
		.select({
			topic: siteTopicActivityTypes.topic,
			typeId: activityTypes.id,
			typeCodeName: activityTypes.codeName,
			typeDisplayName: activityTypes.displayName,
			// Same rule as the log-activity webhook: enabled, and accepted on the site (0020).
			usable: sql<boolean>`${activityTypes.enabled} and (
				not exists (select 1 from ${siteActivityTypes} where ${siteActivityTypes.siteId} = ${siteId})
				or exists (select 1 from ${siteActivityTypes} where ${siteActivityTypes.siteId} = ${siteId}
					and ${siteActivityTypes.typeId} = ${activityTypes.id}))`,
		})
		.from(siteTopicActivityTypes)
		.innerJoin(activityTypes, eq(activityTypes.id, siteTopicActivityTypes.typeId))
		.where(
			and(
				eq(siteTopicActivityTypes.siteId, siteId),
				topic === undefined ? undefined : eq(siteTopicActivityTypes.topic, topic),
			),
		)
		.orderBy(asc(siteTopicActivityTypes.topic));
}

/**
 * Logs the activity a notification maps to, in the caller's transaction (the one that claimed the
 * notification's delivery: if anything after fails, both roll back and Intercom's retry logs it).
 * The activity's origin is `intercom-notification`, its title the type's display name and the
 * value. Logs nothing, and says why, for an unmapped topic, a refused type or an unknown contact.
 */
export async function logNotificationActivity(
	q: Queryable,
	input: NotificationActivityInput,
): Promise<NotificationActivityOutcome> {
	const [mapping] = await mappingQuery(q, input.siteId, input.topic);
	if (!mapping) return { kind: "unmapped" };
	if (!mapping.usable) return { kind: "type-refused" };
	const guids = [...new Set(input.guids.filter(isGuid).map((g) => g.toLowerCase()))].slice(
		0,
		MAX_NOTIFICATION_GUIDS,
	);
	for (const guid of guids) {
		const contact = await findContact(q, guid);
		if (!contact) continue;
		const url = input.url || null;
		const [row] = await q
			.insert(activities)
			.values({
				contactGuid: contact.guid,
				siteId: input.siteId,
				typeId: mapping.typeId,
				title: activityTitle(mapping.typeDisplayName, input.value),
				value: input.value ? truncate(input.value, 1000) : null,
				url,
				urlHash: url ? createHash("sha256").update(url).digest("hex") : null,
				origin: "intercom-notification",
			})
			.returning({ id: activities.id });
		if (!row) throw new Error("insert returned no row");
		return { kind: "logged", activityId: row.id, typeCodeName: mapping.typeCodeName };
	}
	return { kind: "unknown-contact" };
}

export function createTopicActivityStore(ctx: StoreContext) {
	const { db } = ctx;
	return {
		/** The topics a site maps to activity types, by topic name. */
		async listTopicActivityTypes(siteId: number): Promise<TopicActivityType[]> {
			const rows = await guard(() => mappingQuery(db, siteId));
			return rows.map(({ topic, typeCodeName, typeDisplayName, usable }) => ({
				topic,
				typeCodeName,
				typeDisplayName,
				usable: Boolean(usable),
			}));
		},

		/**
		 * Chooses the activity type a topic logs on a site, or none (null: its notifications log
		 * nothing). Writes an audit row for the site (key `topic:<topic>`, action `set` or `clear`) in
		 * the same transaction; a choice that changes nothing writes nothing.
		 * @throws ValidationError for a malformed topic name or an unknown type; NotFoundError for an
		 * unknown site.
		 */
		async setTopicActivityType(
			siteId: number,
			rawTopic: string,
			typeCodeName: string | null,
			options: { actor?: string } = {},
		): Promise<{ changed: boolean }> {
			const topic = checkTopicName(rawTopic);
			return guard(() =>
				db.transaction(async (tx) => {
					const [site] = await tx.select({ id: sites.id }).from(sites).where(eq(sites.id, siteId));
					if (!site) throw new NotFoundError(`No site with id ${siteId}.`);
					const [current] = await mappingQuery(tx, siteId, topic);
					if ((current?.typeCodeName ?? null) === typeCodeName) return { changed: false };
					const audit = { siteId, key: `topic:${topic}`, actor: options.actor ?? "system" };
					if (typeCodeName === null) {
						await tx
							.delete(siteTopicActivityTypes)
							.where(and(eq(siteTopicActivityTypes.siteId, siteId), eq(siteTopicActivityTypes.topic, topic)));
						await tx.insert(settingsAudit).values({ ...audit, action: "clear" });
						return { changed: true };
					}
					const [type] = await tx
						.select({ id: activityTypes.id })
						.from(activityTypes)
						.where(eq(activityTypes.codeName, typeCodeName));
					if (!type) {
						throw new ValidationError(
							`No activity type "${typeCodeName}"; see \`activity-types list\`.`,
							"activityType",
						);
					}
					await tx
						.insert(siteTopicActivityTypes)
						.values({ siteId, topic, typeId: type.id })
						.onConflictDoUpdate({
							target: [siteTopicActivityTypes.siteId, siteTopicActivityTypes.topic],
							set: { typeId: type.id },
						});
					await tx.insert(settingsAudit).values({ ...audit, action: "set" });
					return { changed: true };
				}),
			);
		},
	};
}

export type TopicActivityStore = ReturnType<typeof createTopicActivityStore>;
