/**
 * Bodies that are already in memory, kept beside the Fetch object instead of in a web stream.
 *
 * The core speaks Fetch `Request`/`Response`, and a Fetch body is a web stream: building a Request
 * with a body cost about 45 µs and a Response with one about 35 µs (Node 24), against about 4 µs
 * without, a fifth of a webhook's CPU on Node (measured; see BENCHMARKS.md). So the Node adapters,
 * which read the body themselves and write the response themselves, build an *adapter request*:
 * no body stream, the bytes remembered here. The bridge reads webhook bodies through
 * {@link knownRequestBody} first, and answers an adapter request with a body-less Response whose
 * text is remembered here for the adapter to write. Requests from anywhere else (the Hono and
 * Next.js adapters, tests) are ordinary Fetch objects and get ordinary responses.
 */

const requestBodies = new WeakMap<Request, Uint8Array>();
// Adapter requests whose body ended early: the client closed the connection mid-body.
const incompleteBodies = new WeakSet<Request>();
const responseTexts = new WeakMap<Response, string>();

/**
 * A Request for the bridge's handler from an adapter that has read the body (`bytes`) and will
 * write the answer itself: carries no body stream (see the module comment).
 */
export function adapterRequest(
	url: URL | string,
	init: RequestInit,
	bytes: Uint8Array | undefined,
	options: { incomplete?: boolean } = {},
): Request {
	const request = new Request(url, { ...init, body: undefined });
	requestBodies.set(request, bytes ?? new Uint8Array());
	if (options.incomplete) incompleteBodies.add(request);
	return request;
}

/** True for an adapter request whose client closed the connection before the whole body came. */
export function isRequestBodyIncomplete(request: Request): boolean {
	return incompleteBodies.has(request);
}

/** The bytes of an adapter request, or undefined for an ordinary Request (read its stream). */
export function knownRequestBody(request: Request): Uint8Array | undefined {
	return requestBodies.get(request);
}

/**
 * A JSON response to `request`. For an adapter request it has no body stream and its text is kept
 * for {@link knownResponseText}; otherwise it is an ordinary Response with the JSON as its body.
 */
export function jsonResponseFor(request: Request, data: unknown, init: ResponseInit = {}): Response {
	const text = JSON.stringify(data);
	const headers = new Headers(init.headers);
	headers.set("content-type", "application/json");
	if (!requestBodies.has(request)) return new Response(text, { ...init, headers });
	const response = new Response(null, { ...init, headers });
	responseTexts.set(response, text);
	return response;
}

/** The text of a response made by {@link jsonResponseFor} for an adapter request, or undefined. */
export function knownResponseText(response: Response): string | undefined {
	return responseTexts.get(response);
}
