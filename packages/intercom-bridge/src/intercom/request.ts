/**
 * Runs one logical Intercom request: a deadline per attempt, the rate-limit window, retries of
 * requests that are safe to repeat, and errors turned into {@link IntercomApiError}. The typed
 * HTTP call itself is openapi-fetch's; this wraps it.
 */
import { IntercomApiError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { MAX_RATE_LIMIT_WAIT_MS, type RateLimitTracker, rateLimitWaitMs } from "./rate-limit.ts";
import { backoffMs, isRetryableStatus, isTimeout, rejectOnAbort } from "./retry.ts";
import { toIntercomError } from "./to-intercom-error.ts";

/** The fetch openapi-fetch calls: always with a `Request`. */
export type RequestFetch = (input: Request) => Promise<Response>;

/** What openapi-fetch's `GET`/`POST`/… answer. */
export interface CallResult<T> {
	data?: T;
	error?: unknown;
	response: Response;
}

/** One operation, described for {@link Requester.run}. */
export interface Operation<T> {
	/** Method and path template, e.g. `PUT /contacts/{contact_id}`: used in logs and messages. */
	name: string;
	/** Whether sending it twice does no harm (GET, PUT, DELETE, searches, archive). Never true for a create. */
	repeatable: boolean;
	/** Statuses handed back to the caller instead of thrown (e.g. 404 for "find or null"). */
	expect?: readonly number[];
	/** Makes the call; pass `init` (deadline signal, fetch) through to openapi-fetch. */
	send(init: { signal: AbortSignal; fetch: RequestFetch }): Promise<CallResult<T>>;
}

export interface RequesterDeps {
	fetch: RequestFetch;
	timeoutMs: number;
	maxRetries: number;
	sleep: (ms: number) => Promise<void>;
	now: () => number;
	random: () => number;
	rateLimit: RateLimitTracker;
	logger?: Logger | undefined;
}

export interface Requester {
	/** Runs `op`; resolves with a 2xx (or an `expect`ed) answer, else throws. @throws {IntercomApiError} */
	run<T>(op: Operation<T>): Promise<CallResult<T> & { status: number }>;
}

/**
 * Creates the request runner shared by every call of one client.
 * @example const requester = createRequester({ fetch, timeoutMs: 15_000, maxRetries: 3, ... });
 */
export function createRequester(deps: RequesterDeps): Requester {
	const { logger } = deps;

	async function attempt<T>(
		op: Operation<T>,
	): Promise<{ result?: CallResult<T>; failure?: unknown; status?: number }> {
		const signal = AbortSignal.timeout(deps.timeoutMs);
		let status: number | undefined;
		// Remember the answer's status even when openapi-fetch then fails to parse its body.
		const recordingFetch: RequestFetch = async (request) => {
			const response = await deps.fetch(request);
			status = response.status;
			return response;
		};
		const deadline = rejectOnAbort(signal);
		try {
			const result = await Promise.race([op.send({ signal, fetch: recordingFetch }), deadline.promise]);
			return { result };
		} catch (err) {
			const reason = isTimeout(err, signal)
				? `timed out after ${deps.timeoutMs} ms`
				: err instanceof SyntaxError
					? "answered with a body that is not valid JSON"
					: `failed: ${err instanceof Error ? err.message : String(err)}`;
			return {
				failure: new IntercomApiError(`Intercom ${op.name} ${reason}`, {
					httpStatus: status ?? 0,
					cause: err,
				}),
				status,
			};
		} finally {
			deadline.dispose();
		}
	}

	async function wait(ms: number, op: Operation<unknown>, why: string, attemptNo: number): Promise<void> {
		logger?.warn(
			{ operation: op.name, attemptNo, waitMs: Math.round(ms), why },
			"intercom request: retrying",
		);
		await deps.sleep(ms);
	}

	return {
		async run<T>(op: Operation<T>) {
			for (let attemptNo = 0; ; attemptNo++) {
				const hold = deps.rateLimit.waitBeforeNextMs();
				if (hold > 0) {
					logger?.info(
						{ operation: op.name, waitMs: Math.round(hold) },
						"intercom rate limit used up: waiting",
					);
					await deps.sleep(hold);
				}
				const started = deps.now();
				const { result, failure, status } = await attempt(op);
				const canRetry = op.repeatable && attemptNo < deps.maxRetries;
				if (!result) {
					if (!canRetry) throw failure;
					await wait(backoffMs(attemptNo, deps.random), op, `no answer (${status ?? "network"})`, attemptNo);
					continue;
				}
				const { response } = result;
				deps.rateLimit.observe(response.headers);
				logger?.debug(
					{
						operation: op.name,
						status: response.status,
						ms: deps.now() - started,
						rateLimitRemaining: deps.rateLimit.state().remaining,
					},
					"intercom request",
				);
				if (response.ok || op.expect?.includes(response.status))
					return { ...result, status: response.status };
				if (!isRetryableStatus(response.status) || !canRetry) {
					throw toIntercomError(op.name, response, result.error);
				}
				let delay = backoffMs(attemptNo, deps.random);
				if (response.status === 429) {
					const untilReset = rateLimitWaitMs(response.headers, deps.now(), deps.random);
					// Retrying before the window resets would only earn another 429: give up instead.
					if (untilReset !== undefined && untilReset > MAX_RATE_LIMIT_WAIT_MS) {
						throw toIntercomError(op.name, response, result.error);
					}
					delay = untilReset ?? delay;
				}
				await wait(delay, op, `status ${response.status}`, attemptNo);
			}
		},
	};
}
