/**
 * What a site's overview page counts (docs/decisions/0022): webhook requests per day by outcome,
 * activities per type, contacts created per day, and what was shared with Intercom (the
 * disclosure log), each over the last few UTC days. Every series comes back dense: one entry per
 * day, oldest first, zeros included, so a chart needs no gap filling.
 */
import { sql } from "drizzle-orm";
import { rowsOf } from "./database.ts";
import { webhookDayCounts } from "./schema.ts";
import { guard, type StoreContext } from "./store-context.ts";

/** Webhook requests of one site on one UTC day (`YYYY-MM-DD`), by outcome. */
export interface WebhookDayCount {
	siteId: number;
	day: string;
	accepted: number;
	duplicates: number;
	refused: number;
}

/** A count on one UTC day. */
export interface DayCount {
	day: string;
	count: number;
}

/** How many activities of one type a site logged in the window. */
export interface TypeCount {
	codeName: string;
	displayName: string;
	count: number;
}

/** How often one set of fields went to Intercom in the window (new disclosures, see disclosure-store.ts). */
export interface DisclosureCount {
	fields: string;
	channel: string;
	policy: string;
	count: number;
}

/** The overview of a site over `days` UTC days up to today. */
export interface SiteOverview {
	days: string[];
	webhooks: Omit<WebhookDayCount, "siteId">[];
	activitiesByType: TypeCount[];
	activitiesTotal: number;
	contactsPerDay: DayCount[];
	disclosuresPerDay: DayCount[];
	disclosuresByFields: DisclosureCount[];
}

const DAY_MS = 86_400_000;
/** The longest window the overview reads. */
export const MAX_OVERVIEW_DAYS = 90;

/** The UTC days (`YYYY-MM-DD`) of the window ending today, oldest first. */
export function overviewDays(now: number, days: number): string[] {
	const today = Math.floor(now / DAY_MS) * DAY_MS;
	return Array.from({ length: days }, (_, i) =>
		new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10),
	);
}

const dense = (days: string[], rows: { day: string; count: number }[]): DayCount[] => {
	const byDay = new Map(rows.map((r) => [r.day, r.count]));
	return days.map((day) => ({ day, count: byDay.get(day) ?? 0 }));
};

export function createOverviewStore(ctx: StoreContext) {
	const { db } = ctx;
	return {
		/**
		 * Adds webhook counts to the per-day totals, in one statement whatever the number of rows
		 * (the webhook routes call it every few seconds with what they counted meanwhile).
		 */
		async addWebhookDayCounts(rows: readonly WebhookDayCount[]): Promise<void> {
			if (rows.length === 0) return;
			await guard(() =>
				db
					.insert(webhookDayCounts)
					.values(rows.map((r) => ({ ...r })))
					.onConflictDoUpdate({
						target: [webhookDayCounts.siteId, webhookDayCounts.day],
						set: {
							accepted: sql`${webhookDayCounts.accepted} + excluded.accepted`,
							duplicates: sql`${webhookDayCounts.duplicates} + excluded.duplicates`,
							refused: sql`${webhookDayCounts.refused} + excluded.refused`,
						},
					}),
			);
		},

		/**
		 * The site's overview over the last `days` UTC days (today included; 1 to
		 * {@link MAX_OVERVIEW_DAYS}, default 14). A contact created in the window counts for the site
		 * when it was active there in the window: an activity, or its data sent to Intercom from it.
		 */
		async siteOverview(siteId: number, options: { days?: number } = {}): Promise<SiteOverview> {
			const span = Math.min(Math.max(Math.trunc(options.days ?? 14), 1), MAX_OVERVIEW_DAYS);
			const days = overviewDays(ctx.now(), span);
			const since = `${days[0]}T00:00:00Z`;
			const utcDay = (column: ReturnType<typeof sql.raw>) =>
				sql`((${column} at time zone 'UTC')::date)::text`;
			const [hooks, types, created, shared, fieldSets] = await guard(() =>
				Promise.all([
					db.execute(sql`
						select day::text as day, accepted, duplicates, refused from webhook_day_counts
						where site_id = ${siteId} and day >= ${days[0]}::date`),
					// Every type, those without activities too (a type that logs nothing is worth seeing).
					db.execute(sql`
						select t.code_name, t.display_name, coalesce(n.count, 0)::int as count
						from activity_types t
						left join (
							select type_id, count(*) as count from activities
							where site_id = ${siteId} and created_at >= ${since}::timestamptz
							group by type_id
						) n on n.type_id = t.id
						order by count desc, t.code_name`),
					// A contact of the window belongs to the site when it was active there within the window
					// (an activity, or data sent to Intercom). Bounding the activities by the window too lets
					// the BRIN index read only its block ranges: unbounded, PostgreSQL hashed every activity of
					// the site for each page view (measured in docs/decisions/0022).
					db.execute(sql`
						select ${utcDay(sql.raw("c.created_at"))} as day, count(*)::int as count
						from contacts c
						where c.created_at >= ${since}::timestamptz
							and (c.guid in (
									select contact_guid from activities
									where site_id = ${siteId} and created_at >= ${since}::timestamptz)
								or exists (
									select 1 from disclosures d
									where d.site_id = ${siteId} and d.at >= ${since}::timestamptz
										and d.guid_hash = encode(sha256(convert_to(lower(c.guid::text), 'UTF8')), 'hex')))
						group by 1`),
					db.execute(sql`
						select ${utcDay(sql.raw("at"))} as day, count(*)::int as count from disclosures
						where site_id = ${siteId} and at >= ${since}::timestamptz group by 1`),
					db.execute(sql`
						select fields, channel, policy, count(*)::int as count from disclosures
						where site_id = ${siteId} and at >= ${since}::timestamptz
						group by fields, channel, policy order by count desc, fields limit 20`),
				]),
			);
			const hookRows = new Map(
				rowsOf<{ day: string; accepted: number; duplicates: number; refused: number }>(hooks).map((r) => [
					r.day,
					r,
				]),
			);
			const activitiesByType = rowsOf<{ code_name: string; display_name: string; count: number }>(types).map(
				(r) => ({ codeName: r.code_name, displayName: r.display_name, count: r.count }),
			);
			return {
				days,
				webhooks: days.map((day) => {
					const r = hookRows.get(day);
					return {
						day,
						accepted: r?.accepted ?? 0,
						duplicates: r?.duplicates ?? 0,
						refused: r?.refused ?? 0,
					};
				}),
				activitiesByType,
				activitiesTotal: activitiesByType.reduce((n, t) => n + t.count, 0),
				contactsPerDay: dense(days, rowsOf<DayCount>(created)),
				disclosuresPerDay: dense(days, rowsOf<DayCount>(shared)),
				disclosuresByFields: rowsOf<DisclosureCount>(fieldSets),
			};
		},
	};
}

export type OverviewStore = ReturnType<typeof createOverviewStore>;
