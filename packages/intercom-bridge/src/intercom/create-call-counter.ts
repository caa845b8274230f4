/**
 * Counts of the answers Intercom gave this process (docs/reliability.md O14: 429 and auth-failure counts),
 * kept by wrapping the fetch the REST clients use. Process-local, since start: for /healthz and
 * monitoring, which compare readings over time.
 */

/** What Intercom answered since `since`. */
export interface IntercomCallCounts {
	/** When counting began (ISO 8601). */
	since: string;
	/** Requests sent (each attempt counts). */
	requests: number;
	/** 429: Intercom's rate limit. */
	rateLimited: number;
	/** 401 or 403: the site's token is refused (reconnect the site). */
	unauthorized: number;
	/** 5xx answers. */
	serverErrors: number;
	/** No answer: network errors, and requests aborted at their deadline. */
	noAnswer: number;
}

/** Builds a counter; wrap each fetch the clients use with `counted(fetch)`. */
export function createCallCounter(now: () => number = Date.now) {
	const counts: IntercomCallCounts = {
		since: new Date(now()).toISOString(),
		requests: 0,
		rateLimited: 0,
		unauthorized: 0,
		serverErrors: 0,
		noAnswer: 0,
	};
	return {
		/** `base`, counting what it answers. */
		counted(base: typeof fetch): typeof fetch {
			return async (input, init) => {
				counts.requests++;
				let response: Response;
				try {
					response = await base(input, init);
				} catch (err) {
					counts.noAnswer++;
					throw err;
				}
				if (response.status === 429) counts.rateLimited++;
				else if (response.status === 401 || response.status === 403) counts.unauthorized++;
				else if (response.status >= 500) counts.serverErrors++;
				return response;
			};
		},
		/** The counts so far (a copy). */
		snapshot: (): IntercomCallCounts => ({ ...counts }),
	};
}
