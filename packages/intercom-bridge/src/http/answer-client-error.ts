/**
 * A node:http server's `clientError` handler that answers a body cut short with a clear 400.
 *
 * When a client half-closes its side of the connection before the body it announced (with
 * Content-Length) is complete, Node reports a parse error on the socket, not on the request: by
 * default it writes a bare "400 Bad Request" and destroys the socket, and the handler reading the
 * body sees it fail. This handler answers that case with JSON saying the body was incomplete, and
 * every other client error as Node would (408, 431, 413, 400), so installing it changes nothing
 * else. A client that reset the connection cannot be answered at all; its socket is just closed.
 *
 * @example
 * import { createServer } from "node:http";
 * import { answerClientError } from "intercom-bridge/node";
 * createServer(handler).on("clientError", answerClientError);
 */
import type { Duplex } from "node:stream";
import { errorBody } from "./error-response.ts";

/** The message of a body cut short, the same on every path that reads one. */
export const BODY_INCOMPLETE_MESSAGE =
	"Request body incomplete: the connection ended before Content-Length bytes arrived. Send the whole body.";

const INCOMPLETE_BODY = errorBody("BODY_INCOMPLETE", BODY_INCOMPLETE_MESSAGE);

const plain = (status: string) => `HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`;

/** Node's own answers to the other client errors (see _http_server.js). */
const ANSWERS: Record<string, string> = {
	HPE_HEADER_OVERFLOW: plain("431 Request Header Fields Too Large"),
	HPE_CHUNK_EXTENSIONS_OVERFLOW: plain("413 Payload Too Large"),
	ERR_HTTP_REQUEST_TIMEOUT: plain("408 Request Timeout"),
};

/** Handles a node:http server's `clientError` (see the module comment). */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
	// A response already under way (its headers sent) must not get a second one written into it.
	const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
	if (socket.writable && !inFlight?.headersSent && err.code !== "ECONNRESET") {
		const answer =
			err.code === "HPE_INVALID_EOF_STATE"
				? `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(INCOMPLETE_BODY)}\r\nConnection: close\r\n\r\n${INCOMPLETE_BODY}`
				: (ANSWERS[err.code ?? ""] ?? plain("400 Bad Request"));
		// Closed once the answer is out; at most a second later if the client does not read it.
		const timer = setTimeout(() => socket.destroy(), 1000);
		timer.unref();
		socket.end(answer, () => {
			clearTimeout(timer);
			socket.destroy();
		});
		return;
	}
	socket.destroy();
}
