/**
 * What every Node adapter (node:http, Express, Fastify, Hono on @hono/node-server) shares to
 * convert a Node request and response: a Fetch `Request` for the bridge's routes with the body
 * read once and kept beside it (see known-body.ts), a cheap visitor view for page views, a
 * node:http handler, and the page headers a Messenger script needs. Framework-free; the adapters
 * in src/adapters/ only choose where these go in their framework.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { SignatureVerificationError } from "../errors.ts";
import type { ConnectionInfo } from "./client-address.ts";
import { errorBody } from "./error-response.ts";
import { adapterRequest, knownResponseText } from "./known-body.ts";
import type { VisitorRequest } from "./request-info.ts";

/** A Node request as frameworks hand it over: maybe with a body already read. */
export type NodeRequest = IncomingMessage & { rawBody?: unknown; body?: unknown; originalUrl?: string };

/** The body limit when the bridge's `webhooks.bodyLimitBytes` is not set. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

class BodyTooLargeError extends Error {}

function headersOf(req: IncomingMessage): Headers {
	const headers = new Headers();
	for (const [name, value] of Object.entries(req.headers)) {
		if (value === undefined) continue;
		if (Array.isArray(value)) for (const v of value) headers.append(name, v);
		else headers.set(name, value);
	}
	return headers;
}

/**
 * The raw body, in octokit's order: `req.rawBody`, then a string or Buffer `req.body`, then the
 * stream (at most `limit` bytes). A body that a JSON parser already turned into an object cannot be
 * verified byte for byte, so that is an error that says where to mount the handler.
 */
async function readBody(req: NodeRequest, limit: number): Promise<ReadBody> {
	if (req.method === "GET" || req.method === "HEAD") return { bytes: undefined, incomplete: false };
	const pick = (value: unknown) =>
		typeof value === "string"
			? new TextEncoder().encode(value)
			: value instanceof Uint8Array
				? value
				: undefined;
	const given = pick(req.rawBody) ?? pick(req.body);
	if (given) return { bytes: given, incomplete: false };
	if (
		req.body !== undefined &&
		req.body !== null &&
		typeof req.body === "object" &&
		Object.keys(req.body).length > 0
	) {
		throw new SignatureVerificationError(
			"The request body was parsed before the Intercom handler, so its raw bytes are lost. Mount intercom-bridge before express.json() / body parsers, or keep req.rawBody.",
		);
	}
	if (req.readableEnded) return { bytes: new Uint8Array(), incomplete: false };
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of req) {
			size += (chunk as Buffer).length;
			if (size > limit) throw new BodyTooLargeError();
			chunks.push(chunk as Buffer);
		}
	} catch (err) {
		if (err instanceof BodyTooLargeError) throw err;
		// The stream fails only when the connection does ("aborted"): the client hung up mid-body.
		// The bridge answers 400 BODY_INCOMPLETE and counts it against the address.
		return { bytes: new Uint8Array(Buffer.concat(chunks)), incomplete: true };
	}
	return { bytes: new Uint8Array(Buffer.concat(chunks)), incomplete: false };
}

/** What {@link readBody} got: the bytes, and whether the client hung up before the end. */
interface ReadBody {
	bytes: Uint8Array | undefined;
	incomplete: boolean;
}

/** The request's absolute URL (its Host, and https when the socket is TLS). */
function urlOf(req: NodeRequest): URL {
	const secure = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
	return new URL(
		req.originalUrl ?? req.url ?? "/",
		`${secure ? "https" : "http"}://${req.headers.host ?? "localhost"}`,
	);
}

const hasBody = (method: string) => method !== "GET" && method !== "HEAD";

/** Builds a Fetch `Request` from a Node request (headers always; the body when `body` is given). */
export function toWebRequest(req: NodeRequest, body?: Uint8Array): Request {
	const method = req.method ?? "GET";
	return new Request(urlOf(req), {
		method,
		headers: headersOf(req),
		body: body && hasBody(method) ? (body as Uint8Array<ArrayBuffer>) : undefined,
	});
}

/**
 * The Request an adapter hands to `bridge.handler` after reading the body itself: no body stream,
 * the bytes kept beside it (see http/known-body.ts). Write the answer with {@link writeWebResponse}.
 * @internal for the Node adapters
 */
export function toBridgeRequest(
	req: NodeRequest,
	body: Uint8Array | undefined,
	options: { incomplete?: boolean } = {},
): Request {
	const method = req.method ?? "GET";
	return adapterRequest(
		urlOf(req),
		{ method, headers: headersOf(req) },
		hasBody(method) ? body : undefined,
		options,
	);
}

