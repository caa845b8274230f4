/**
 * Test support for the client's unit tests (not a test file itself): a scripted `fetch` that
 * records every request, and a fake clock whose `sleep` advances time instead of waiting.
 */

/** One request as the fake server saw it. */
export interface RecordedCall {
	method: string;
	url: URL;
	/** `METHOD /path` without the query, for short assertions. */
	route: string;
	headers: Headers;
	/** Parsed JSON body, the raw text for other bodies, undefined when there is none. */
	body: unknown;
	/** The fake clock's time when the request was made. */
	at: number;
}

export type Script = (call: RecordedCall, index: number) => Response | Promise<Response>;

/** A JSON answer. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(body), {
		status,
		headers: { "Content-Type": "application/json", ...headers },
	});
}

/** Intercom's error body. */
export function errorList(
	status: number,
	code: string,
	message: string,
	headers: Record<string, string> = {},
) {
	return json(status, { type: "error.list", request_id: "req-1234", errors: [{ code, message }] }, headers);
}

/** A fetch answering from `script`, recording calls; `now` stamps each call (default: 0). */
export function scriptedFetch(script: Script, now: () => number = () => 0) {
	const calls: RecordedCall[] = [];
	const fake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
		const request = new Request(input, init);
		const text = await request.text();
		let body: unknown;
		if (text !== "") {
			try {
				body = JSON.parse(text);
			} catch {
				body = text;
			}
		}
		const url = new URL(request.url);
		const call: RecordedCall = {
			method: request.method,
			url,
			route: `${request.method} ${url.pathname}`,
			headers: request.headers,
			body,
			at: now(),
		};
		calls.push(call);
		return script(call, calls.length - 1);
	};
	return { fetch: fake as typeof fetch, calls };
}

/** A clock that only moves when `sleep` is called; `sleeps` records each wait. */
export function fakeClock(start = 1_800_000_000_000) {
	let t = start;
	const sleeps: number[] = [];
	return {
		now: () => t,
		sleep: async (ms: number) => {
			sleeps.push(ms);
			t += ms;
		},
		sleeps,
	};
}

/** A contact as Intercom would answer it (only the fields tests look at). */
export function contact(id: string, extra: Record<string, unknown> = {}) {
	return { type: "contact", id, role: "user", ...extra };
}

/** A `contact_list` page. */
export function contactPage(ids: string[], total: number, next?: string) {
	return {
		type: "list",
		data: ids.map((id) => contact(id)),
		total_count: total,
		pages: { type: "pages", per_page: ids.length, ...(next && { next: { starting_after: next } }) },
	};
}
