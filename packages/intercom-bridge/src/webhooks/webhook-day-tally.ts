/**
 * Webhook requests per site and UTC day by outcome, for the console's overview
 * (docs/decisions/0022). Counted in memory (a map increment per request: nothing more on the
 * webhook's hot path, which stays one statement, docs/decisions/0005 and 0006) and added to
 * `webhook_day_counts` in one upsert a few seconds after the first uncounted request. A process
 * that dies loses at most those seconds of counts; a failed write keeps them for the next one.
 */
import type { Logger } from "../logger.ts";
import type { WebhookDayCount } from "../store/overview-store.ts";

/** How a webhook request ended, as the overview counts it. */
export type WebhookOutcome = "accepted" | "duplicates" | "refused";

/** What the tally needs of the store. */
export interface WebhookDayTallyStore {
	addWebhookDayCounts(rows: readonly WebhookDayCount[]): Promise<void>;
}

export interface WebhookDayTallyOptions {
	store: WebhookDayTallyStore;
	logger: Logger;
	/** Clock in epoch ms. Default `Date.now`. */
	now?: () => number;
	/** How long counts wait in memory before they are written, in ms. Default 5000. */
	flushMs?: number;
}

/** Counts webhook outcomes per site and day; see the module comment. */
export interface WebhookDayTally {
	/** Counts one request of the site. */
	count(siteId: number, outcome: WebhookOutcome): void;
	/** Writes what was counted so far (at shutdown, and in tests). Never throws: a failure is logged and retried later. */
	flush(): Promise<void>;
}

/** Creates a {@link WebhookDayTally}. */
export function createWebhookDayTally(options: WebhookDayTallyOptions): WebhookDayTally {
	const now = options.now ?? Date.now;
	const flushMs = options.flushMs ?? 5000;
	let pending = new Map<string, WebhookDayCount>();
	let timer: ReturnType<typeof setTimeout> | null = null;

	const add = (into: Map<string, WebhookDayCount>, row: WebhookDayCount) => {
		const key = `${row.siteId}|${row.day}`;
		const have = into.get(key);
		if (!have) into.set(key, { ...row });
		else {
			have.accepted += row.accepted;
			have.duplicates += row.duplicates;
			have.refused += row.refused;
		}
	};

	async function flush(): Promise<void> {
		if (timer) clearTimeout(timer);
		timer = null;
		if (pending.size === 0) return;
		const rows = [...pending.values()];
		pending = new Map();
		try {
			await options.store.addWebhookDayCounts(rows);
		} catch (err) {
			// Kept for the next write (scheduled by the next request), so an outage loses nothing
			// while the process lives; no retry loop of its own.
			for (const row of rows) add(pending, row);
			options.logger.warn(
				{ err: { name: (err as Error).name, message: (err as Error).message }, rows: rows.length },
				"webhook: could not write the per-day counts; kept for the next try",
			);
		}
	}

	return {
		count(siteId, outcome) {
			const day = new Date(now()).toISOString().slice(0, 10);
			add(pending, { siteId, day, accepted: 0, duplicates: 0, refused: 0, [outcome]: 1 });
			if (timer === null) {
				timer = setTimeout(() => void flush(), flushMs);
				// Never keeps a process alive on its own; shutdown calls flush().
				timer.unref?.();
			}
		},
		flush,
	};
}