/** Writes a Fetch `Response` to a Node response (all Set-Cookie headers kept). */
export async function writeWebResponse(response: Response, res: ServerResponse): Promise<void> {
	res.statusCode = response.status;
	for (const [name, value] of response.headers) {
		if (name === "set-cookie") continue;
		res.setHeader(name, value);
	}
	const cookies = response.headers.getSetCookie();
	if (cookies.length > 0) res.setHeader("set-cookie", cookies);
	const text = knownResponseText(response);
	if (text !== undefined) {
		res.end(text);
		return;
	}
	res.end(Buffer.from(await response.arrayBuffer()));
}

function sendError(res: ServerResponse, status: number, code: string, message: string) {
	res.statusCode = status;
	res.setHeader("content-type", "application/json");
	res.end(errorBody(code, message));
}

/** A Fetch handler that also takes the connection's address (`bridge.handler`). */
export type FetchHandler = (request: Request, connection?: ConnectionInfo) => Promise<Response>;

/**
 * A node:http handler around a Fetch handler: reads the body (at most `limit` bytes; 413 and the
 * connection closed beyond it), passes the peer address, writes the answer.
 */
export function createNodeHandler(handler: FetchHandler, limit: number) {
	return async (req: NodeRequest, res: ServerResponse): Promise<void> => {
		let body: ReadBody;
		try {
			body = await readBody(req, limit);
		} catch (err) {
			if (err instanceof BodyTooLargeError) {
				// Stop reading: close the connection instead of draining the rest of the body.
				res.setHeader("connection", "close");
				sendError(res, 413, "PAYLOAD_TOO_LARGE", `The body is larger than ${limit} bytes.`);
				res.once("finish", () => req.destroy());
				return;
			}
			if (err instanceof SignatureVerificationError)
				return sendError(res, 500, "BODY_ALREADY_PARSED", err.message);
			throw err;
		}
		const connection = { clientAddress: req.socket?.remoteAddress };
		const request = toBridgeRequest(req, body.bytes, { incomplete: body.incomplete });
		const response = await handler(request, connection);
		// A client that hung up cannot be answered; one that only half-closed still reads the 400.
		if (res.writable && !res.destroyed) await writeWebResponse(response, res);
	};
}

/**
 * A Node request as the bridge's visitor logic reads it (a `VisitorRequest`): what a page view
 * needs without building a URL, Headers and Request, which cost more than a cached page view.
 * The URL is made only when asked for: the bridge reads it for the scheme, or for the host when
 * there is no Host header.
 */
class NodeVisitorRequest {
	readonly method: string;
	/**
	 * Headers as `Headers.get` reads them, for the lower-case names the bridge asks for (Node keeps
	 * names in lower case): this object itself, so a page view allocates one view, not two.
	 */
	readonly headers: { get(name: string): string | null };
	// Plain fields rather than #private ones, which cost a keyed define each on every page view.
	private readonly req: NodeRequest;
	private readonly raw: IncomingMessage["headers"];
	private href: string | undefined;
	constructor(req: NodeRequest) {
		this.req = req;
		this.method = req.method ?? "GET";
		this.raw = req.headers;
		this.headers = this;
		this.href = undefined;
	}
	get(name: string): string | null {
		const value = this.raw[name];
		return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
	}
	/** The socket: the visitor cookie's per-connection hint (see VisitorRequest). */
	get connection(): object | undefined {
		return this.req.socket ?? undefined;
	}
	/** The peer's address: new contacts are limited per address (the bridge's newContactsPerMinute). */
	get clientAddress(): string | null {
		return this.req.socket?.remoteAddress ?? null;
	}
	get url(): string {
		if (this.href === undefined) {
			const req = this.req;
			const secure = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
			const base = `${secure ? "https" : "http"}://${req.headers.host || "localhost"}`;
			const path = req.originalUrl ?? req.url ?? "/";
			// An origin-form path ("/shop?x") is appended as it is; anything else is resolved.
			this.href = path.startsWith("/") && !path.startsWith("//") ? base + path : new URL(path, base).href;
		}
		return this.href;
	}
}

/**
 * The visitor view of a Node request for the bridge's page APIs (`bridge.messenger.script`,
 * `bridge.visit`, ...). Cheap: nothing is copied.
 * @internal for the Node adapters
 */
export const nodeVisitorRequest = (req: NodeRequest): VisitorRequest => new NodeVisitorRequest(req);

/**
 * Sets the headers a page's Messenger script needs on a Node response: the visitor cookie (a new
 * visitor, or a contact merged into another) and the Cache-Control of a page naming its visitor.
 * Returns the script's HTML.
 */
export function applyPageHeaders(
	res: ServerResponse,
	page: { html: string; setCookie: string | null; cacheControl: string | null },
): string {
	if (page.setCookie) res.appendHeader("set-cookie", page.setCookie);
	if (page.cacheControl) res.setHeader("cache-control", page.cacheControl);
	return page.html;
}
