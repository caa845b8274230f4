/**
 * The job runner survives the database failing while pg-boss records a job's outcome: pg-boss 10
 * does not await that statement, so its error would be an unhandled rejection ending the process.
 */
import { createRequire } from "node:module";
import { afterEach, expect, it } from "vitest";
import { pgliteFactory } from "../../test/harness/databases.ts";
import { sleep, waitFor } from "../../test/harness/wait-for.ts";
import type { Logger } from "../logger.ts";
import type { Store } from "../store/create-store.ts";
import { storeInternals, storeViewWith } from "../store/store-internals.ts";
import { createJobRunner, type JobRunner } from "./create-job-runner.ts";
import { getJobQueue, PG_BOSS_SCHEMA } from "./job-queue.ts";

const plans = createRequire(import.meta.url)("pg-boss/src/plans.js") as Record<
	"completeJobs" | "failJobsById",
	(schema: string) => string
>;

interface PgliteLike {
	query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
	exec(text: string): Promise<unknown>;
}

let store: Store | undefined;
let runner: JobRunner | undefined;

afterEach(async () => {
	await runner?.stop();
	await store?.close();
});

it.each([
	{ outcome: "complete", statement: plans.completeJobs(PG_BOSS_SCHEMA) },
	{ outcome: "fail", statement: plans.failJobsById(PG_BOSS_SCHEMA) },
])(
	"logs a lost connection while recording a job's outcome ($outcome) instead of crashing",
	async ({ outcome, statement }) => {
		store = await pgliteFactory.ready();
		const queue = getJobQueue(store);
		await queue.ensure();
		await store.transaction((tx) =>
			queue.enqueueConversationLinks(
				tx,
				{ activityId: 1, siteId: 1, externalIds: ["x"] },
				{ maxAttempts: 2 },
			),
		);
		// The runner's view of the store: the statement recording the outcome loses its connection, and
		// for "fail" the job itself throws (it reads the activity first).
		const pglite = storeInternals(store).client as PgliteLike;
		const client: PgliteLike = {
			query: (text, params) =>
				text === statement
					? Promise.reject(Object.assign(new Error("Connection terminated unexpectedly"), { code: "57P01" }))
					: pglite.query(text, params),
			exec: (text) => pglite.exec(text),
		};
		const db = storeInternals(store).db;
		const view = storeViewWith(store, {
			client,
			...(outcome === "fail"
				? {
						db: new Proxy(db, {
							get: (target, key) =>
								key === "select"
									? () => {
											throw new Error("the job fails");
										}
									: Reflect.get(target, key),
						}),
					}
				: {}),
		});
		const warnings: string[] = [];
		const logger: Logger = {
			debug: () => {},
			info: () => {},
			error: () => {},
			warn: (_fields: unknown, message?: string) => void warnings.push(String(message)),
			child: () => logger,
		} as unknown as Logger;
		const rejections: unknown[] = [];
		const onRejection = (reason: unknown) => rejections.push(reason);
		process.on("unhandledRejection", onRejection);
		try {
			runner = createJobRunner({ store: view, logger, pollingIntervalSeconds: 0.5 });
			await runner.start();
			await waitFor(() => warnings.some((w) => w.includes("could not record a job's outcome")), {
				deadlineMs: 60_000,
				intervalMs: 50,
				describe: () => `the warning about the job's outcome; warnings: ${JSON.stringify(warnings)}`,
			});
			// A rejection left unhandled would surface within a turn or two of the event loop.
			await sleep(50);
		} finally {
			process.off("unhandledRejection", onRejection);
		}
		expect(warnings).toContain(
			"jobs: could not record a job's outcome; it runs again when its lease expires",
		);
		expect(rejections).toEqual([]);
	},
	// A fresh PGlite store and the runner's first poll take a while on a busy machine.
	120_000,
);
