/** Reading the conversation-links jobs and the activities they serve, for the fault tests. */
import { sql } from "drizzle-orm";
import type { Store } from "../../src/store/create-store.ts";
import { rowsOf } from "../../src/store/database.ts";

/** Per activity: its comment and its jobs' states. */
export async function activityJobs(store: Store) {
	const rows = rowsOf<{ id: string; comment: string | null; states: string[] | null; retries: number }>(
		await store.db.execute(sql`
			select a.id::text as id, a.comment,
				array_agg(j.state::text) filter (where j.id is not null) as states,
				coalesce(max(j.retry_count), 0)::int as retries
			from activities a
			left join pgboss.job j on j.data->>'activityId' = a.id::text
			group by a.id, a.comment`),
	);
	const orphans = rowsOf<{ n: number }>(
		await store.db.execute(sql`
			select count(*)::int as n from pgboss.job j
			where j.name = 'intercom-bridge-conversation-links'
			and not exists (select 1 from activities a where a.id::text = j.data->>'activityId')`),
	);
	return { activities: rows, orphanJobs: orphans[0]?.n ?? 0 };
}

/** Polls until every activity but those in `except` has a comment, or `timeoutMs` passes. */
export async function waitForLinks(store: Store, timeoutMs: number, except = new Set<string>()) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const { activities } = await activityJobs(store);
		const missing = activities.filter((a) => !a.comment && !except.has(a.id));
		if (missing.length === 0 || Date.now() > deadline) return missing;
		await new Promise((r) => setTimeout(r, 300));
	}
}

/** The conversation-links jobs: state and when a worker claimed it (epoch ms, null if never). */
export async function linkJobs(store: Store) {
	return rowsOf<{ id: string; state: string; startedOn: number | null }>(
		await store.db.execute(sql`
			select id::text as id, state::text as state,
				(extract(epoch from started_on) * 1000)::float8 as "startedOn"
			from pgboss.job where name = 'intercom-bridge-conversation-links'`),
	);
}
