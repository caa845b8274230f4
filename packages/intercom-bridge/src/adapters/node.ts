/**
 * node:http adapter: converts `IncomingMessage`/`ServerResponse` to the bridge's Fetch API and back.
 * Nothing else happens here.
 *
 * @example
 * import { createServer } from "node:http";
 * import { toNodeHandler, nodeMessengerScript } from "intercom-bridge/node";
 * const intercom = toNodeHandler(bridge);
 * createServer(async (req, res) => {
 *   if (bridge.ownsPath(new URL(req.url ?? "/", "http://x").pathname)) return intercom(req, res);
 *   const scripts = await nodeMessengerScript(bridge, req, res);   // also sets the visitor cookie
 *   res.setHeader("content-type", "text/html").end(`<html><body><h1>Shop</h1>${scripts}</body></html>`);
 * }).listen(3000);
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { IntercomBridge, ScriptOptions } from "../bridge/create-intercom-bridge.ts";
import { SignatureVerificationError } from "../errors.ts";
import { knownResponseText, rememberRequestBody } from "../http/known-body.ts";

/** A Node request as frameworks hand it over: maybe with a body already read. */
export type NodeRequest = IncomingMessage & { rawBody?: unknown; body?: unknown; originalUrl?: string };

const DEFAULT_BODY_LIMIT = 64 * 1024;

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
async function readBody(req: NodeRequest, limit: number): Promise<Uint8Array | undefined> {
	if (req.method === "GET" || req.method === "HEAD") return undefined;
	const pick = (value: unknown) =>
		typeof value === "string"
			? new TextEncoder().encode(value)
			: value instanceof Uint8Array
				? value
				: undefined;
	const given = pick(req.rawBody) ?? pick(req.body);
	if (given) return given;
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
	if (req.readableEnded) return new Uint8Array();
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > limit) throw new BodyTooLargeError();
		chunks.push(chunk as Buffer);
	}
	return new Uint8Array(Buffer.concat(chunks));
}

/** Builds a Fetch `Request` from a Node request (headers always; the body when `body` is given). */
export function toWebRequest(req: NodeRequest, body?: Uint8Array): Request {
	const secure = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
	const host = req.headers.host ?? "localhost";
	const url = new URL(req.originalUrl ?? req.url ?? "/", `${secure ? "https" : "http"}://${host}`);
	const method = req.method ?? "GET";
	const withBody = body !== undefined && method !== "GET" && method !== "HEAD";
	const request = new Request(url, {
		method,
		headers: headersOf(req),
		body: withBody ? (body as Uint8Array<ArrayBuffer>) : undefined,
	});
	return withBody ? rememberRequestBody(request, body) : request;
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
		// Written as it is; the body stream is left unread (it only holds this string).
		res.end(text);
		return;
	}
	res.end(Buffer.from(await response.arrayBuffer()));
}

function sendError(res: ServerResponse, status: number, code: string, message: string) {
	res.statusCode = status;
	res.setHeader("content-type", "application/json");
	res.end(JSON.stringify({ error: { code, message } }));
}

/** A node:http handler for the bridge's routes. */
export function toNodeHandler(bridge: IntercomBridge) {
	const limit = bridge.options.webhooks.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
	return async (req: NodeRequest, res: ServerResponse): Promise<void> => {
		let body: Uint8Array | undefined;
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
		await writeWebResponse(await bridge.handler(toWebRequest(req, body)), res);
	};
}

/** The Messenger script for a page served by node:http; sets the visitor cookie on `res` when needed. */
export async function nodeMessengerScript(
	bridge: IntercomBridge,
	req: NodeRequest,
	res: ServerResponse,
	options?: ScriptOptions,
): Promise<string> {
	const request = toWebRequest(req);
	const html = await bridge.messenger.script(request, options);
	const { setCookie } = await bridge.visit(request);
	if (setCookie) res.appendHeader("set-cookie", setCookie);
	return html;
}
