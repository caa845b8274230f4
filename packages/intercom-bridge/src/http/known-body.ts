/**
 * Bodies that are already in memory, remembered beside the Fetch object that carries them, so
 * the code at the other end can take them without reading a stream. The core speaks Fetch
 * `Request`/`Response`; on Node, turning a body into a web stream and reading it back was a tenth
 * of a webhook's CPU (measured with `npm run bench`). The registry is only a shortcut: the Fetch
 * object always carries the same body too, so code that knows nothing of it keeps working.
 */

const bodies = new WeakMap<Request | Response, Uint8Array | string>();

/** Remembers the bytes a request was built with (adapters that read the body themselves). */
export function rememberRequestBody(request: Request, bytes: Uint8Array): Request {
	bodies.set(request, bytes);
	return request;
}

/** The bytes remembered for a request, or undefined (read the stream then). */
export function knownRequestBody(request: Request): Uint8Array | undefined {
	const body = bodies.get(request);
	return body instanceof Uint8Array ? body : undefined;
}

/** A JSON response whose text is remembered, so adapters can write it without reading the stream. */
export function jsonResponse(data: unknown, init: ResponseInit = {}): Response {
	const text = JSON.stringify(data);
	const headers = new Headers(init.headers);
	headers.set("content-type", "application/json");
	const response = new Response(text, { ...init, headers });
	bodies.set(response, text);
	return response;
}

/** The text remembered for a response, or undefined (read the stream then). */
export function knownResponseText(response: Response): string | undefined {
	const body = bodies.get(response);
	return typeof body === "string" ? body : undefined;
}
