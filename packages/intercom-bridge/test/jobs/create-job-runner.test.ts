/**
 * The job runner survives the database failing while pg-boss records a job's outcome: no rejection
 * is left unhandled (it would end the process), and the job is neither done nor lost: it waits for
 * another attempt.
 */
import { afterEach, expect, it } from "vitest";
import { createJobRunner, type JobRunner } from "../../src/jobs/create-job-runner.ts";
import { getJobQueue } from "../../src/jobs/job-queue.ts";
import type { Logger } from "../../src/logger.ts";
import type { Store } from "../../src/store/create-store.ts";
import { storeInternals, storeViewWith } from "../../src/store/store-internals.ts";
import { pgliteFactory } from "../harness/databases.ts";
import { sleep, waitFor } from "../harness/wait-for.ts";

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

it.each([{ outcome: "complete" }, { outcome: "fail" }])(
	"survives a lost connection while recording a job's outcome ($outcome): the job waits for another attempt",
	async ({ outcome }) => {
		store = await pgliteFactory.ready();
		const queue = getJobQueue(store);
		await queue.ensure();
		const jobId = await store.transaction((tx) =>
			queue.enqueueConversationLinks(
				tx,
				{ activityId: 1, siteId: 1, externalIds: ["x"] },
				{ maxAttempts: 2 },
			),
		);
		// The runner's view of the store: once the job has run (it finds no activity and is done, or
		// for "fail" throws), pg-boss's first statement about this job (its outcome) loses its connection.
		let ran = false;
		let refused = 0;
		const pglite = storeInternals(store).client as PgliteLike;
		const client: PgliteLike = {
			query: (text, params) => {
				const aboutJob = JSON.stringify(params ?? []).includes(jobId);
				if (ran && refused === 0 && aboutJob) {
					refused++;
					return Promise.reject(
						Object.assign(new Error("Connection terminated unexpectedly"), { code: "57P01" }),
					);
				}
				return pglite.query(text, params);
			},
			exec: (text) => pglite.exec(text),
		};
		const view = storeViewWith(store, { client });
		Object.defineProperty(view, "getActivityContact", {
			value: async () => {
				ran = true;
				if (outcome === "fail") throw new Error("the job fails");
				return null;
			},
		});
		const errors: string[] = [];
		const logger: Logger = {
			debug: () => {},
			info: () => {},
			warn: () => {},
			error: (fields: { err?: { message?: string } }, message?: string) =>
				void errors.push(`${message}: ${fields?.err?.message}`),
			child: () => logger,
		} as unknown as Logger;
		const rejections: unknown[] = [];
		const onRejection = (reason: unknown) => rejections.push(reason);
		process.on("unhandledRejection", onRejection);
		try {
			runner = createJobRunner({ store: view, logger, pollingIntervalSeconds: 0.5 });
			await runner.start();
			await waitFor(() => refused === 1, {
				deadlineMs: 60_000,
				intervalMs: 50,
				describe: () => `the statement recording the job's outcome; errors: ${JSON.stringify(errors)}`,
			});
			// Neither done nor lost: failed with the error, it waits for its retry (or, had that failed
			// too, stays active until its lease ends and pg-boss retries it).
			await waitFor(async () => (await store?.jobBacklog())?.pending === 1, {
				deadlineMs: 30_000,
				intervalMs: 50,
				describe: async () =>
					`the job back in the queue; backlog ${JSON.stringify(await store?.jobBacklog())}`,
			});
			// A rejection left unhandled would surface within a turn or two of the event loop.
			await sleep(50);
		} finally {
			process.off("unhandledRejection", onRejection);
		}
		expect(rejections).toEqual([]);
		expect(await store.jobBacklog()).toMatchObject({ pending: 1, retrying: 1, active: 0, dead: 0 });
	},
	// A fresh PGlite store and the runner's first poll take a while on a busy machine.
	120_000,
);
