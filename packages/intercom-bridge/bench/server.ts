/**
 * A benchmark server in its own process (so the load generator does not share its event loop).
 * `BENCH_MODE=bridge` serves the bridge (webhooks under /intercom, and a page at `/page` with the
 * Messenger helper, at `/bare` without it, at `/padded?bytes=N` without it but N bytes longer, and
 * at `/floor?bytes=N` with only what any helper must add (N bytes with its header, one await);
 * `/median/page` and `/median/bare` are the same for a page of the median web page's size;
 * `/app/page` and `/app/bare` for a product list a Hono app renders (with the bridge's middleware); `/ab`
 * serves two of those variants in alternating slices of time, see time-slices.ts);
 * `BENCH_MODE=baseline` serves the bare baseline; `BENCH_MODE=pglite-baseline` the bare baseline on
 * PGlite (pglite-baseline.ts).
 * `DATABASE_URL` picks PostgreSQL (seeded by the parent); without it, a PGlite seeded here: on a data
 * directory on disk with `BENCH_PGLITE_DISK=1` (as the default store runs), else in memory.
 * Talks to the parent over IPC: `ready` with what the load needs, then `stats` and `rss` on request.
 */
import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { html, raw } from "hono/html";
import { type IntercomHonoVariables, intercomHono } from "../src/adapters/hono.ts";
import { nodeMessengerScript, toNodeHandler } from "../src/adapters/node.ts";
import { createIntercomBridge, PERSONAL_PAGE_CACHE_CONTROL } from "../src/bridge/create-intercom-bridge.ts";
import { createLogger } from "../src/logger.ts";
import { startBaseline } from "./baseline.ts";
import { openCountedStore } from "./counted-store.ts";
import { benchPgliteDir, startPgliteBaseline } from "./pglite-baseline.ts";
import { BROWSER_UA, PAGE_TEXT, pageHtml, type Seeded, seedBenchStore } from "./seed.ts";
import { createSlicer } from "./time-slices.ts";

/** The products of the framework-rendered page: 30, with names that need escaping. */
const PRODUCTS = Array.from({ length: 30 }, (_, i) => ({
	id: i + 1,
	name: `Coffee <${i + 1}> & beans "single origin"`,
	price: (3 + i * 1.37).toFixed(2),
	tags: ["arabica", "fair trade"],
}));

type Command =
	| { type: "stats" }
	| { type: "rss" }
	/** Serve `/ab` (and `/median/ab`) as `variants[0]`, then `[1]`, alternating every `sliceMs`. */
	| { type: "slice"; variants: [string, string]; sliceMs: number }
	| { type: "sliceStop" };

/** The bytes the helper's header takes in a response: "cache-control: private, no-store\r\n". */
const CACHE_CONTROL_LINE = "cache-control".length + PERSONAL_PAGE_CACHE_CONTROL.length + 4;
/** N of a `/padded?bytes=N` or `/floor?bytes=N` variant. */
const bytesOf = (variant: string) => Number(variant.split("=")[1] ?? 0);
/** `build(n)` memoised per `n`. */
function builtOncePerLength<T>(build: (n: number) => T): (n: number) => T {
	const built = new Map<number, T>();
	return (n) => {
		let value = built.get(n);
		if (value === undefined) {
			value = build(n);
			built.set(n, value);
		}
		return value;
	};
}
const send = (message: unknown) => process.send?.(message);
const cpuMicros = () => {
	const { user, system } = process.cpuUsage();
	return user + system;
};
const url = process.env.DATABASE_URL ?? null;
const secretKey = Buffer.from(process.env.BENCH_SECRET_KEY ?? "", "base64");

