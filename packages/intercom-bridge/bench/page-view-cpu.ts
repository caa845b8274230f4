/**
 * In-process CPU of one cached page view (a known visitor seen moments ago), without sockets or
 * load generator: the node:http helper (`nodeMessengerScript`) against what any helper must add
 * (one await and the Cache-Control header), and the Hono page with and without the helper.
 * For profiling (`--cpu-prof`) and for µs/view that the shared machine's noise barely moves.
 *
 *   node --conditions=dev-source packages/intercom-bridge/bench/page-view-cpu.ts [iterations]
 *
 * ONLY=appBare,appPadded,appPage,appAwaited (comma-separated case names) runs only those cases;
 * ROUNDS sets the rounds (30). appPage uses the Hono helper as the README shows (no await, no
 * raw()); appAwaited as it was used before (await, then raw()).
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { html, raw } from "hono/html";
import { type IntercomHonoVariables, intercomHono } from "../src/adapters/hono.ts";
import { nodeMessengerScript } from "../src/adapters/node.ts";
import { createIntercomBridge, PERSONAL_PAGE_CACHE_CONTROL } from "../src/bridge/create-intercom-bridge.ts";
import { createLogger } from "../src/logger.ts";
import { openCountedStore } from "./counted-store.ts";
import { BROWSER_UA, pageHtml, seedBenchStore } from "./seed.ts";

const iterations = Number(process.argv[2] ?? 200_000);
const only = process.env.ONLY?.split(",");
const { store } = await openCountedStore(null, randomBytes(32));
await store.prepare();
await seedBenchStore(store);
const bridge = createIntercomBridge({
	store,
	logger: createLogger({ level: "silent" }),
	newContactsPerMinute: 0,
});
const first = new Request("http://127.0.0.1:8080/page", { headers: { "user-agent": BROWSER_UA } });
const cookie = (await bridge.visit(first)).setCookie?.split(";")[0] ?? "";

const socket = { remoteAddress: "127.0.0.1", encrypted: false };
const nodeReq = () =>
	({
		method: "GET",
		url: "/page",
		headers: {
			host: "127.0.0.1:8080",
			"user-agent": BROWSER_UA,
			cookie,
			connection: "keep-alive",
		},
		socket,
	}) as unknown as IncomingMessage;
const nodeRes = () => {
	const headers: Record<string, unknown> = {};
	return {
		headers,
		setHeader(name: string, value: unknown) {
			headers[name] = value;
			return this;
		},
		appendHeader(name: string, value: unknown) {
			headers[name] = value;
			return this;
		},
	} as unknown as ServerResponse & { headers: Record<string, unknown> };
};
const sink: unknown[] = [];
const padding = `<!--${"-".repeat(700)}-->`;

const PRODUCTS = Array.from({ length: 30 }, (_, i) => ({
	id: i + 1,
	name: `Coffee <${i + 1}> & beans "single origin"`,
	price: (3 + i * 1.37).toFixed(2),
	tags: ["arabica", "fair trade"],
}));
const shop = new Hono<{ Variables: IntercomHonoVariables }>();
shop.use(intercomHono(bridge));
shop.get("/app/:variant", async (c) => {
	const variant = c.req.param("variant");
	// The page as the README recommends: the script as it is, no await, no raw(). `awaited`: as it
	// was written before (an await, then raw()), for comparison (docs/decisions/0045).
	const scripts =
		variant === "page"
			? c.get("intercomScripts")()
			: variant === "awaited"
				? raw(await c.get("intercomScripts")())
				: variant === "padded"
					? raw(await Promise.resolve(padding))
					: "";
	return c.html(
		html`<!doctype html><html><head><meta charset="utf-8"><title>Coffee shop</title></head><body><h1>Our coffees</h1><ul>${PRODUCTS.map(
			(p) =>
				html`<li id="p${p.id}"><a href="/products/${p.id}">${p.name}</a> <span class="price">${p.price} €</span>${p.tags.map((t) => html` <em>${t}</em>`)}</li>`,
		)}</ul>${scripts}</body></html>`,
	);
});
// A bare app without the middleware: what the app costs by itself.
const plain = new Hono();
plain.get("/app/:variant", async (c) =>
	c.html(
		html`<!doctype html><html><head><meta charset="utf-8"><title>Coffee shop</title></head><body><h1>Our coffees</h1><ul>${PRODUCTS.map(
			(p) =>
				html`<li id="p${p.id}"><a href="/products/${p.id}">${p.name}</a> <span class="price">${p.price} €</span>${p.tags.map((t) => html` <em>${t}</em>`)}</li>`,
		)}</ul></body></html>`,
	),
);

// Through @hono/node-server's own listener, as the bench server serves the app: its Request from
// the Node request, and its way of writing the Response (a String body, as hono/html makes, goes
// through a full Response and its ReadableStream). The Node response is a stand-in that takes the
// status line, the headers and the body's chunks.
const incomingFor = (path: string) =>
	({
		...nodeReq(),
		url: path,
		rawHeaders: ["host", "127.0.0.1:8080", "user-agent", BROWSER_UA, "cookie", cookie],
	}) as unknown as IncomingMessage;
const outgoing = () =>
	({
		writable: true,
		_contentLength: null,
		_hasBody: true,
		useChunkedEncodingByDefault: true,
		writeHead(_status: number, headers: unknown) {
			sink[64] = headers;
			return this;
		},
		hasHeader: () => false,
		write: (chunk: unknown) => {
			sink[65] = chunk;
			return true;
		},
		end(chunk?: unknown) {
			if (chunk) sink[65] = chunk;
			return this;
		},
		on() {
			return this;
		},
		once() {
			return this;
		},
		flushHeaders() {},
	}) as unknown as ServerResponse;
const listeners = new Map([shop, plain].map((app) => [app, getRequestListener(app.fetch)]));
const appCall = (app: { fetch: Hono["fetch"] }, path: string) =>
	(listeners.get(app as Hono) as ReturnType<typeof getRequestListener>)(incomingFor(path), outgoing());

const cases: Record<string, () => Promise<unknown>> = {
	bare: async () => {
		const res = nodeRes();
		res.setHeader("content-type", "text/html; charset=utf-8");
		return pageHtml("");
	},
	floor: async () => {
		const res = nodeRes();
		const scripts = await Promise.resolve(padding);
		res.setHeader("cache-control", PERSONAL_PAGE_CACHE_CONTROL);
		res.setHeader("content-type", "text/html; charset=utf-8");
		return pageHtml(scripts);
	},
	page: async () => {
		const res = nodeRes();
		const scripts = await nodeMessengerScript(bridge, nodeReq(), res);
		res.setHeader("content-type", "text/html; charset=utf-8");
		return pageHtml(scripts);
	},
	appPlain: () => appCall(plain, "/app/bare"),
	appBare: () => appCall(shop, "/app/bare"),
	appPadded: () => appCall(shop, "/app/padded"),
	appPage: () => appCall(shop, "/app/page"),
	appAwaited: () => appCall(shop, "/app/awaited"),
};

async function time(name: string, fn: () => Promise<unknown>, n: number) {
	const t0 = process.cpuUsage();
	const start = performance.now();
	for (let i = 0; i < n; i++) sink[i & 63] = await fn();
	const cpu = process.cpuUsage(t0);
	return { name, wallUs: ((performance.now() - start) * 1000) / n, cpuUs: (cpu.user + cpu.system) / n };
}
const names = Object.keys(cases).filter((n) => !only || only.includes(n));
for (const name of names)
	await time(name, cases[name] as () => Promise<unknown>, Math.min(20_000, iterations)); // warm-up
// Short blocks of each case in turn, and each difference taken within a round (its median
// reported): the shared machine's drift then hits both sides of a difference alike.
const rounds = Number(process.env.ROUNDS ?? 30);
const results = new Map<string, number[]>();
for (let r = 0; r < rounds; r++) {
	// A different order each round, and (with --expose-gc) a collection before each block: a
	// block then pays for its own garbage, not for the block before it.
	for (const name of [...names.slice(r % names.length), ...names.slice(0, r % names.length)]) {
		globalThis.gc?.();
		const n = Math.max(1, Math.round((name.startsWith("app") ? iterations / 10 : iterations) / rounds));
		const { cpuUs } = await time(name, cases[name] as () => Promise<unknown>, n);
		results.set(name, [...(results.get(name) ?? []), cpuUs]);
	}
}
const median = (values: number[]) =>
	[...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? Number.NaN;
for (const name of names)
	process.stdout.write(
		`${name}: ${median(results.get(name) ?? []).toFixed(2)} µs/view (median of ${rounds} rounds)\n`,
	);
const difference = (label: string, b: string, a: string) => {
	const bs = results.get(b);
	const as = results.get(a);
	if (!bs || !as) return;
	const d = median(bs.map((v, i) => v - (as[i] ?? Number.NaN)));
	process.stdout.write(`${label} (${b} − ${a}): ${d.toFixed(2)} µs/view\n`);
};
difference("helper's own work on node:http", "page", "floor");
difference("the helper's bytes on the Hono page", "appPadded", "appBare");
difference("helper's own work on the Hono page", "appPage", "appPadded");
difference("the helper on the Hono page", "appPage", "appBare");
difference("the helper used with an await and raw()", "appAwaited", "appBare");
// The bridge keeps timers (background re-checks): end here, which also writes a --cpu-prof profile.
process.exit(0);
