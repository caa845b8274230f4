/**
 * Fastify 5 plugin: serves the bridge's routes (raw bodies kept for signature checks) and adds
 * `reply.intercomScripts()`, which returns the Messenger script and sets the visitor cookie.
 *
 * @example
 * import Fastify from "fastify";
 * import { intercomFastify } from "intercom-bridge/fastify";
 * const app = Fastify();
 * await app.register(intercomFastify, { bridge });
 * app.get("/", async (req, reply) => reply.type("text/html").send(`<html><body>Shop${await reply.intercomScripts()}</body></html>`));
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import fp from "fastify-plugin";
import type { IntercomBridge, ScriptOptions } from "../bridge/create-intercom-bridge.ts";
import { knownResponseText } from "../http/known-body.ts";
import { nodeVisitorRequest, toBridgeRequest } from "../http/node-request.ts";

declare module "fastify" {
	interface FastifyReply {
		/** The Messenger script for this request's visitor; sets the visitor cookie when needed. */
		intercomScripts(options?: ScriptOptions): Promise<string>;
	}
	interface FastifyInstance {
		intercom: IntercomBridge;
	}
}

async function plugin(app: FastifyInstance, opts: { bridge: IntercomBridge }) {
	const { bridge } = opts;
	const limit = bridge.options.webhooks.bodyLimitBytes ?? 64 * 1024;
	app.decorate("intercom", bridge);
	app.decorateReply("intercomScripts", async function (this: FastifyReply, options?: ScriptOptions) {
		const { html, setCookie, cacheControl } = await bridge.messenger.page(
			nodeVisitorRequest(this.request.raw),
			options,
		);
		if (setCookie) this.header("set-cookie", setCookie);
		if (cacheControl) this.header("cache-control", cacheControl);
		return html;
	});
	// A child context so raw-body parsing applies only to the bridge's own routes.
	await app.register(async (child) => {
		// Fastify refuses a body without Content-Type before any parser runs; let it through
		// (marked) so the bridge answers with its own 415, as every other adapter does.
		const noType = new WeakSet<object>();
		child.addHook("onRequest", async (req) => {
			const hasBody =
				req.headers["content-length"] !== undefined || req.headers["transfer-encoding"] !== undefined;
			if (hasBody && !req.headers["content-type"]) {
				noType.add(req.raw);
				req.headers["content-type"] = "application/octet-stream";
			}
		});
		child.removeAllContentTypeParsers();
		child.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: limit }, (_req, body, done) =>
			done(null, body),
		);
		child.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
			const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
			const message =
				status === 413
					? `The body is larger than ${limit} bytes.`
					: status === 500
						? "Internal error."
						: err.message;
			return reply
				.code(status)
				.send({ error: { code: status === 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST", message } });
		});
		const route = async (
			req: { raw: FastifyReply["request"]["raw"]; body: unknown },
			reply: FastifyReply,
		) => {
			const body = req.body instanceof Uint8Array ? req.body : undefined;
			const request = toBridgeRequest(req.raw, body);
			if (noType.has(req.raw)) request.headers.delete("content-type");
			const response = await bridge.handler(request, { clientAddress: req.raw.socket?.remoteAddress });
			reply.code(response.status);
			for (const [name, value] of response.headers) if (name !== "set-cookie") reply.header(name, value);
			const cookies = response.headers.getSetCookie();
			if (cookies.length) reply.header("set-cookie", cookies);
			return reply.send(knownResponseText(response) ?? Buffer.from(await response.arrayBuffer()));
		};
		const base = bridge.options.basePath;
		child.route({
			method: ["GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"],
			url: `${base}/*`,
			handler: route,
		});
	});
}

/** The plugin; register it with `{ bridge }`. */
export const intercomFastify = fp(plugin, { name: "intercom-bridge", fastify: "5.x" });