async function main() {
	if (process.env.BENCH_MODE === "baseline") {
		const seeded = JSON.parse(process.env.BENCH_SEEDED ?? "{}") as Seeded;
		if (!url) throw new Error("the baseline needs DATABASE_URL");
		const baseline = await startBaseline({ url, ...seeded });
		send({ type: "ready", port: baseline.port });
		process.on("message", () =>
			send({ type: "stats", queries: 0, recent: [], rss: process.memoryUsage().rss, cpuMicros: cpuMicros() }),
		);
		return;
	}
	if (process.env.BENCH_MODE === "pglite-baseline") {
		const seeded = JSON.parse(process.env.BENCH_SEEDED ?? "{}") as Seeded;
		const baseline = await startPgliteBaseline(seeded);
		send({ type: "ready", port: baseline.port });
		process.on("message", () =>
			send({ type: "stats", queries: 0, recent: [], rss: process.memoryUsage().rss, cpuMicros: cpuMicros() }),
		);
		return;
	}
	const dataDir = !url && process.env.BENCH_PGLITE_DISK ? await benchPgliteDir() : null;
	const { store, queries, recent } = await openCountedStore(url, secretKey, dataDir);
	await store.prepare();
	const seeded = url ? null : await seedBenchStore(store);
	// All load comes from 127.0.0.1: the per-address limit on new contacts would cap the
	// anonymous-visitor measurement at 60 a minute.
	const bridge = createIntercomBridge({
		store,
		logger: createLogger({ level: "silent" }),
		newContactsPerMinute: 0,
	});
	const intercom = toNodeHandler(bridge);
	let slicer: ReturnType<typeof createSlicer> | null = null;
	// Built once per length: building it per request cost about 1.6% by itself, which the padded
	// page then wrongly put on the bytes.
	const padding = builtOncePerLength((n) => `<!--${"-".repeat(Math.max(0, n - 7))}-->`);
	// The same padding as hono/html takes a script: an escaped String, like the helper's.
	const rawPadding = builtOncePerLength((n) => raw(padding(n)));
	let sliceVariants: [string, string] = ["/bare", "/bare"];
	// A page a framework renders: a Hono app with the bridge's middleware, building a product list
	// with hono/html (escaping every value) per request. `/app/bare`, `/app/page`, `/app/ab`.
	const shop = new Hono<{ Variables: IntercomHonoVariables }>();
	shop.use(intercomHono(bridge));
	shop.get("/app/:variant", async (c) => {
		const slice = c.req.param("variant") === "ab" ? slicer : null;
		const variant = slice ? sliceVariants[slice.variant] : `/${c.req.param("variant")}`;
		// As the README recommends: the script as it is, no await, no raw().
		// `/floor?bytes=N` and `/padded?bytes=N` as on the 2 KB page (below), without an await: the
		// helper serves a known visitor's script here synchronously (decision 0045).
		let scripts: ReturnType<IntercomHonoVariables["intercomScripts"]> | "" = "";
		if (variant === "/page") scripts = c.get("intercomScripts")();
		else if (variant.startsWith("/padded")) scripts = rawPadding(bytesOf(variant));
		else if (variant.startsWith("/floor")) {
			scripts = rawPadding(bytesOf(variant) - CACHE_CONTROL_LINE);
			c.header("cache-control", PERSONAL_PAGE_CACHE_CONTROL);
		}
		const res = c.html(
			html`<!doctype html><html><head><meta charset="utf-8"><title>Coffee shop</title></head><body><h1>Our coffees</h1><ul>${PRODUCTS.map(
				(p) =>
					html`<li id="p${p.id}"><a href="/products/${p.id}">${p.name}</a> <span class="price">${p.price} €</span>${p.tags.map((t) => html` <em>${t}</em>`)}</li>`,
			)}</ul>${scripts}</body></html>`,
		);
		slice?.served();
		return res;
	});
	const shopListener = getRequestListener(shop.fetch);
	const server = createServer(async (req, res) => {
		try {
			const path = req.url ?? "/";
			if (bridge.ownsPath(path.split("?")[0] ?? path)) return await intercom(req, res);
			if (path.startsWith("/app/")) return await shopListener(req, res);
			const median = path.startsWith("/median/");
			let variant = median ? path.slice(7) : path;
			const slice = variant === "/ab" ? slicer : null;
			if (variant === "/ab") variant = sliceVariants[slicer?.variant ?? 0];
			// `/padded?bytes=N`: the bare page with N bytes of comment, as many as the helper adds.
			// `/floor?bytes=N`: what any helper must add, without its work: the same bytes (the
			// Cache-Control line counted in them), that header, and one await.
			let scripts = "";
			if (variant.startsWith("/page")) scripts = await nodeMessengerScript(bridge, req, res);
			else if (variant.startsWith("/padded")) scripts = padding(bytesOf(variant));
			else if (variant.startsWith("/floor")) {
				scripts = await Promise.resolve(padding(bytesOf(variant) - CACHE_CONTROL_LINE));
				res.setHeader("cache-control", PERSONAL_PAGE_CACHE_CONTROL);
			}
			res.setHeader("content-type", "text/html; charset=utf-8");
			res.end(pageHtml(scripts, median ? PAGE_TEXT.median : PAGE_TEXT.small));
			slice?.served();
		} catch {
			res.statusCode = 503;
			res.end();
		}
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const address = server.address();
	const port = typeof address === "object" && address ? address.port : 0;
	// A known visitor: the cookie of a contact created the way a first page view creates one.
	const first = new Request(`http://127.0.0.1:${port}/page`, { headers: { "user-agent": BROWSER_UA } });
	const cookie = (await bridge.visit(first)).setCookie?.split(";")[0] ?? "";
	send({ type: "ready", port, seeded, cookie });
	process.on("message", (command: Command) => {
		if (command.type === "slice") {
			sliceVariants = command.variants;
			slicer = createSlicer({ sliceMs: command.sliceMs, cpuMicros });
			send({ type: "slicing" });
			return;
		}
		if (command.type === "sliceStop") {
			const slices = slicer?.stop() ?? [];
			slicer = null;
			send({ type: "slices", slices });
			return;
		}
		if (command.type === "rss") {
			// Two collections: the first may only schedule finalisers.
			globalThis.gc?.();
			globalThis.gc?.();
		}
		send({
			type: "stats",
			queries: queries(),
			recent: recent(),
			rss: process.memoryUsage().rss,
			cpuMicros: cpuMicros(),
		});
	});
}

main().catch((err: unknown) => {
	process.stderr.write(`bench server failed: ${(err as Error).stack ?? String(err)}\n`);
	process.exit(1);
});
// Exit normally on SIGINT so --cpu-prof can write its profile.
process.on("SIGINT", () => process.exit(0));
