/**
 * The process-local counters `/healthz` reports beside the database's: webhooks refused, visitors
 * over the new-contact limit, and what Intercom answered the jobs. `intercom-bridge serve` and the
 * demo pass the same function to `startServer({ health })`, so both report the same.
 */
import type { IntercomBridge } from "../bridge/create-intercom-bridge.ts";
import type { JobRunner } from "../jobs/create-job-runner.ts";

/** `health` for {@link startServer}: `{ webhooks, visitors: { newContactsRefused }, intercom }`. */
export function serviceHealth(
	bridge: Pick<IntercomBridge, "webhookCounts" | "newContactsRefused">,
	jobs: Pick<JobRunner, "intercomCalls">,
): () => Record<string, unknown> {
	return () => ({
		webhooks: bridge.webhookCounts(),
		visitors: { newContactsRefused: bridge.newContactsRefused() },
		intercom: jobs.intercomCalls(),
	});
}
