/**
 * A job runner that calls the Intercom emulator: its endpoints and fetch, a silent logger, a
 * half-second poll. `client` adjusts the REST client (deadlines, retries); the rest overrides
 * runner options.
 */
import {
	createIntercomClient,
	type IntercomClientOptions,
} from "../../src/intercom/create-intercom-client.ts";
import { createJobRunner, type JobRunner, type JobRunnerOptions } from "../../src/jobs/create-job-runner.ts";
import { createLogger } from "../../src/logger.ts";
import type { Store } from "../../src/store/create-store.ts";
import type { IntercomEmulator } from "../../src/testing/index.ts";

export function emulatorJobRunner(
	store: Store,
	emulator: IntercomEmulator,
	options: Partial<JobRunnerOptions> & { client?: Partial<IntercomClientOptions> } = {},
): JobRunner {
	const { client, ...runner } = options;
	return createJobRunner({
		store,
		logger: createLogger({ level: "silent" }),
		endpoints: (region) => emulator.endpoints(region),
		fetch: emulator.fetch,
		createClient: ({ token, region, endpoints, logger, fetch, rateBudget }) =>
			createIntercomClient({ token, region, endpoints, logger, fetch, rateBudget, ...client }),
		pollingIntervalSeconds: 0.5,
		...runner,
	});
}
