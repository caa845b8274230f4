/**
 * The webhook suite (test/webhooks) through every framework adapter over a real loopback server:
 * raw bodies, headers, status codes and JSON errors must come through each adapter unchanged.
 */
import { once } from "node:events";
import { request as httpRequest } from "node:http";
import { afterAll } from "vitest";
import { createIntercomBridge } from "../../src/bridge/create-intercom-bridge.ts";
import { createLogger } from "../../src/logger.ts";
import { pgliteFactory } from "../harness/databases.ts";
import { type MountFn, webhookCases } from "../webhooks/webhook-cases.ts";
import { ADAPTERS, type AdapterName, type MountedApp } from "./mount-adapters.ts";

const servers: MountedApp[] = [];
afterAll(async () => {
	await Promise.all(servers.splice(0).map((s) => s.close()));
});

/**
 * Sends a Fetch Request to `base` over node:http, keeping its Host header (the site is chosen by
 * Host) and streaming its body, so an adapter that stops reading early is seen to do so.
 */
function send(base: string, request: Request): Promise<Response> {
	return new Promise<Response>((resolve, reject) => {
		const url = new URL(request.url);
		const target = new URL(base);
		const headers: Record<string, string> = Object.fromEntries(request.headers);
		headers.host = url.host;
		let responded = false;
		const req = httpRequest({
			host: target.hostname,
			port: target.port,
			method: request.method,
			path: `${url.pathname}${url.search}`,
			headers,
		});
		req.on("response", (res) => {
			responded = true;
			const chunks: Buffer[] = [];
			res.on("data", (c: Buffer) => chunks.push(c));
			res.on("end", () => {
				const out = new Headers();
				for (const [k, v] of Object.entries(res.headers)) {
					if (Array.isArray(v)) for (const x of v) out.append(k, x);
					else if (v !== undefined) out.set(k, v);
				}
				const status = res.statusCode ?? 500;
				resolve(
					new Response(status === 204 || request.method === "HEAD" ? null : Buffer.concat(chunks), {
						status,
						headers: out,
					}),
				);
			});
		});
		req.on("error", (err) => {
			if (!responded) reject(err);
		});
		const body = request.body;
		if (!body) return void req.end();
		void (async () => {
			const reader = body.getReader();
			try {
				for (;;) {
					if (responded || req.destroyed) return void (await reader.cancel());
					const { done, value } = await reader.read();
					if (done) break;
					if (!req.write(value)) await once(req, "drain");
				}
				req.end();
			} catch {
				// The server closed the connection after answering early: that is the point.
			}
		})();
	});
}

for (const name of ["node", "express", "fastify", "hono", "next"] as AdapterName[]) {
	const mount: MountFn = async ({ store, basePath, webhooks, now, logger }) => {
		const bridge = createIntercomBridge({
			store,
			basePath,
			webhooks,
			now,
			logger: logger ?? createLogger({ level: "silent" }),
		});
		const app = await ADAPTERS[name](bridge);
		servers.push(app);
		return (request: Request) => send(app.url, request);
	};
	webhookCases({
		label: `${name} on pglite`,
		factory: pgliteFactory,
		mount,
		maxPulledBytes: 8 * 1024 * 1024,
		knowsClientAddress: name !== "next",
	});
}
