/**
 * Runs one logical Intercom request: a deadline per attempt, the rate-limit window, retries of
 * requests that are safe to repeat, and errors turned into {@link IntercomApiError}. The typed
 * HTTP call itself is openapi-fetch's; this wraps it.
 */
import { IntercomApiError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { CallPriority, RateBudget, RateBudgetGrant } from "./rate-budget.ts";
import {
	MAX_RATE_LIMIT_WAIT_MS,
	type RateLimitTracker,
	rateLimitWaitMs,
	readRateLimit,
} from "./rate-limit.ts";
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
	/** Which share of the rate budget the call may use. Default `live`. */
	priority?: CallPriority;
	/** Stops waiting for the budget (and the attempt) when it aborts. */
	signal?: AbortSignal;
}

/** Per-call options a client view applies to every call it makes (see `IntercomClient.withCallOptions`). */
export interface CallOptions {
	/** Default `live`; background work (a backfill) passes `bulk`. */
	priority?: CallPriority;
	/** Aborts waiting for the rate budget, backoffs and the attempt in flight. */
	signal?: AbortSignal;
}

export interface RequesterDeps {
	fetch: RequestFetch;
	timeoutMs: number;
	maxRetries: number;
	sleep: (ms: number) => Promise<void>;
	now: () => number;
	random: () => number;
	rateLimit: RateLimitTracker;
	/** The workspace's shared budget, asked before every attempt. */
	budget?: RateBudget | undefined;
	/** The longest one call waits for the budget before failing with a 429-like error (ms). */
	budgetWaitCapMs?: number;
	logger?: Logger | undefined;
}

export interface Requester {
	/** Runs `op`; resolves with a 2xx (or an `expect`ed) answer, else throws. @throws {IntercomApiError} */
	run<T>(op: Operation<T>): Promise<CallResult<T> & { status: number }>;
}

/** A view of `requester` whose calls carry `options` (a call's own priority or signal wins). */
export function withCallOptions(requester: Requester, options: CallOptions): Requester {
	return {
		run: (op) =>
			requester.run({
				...op,
				priority: op.priority ?? options.priority,
				signal: op.signal ?? options.signal,
			}),
	};
}

/** Spread of the waits of callers woken by one new window, so they do not all ask at once. */
const BUDGET_JITTER_MS = 200;

/** Sleeps `ms`, or rejects as soon as `signal` aborts. */
async function sleepUnless(
	sleep: (ms: number) => Promise<void>,
	ms: number,
	signal?: AbortSignal,
): Promise<void> {
	if (!signal) return sleep(ms);
	signal.throwIfAborted();
	const aborted = rejectOnAbort(signal);
	try {
		await Promise.race([sleep(ms), aborted.promise]);
	} finally {
		aborted.dispose();
	}
}

/**
 * Creates the request runner shared by every call of one client.
 * @example const requester = createRequester({ fetch, timeoutMs: 15_000, maxRetries: 3, ... });
 */
export function createRequester(deps: RequesterDeps): Requester {
	const { logger } = deps;

	const budgetWaitCapMs = deps.budgetWaitCapMs ?? 120_000;

	/**
	 * Waits until the budget grants this call a slot: at the next window when this one is full
	 * (or blocked after a 429). The call is never dropped silently: past the cap it fails with an
	 * error saying so, and a budget that cannot be asked (database down) is bypassed.
	 */
	async function acquire(op: Operation<unknown>): Promise<void> {
		const { budget } = deps;
		if (!budget) return;
		const priority = op.priority ?? "live";
		const started = deps.now();
		let expired = 0;
		for (let round = 0; ; round++) {
			let grant: RateBudgetGrant;
			try {
				grant = await budget.take(priority);
			} catch (err) {
				logger?.warn(
					{ operation: op.name, err: (err as Error).message },
					"intercom rate budget unavailable: calling without it",
				);
				return;
			}
			const now = deps.now();
			// A slot of a window already over would count in the next one: take a fresh one (a few
			// times at most, in case a clock disagrees for good).
			if (grant.granted && (grant.windowEnd === undefined || now < grant.windowEnd || expired >= 3)) return;
			if (grant.granted) {
				expired++;
				continue;
			}
			const waited = now - started;
			if (waited >= budgetWaitCapMs) {
				throw new IntercomApiError(
					`Intercom ${op.name} waited ${Math.round(waited / 1000)} s for the workspace's rate budget and gave up. Other work is using the whole limit: lower the backfill's concurrency or try again later.`,
					{ httpStatus: 429, intercomCode: "rate_budget_exhausted" },
				);
			}
			// Live callers wake first at a new window; bulk callers spread out behind them.
			const jitter = (priority === "bulk" ? BUDGET_JITTER_MS : BUDGET_JITTER_MS / 10) * deps.random();
			const ms = Math.min(Math.max(0, grant.retryAt - now) + jitter, budgetWaitCapMs - waited);
			if (round === 0) {
				logger?.debug(
					{ operation: op.name, priority, waitMs: Math.round(ms) },
					"intercom rate budget: waiting",
				);
			}
			await sleepUnless(deps.sleep, ms, op.signal);
		}
	}

	/** Tells the budget what an answer's headers said; never fails the call. */
	async function tellBudget(response: Response): Promise<void> {
		const { budget } = deps;
		if (!budget) return;
		const seen = readRateLimit(response.headers);
		try {
			if (response.status === 429) {
				await budget.blocked(seen.resetAt ?? deps.now() + 10_000);
			} else if (seen.limit !== undefined && seen.remaining !== undefined && seen.resetAt !== undefined) {
				await budget.observe({ limit: seen.limit, remaining: seen.remaining, resetAt: seen.resetAt });
			}
		} catch (err) {
			logger?.warn({ err: (err as Error).message }, "intercom rate budget: could not record an answer");
		}
	}

	async function attempt<T>(
		op: Operation<T>,
	): Promise<{ result?: CallResult<T>; failure?: unknown; status?: number }> {
		const timeout = AbortSignal.timeout(deps.timeoutMs);
		const signal = op.signal ? AbortSignal.any([timeout, op.signal]) : timeout;
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
			const reason = op.signal?.aborted
				? "was aborted by its caller"
				: isTimeout(err, signal)
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
		await sleepUnless(deps.sleep, ms, op.signal);
	}

	return {
		async run<T>(op: Operation<T>) {
			for (let attemptNo = 0; ; attemptNo++) {
				// With a shared budget, the budget holds back (it learns the same headers); without
				// one, the client's own view of the window does.
				const hold = deps.budget ? 0 : deps.rateLimit.waitBeforeNextMs();
				if (hold > 0) {
					logger?.info(
						{ operation: op.name, waitMs: Math.round(hold) },
						"intercom rate limit used up: waiting",
					);
					await sleepUnless(deps.sleep, hold, op.signal);
				}
				await acquire(op);
				const started = deps.now();
				const { result, failure, status } = await attempt(op);
				const canRetry = op.repeatable && attemptNo < deps.maxRetries;
				if (!result) {
					if (!canRetry || op.signal?.aborted) throw failure;
					await wait(backoffMs(attemptNo, deps.random), op, `no answer (${status ?? "network"})`, attemptNo);
					continue;
				}
				const { response } = result;
				deps.rateLimit.observe(response.headers);
				await tellBudget(response);
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
				// A create is never repeated, 429 included (docs/intercom.md "Never repeat a create").
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
