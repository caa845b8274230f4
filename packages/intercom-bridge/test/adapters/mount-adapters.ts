/**
 * One tiny app per framework adapter, each serving the same page (`/`, the Messenger script before
 * `</body>`), a JSON route (`/api/ping`), and the bridge's routes. Used by the adapter conformance
 * suite and the browser tests.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { serve } from "@hono/node-server";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import { intercomExpress } from "../../src/adapters/express.ts";
import { intercomFastify } from "../../src/adapters/fastify.ts";
import { type IntercomHonoVariables, intercomHono } from "../../src/adapters/hono.ts";
import { nextMessengerScript, toNextHandler } from "../../src/adapters/next.ts";
import {
	nodeMessengerScript,
	toNodeHandler,
	toWebRequest,
	writeWebResponse,
} from "../../src/adapters/node.ts";
import type { IntercomBridge } from "../../src/bridge/create-intercom-bridge.ts";
import type { MessengerPageSettings } from "../../src/messenger/page-settings.ts";

/** The page settings a path of the apps asks for (`/help`, `/forged`), or none. */
const settingsFor = (path: string) =>
	path === "/help" ? HELP_SETTINGS : path === "/forged" ? FORGED_SETTINGS : undefined;

/**
 * Messenger settings the `/help` page of every app adds for itself, hostile on purpose: a value
 * that would end the script element, and U+2028 (a line break to older JavaScript parsers).
 */
export const HELP_SETTINGS: MessengerPageSettings = {
	hide_default_launcher: true,
	language_override: "</script><script>alert(1)</script>",
	help_topic: "line\u2028break",
};

/** Settings the `/forged` page tries: an identity field, which the bridge must refuse. */
export const FORGED_SETTINGS: MessengerPageSettings = { user_id: "someone-else" };

export interface MountedApp {
	url: string;
	close(): Promise<void>;
}

/** The page every adapter serves, with a hostile-looking title to prove nothing else is escaped away. */
export const page = (scripts: string, nonce = "") =>
	`<!doctype html><html><head><meta charset="utf-8"><title>Coffee</title></head><body data-nonce="${nonce}"><h1>Coffee shop</h1><button id="cta">Buy</button>${scripts}</body></html>`;

function listen(server: Server): Promise<MountedApp> {
	return new Promise((resolve) => {
		server.listen(0, "127.0.0.1", () => {
			const { port } = server.address() as AddressInfo;
			resolve({
				url: `http://127.0.0.1:${port}`,
				close: () =>
					new Promise<void>((done) => {
						server.closeAllConnections();
						server.close(() => done());
					}),
			});
		});
	});
}

export type AdapterName = "node" | "express" | "fastify" | "hono" | "next";

export const ADAPTERS: Record<AdapterName, (bridge: IntercomBridge) => Promise<MountedApp>> = {
	async node(bridge) {
		const intercom = toNodeHandler(bridge);
		return listen(
			createServer(async (req, res) => {
				const path = new URL(req.url ?? "/", "http://x").pathname;
				if (bridge.ownsPath(path)) return intercom(req, res);
				if (path === "/api/ping")
					return void res.setHeader("content-type", "application/json").end('{"ok":true}');
				try {
					const scripts = await nodeMessengerScript(bridge, req, res, { settings: settingsFor(path) });
					res.setHeader("content-type", "text/html; charset=utf-8").end(page(scripts));
				} catch {
					res.statusCode = 500;
					res.end("page failed");
				}
			}),
		);
	},
	async express(bridge) {
		const app = express();
		app.use(intercomExpress(bridge));
		app.use(express.json());
		app.get("/api/ping", (_req, res) => void res.json({ ok: true }));
		app.get("/", (_req, res) => void res.type("html").send(page(res.locals.intercomScripts)));
		for (const path of ["/help", "/forged"]) {
			app.get(path, async (_req, res, next) => {
				try {
					res.type("html").send(page(await res.locals.intercomScriptsWith(settingsFor(path))));
				} catch (err) {
					next(err);
				}
			});
		}
		return listen(createServer(app));
	},
	async fastify(bridge) {
		const app = Fastify();
		await app.register(intercomFastify, { bridge });
		app.get("/api/ping", async () => ({ ok: true }));
		app.get("/", async (_req, reply) => reply.type("text/html").send(page(await reply.intercomScripts())));
		for (const path of ["/help", "/forged"]) {
			app.get(path, async (_req, reply) =>
				reply.type("text/html").send(page(await reply.intercomScripts({ settings: settingsFor(path) }))),
			);
		}
		await app.listen({ port: 0, host: "127.0.0.1" });
		const { port } = app.server.address() as AddressInfo;
		return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
	},
	async hono(bridge) {
		const app = new Hono<{ Variables: IntercomHonoVariables }>();
		app.use(intercomHono(bridge));
		app.get("/api/ping", (c) => c.json({ ok: true }));
		app.get("/", async (c) => c.html(page(await c.get("intercomScripts")())));
		for (const path of ["/help", "/forged"]) {
			app.get(path, async (c) =>
				c.html(page(await c.get("intercomScripts")({ settings: settingsFor(path) }))),
			);
		}
		const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
		await new Promise((r) => server.once("listening", r));
		const { port } = server.address() as AddressInfo;
		return {
			url: `http://127.0.0.1:${port}`,
			close: () => new Promise<void>((done) => server.close(() => done())),
		};
	},
	async next(bridge) {
		// What Next.js does with route handlers and a server-component layout, without Next's build:
		// the route handlers get Fetch Requests; the layout gets the request headers.
		const handlers = toNextHandler(bridge);
		return listen(
			createServer(async (req, res) => {
				const path = new URL(req.url ?? "/", "http://x").pathname;
				if (bridge.ownsPath(path)) {
					// Next.js hands route handlers a Request whose body is still a stream.
					const method = (req.method ?? "GET") as keyof typeof handlers;
					const handler = handlers[method] ?? handlers.GET;
					const head = toWebRequest(req);
					const streaming =
						method === "GET" || method === "HEAD"
							? head
							: new Request(head, {
									body: Readable.toWeb(req) as ReadableStream,
									duplex: "half",
								} as RequestInit);
					const response = await handler(streaming);
					if (!req.readableEnded) res.setHeader("connection", "close");
					await writeWebResponse(response, res);
					if (!req.readableEnded) req.destroy();
					return;
				}
				if (path === "/api/ping")
					return void res.setHeader("content-type", "application/json").end('{"ok":true}');
				let script: Awaited<ReturnType<typeof nextMessengerScript>>;
				try {
					script = await nextMessengerScript(bridge, toWebRequest(req).headers, {
						settings: settingsFor(path),
					});
				} catch {
					res.statusCode = 500;
					return void res.end("layout failed");
				}
				const tag = script ? `<script data-cfasync="false">${script.js}</script>` : "";
				res.setHeader("content-type", "text/html; charset=utf-8").end(page(tag));
			}),
		);
	},
};
