import { type Context, Hono } from "hono";
import { html, raw } from "hono/html";
import { jsx } from "hono/jsx";
import { describe, expect, it } from "vitest";
import type { IntercomBridge, MessengerPage } from "../bridge/create-intercom-bridge.ts";
import { type IntercomHonoVariables, intercomHono } from "./hono.ts";

const SCRIPT = "<script>/* messenger */</script>";
const KNOWN: MessengerPage = { html: SCRIPT, setCookie: null, cacheControl: "private, no-store" };
const NEW: MessengerPage = {
	html: SCRIPT,
	setCookie: "ib_contact=abc; Path=/",
	cacheControl: "private, no-store",
};
const CACHE_SAFE: MessengerPage = { html: SCRIPT, setCookie: null, cacheControl: null };

/** A bridge whose page() answers `answer` (a page, a promise of one, or a throw), counting calls. */
function stubBridge(answer: () => MessengerPage | Promise<MessengerPage>) {
	const calls = { page: 0 };
	const bridge = {
		ownsPath: () => false,
		messenger: {
			page: () => {
				calls.page++;
				return answer();
			},
		},
	} as unknown as IntercomBridge;
	return { bridge, calls };
}

type Route = (c: Context<{ Variables: IntercomHonoVariables }>) => Response | Promise<Response>;

/** An app with the middleware and one page route. */
function appWith(bridge: IntercomBridge, route: Route) {
	const app = new Hono<{ Variables: IntercomHonoVariables }>();
	app.use(intercomHono(bridge));
	app.get("/", route as never);
	return app;
}

const cases: [string, () => MessengerPage | Promise<MessengerPage>][] = [
	["from memory (synchronous)", () => KNOWN],
	["resolved (a promise)", () => Promise.resolve(KNOWN)],
];

describe("intercomHono", () => {
	describe.each(cases)("a known visitor's page %s", (_, answer) => {
		it("carries the script and Cache-Control: private, no-store, without Set-Cookie", async () => {
			const app = appWith(stubBridge(answer).bridge, async (c) =>
				c.html(html`<body>${raw(await c.get("intercomScripts")())}</body>`),
			);
			const res = await app.request("/");
			expect(await res.text()).toBe(`<body>${SCRIPT}</body>`);
			expect(res.headers.get("cache-control")).toBe("private, no-store");
			expect(res.headers.get("set-cookie")).toBeNull();
			expect(res.headers.get("content-type")).toBe("text/html; charset=UTF-8");
		});

		it("wins over the route's own Cache-Control, however the route sets it", async () => {
			const routes: Route[] = [
				async (c) => {
					const scripts = await c.get("intercomScripts")();
					c.header("Cache-Control", "public, max-age=600");
					return c.html(`<body>${scripts}</body>`);
				},
				async (c) => {
					c.header("Cache-Control", "public, max-age=600");
					return c.html(`<body>${await c.get("intercomScripts")()}</body>`);
				},
				async (c) =>
					c.html(`<body>${await c.get("intercomScripts")()}</body>`, 200, {
						"Cache-Control": "public, max-age=600",
					}),
				async (c) =>
					new Response(`<body>${await c.get("intercomScripts")()}</body>`, {
						headers: { "content-type": "text/html", "cache-control": "public, max-age=600" },
					}),
			];
			for (const route of routes) {
				const res = await appWith(stubBridge(answer).bridge, route).request("/");
				expect(await res.text()).toBe(`<body>${SCRIPT}</body>`);
				expect(res.headers.get("cache-control")).toBe("private, no-store");
			}
		});
	});

	it("gives a visitor served from memory the script at once, as escaped HTML, the same object each view", async () => {
		const { bridge } = stubBridge(() => KNOWN);
		const seen: unknown[] = [];
		const app = appWith(bridge, (c) => {
			const scripts = c.get("intercomScripts")();
			seen.push(scripts);
			return c.html(html`<body>${scripts}</body>`);
		});
		for (let i = 0; i < 2; i++) expect(await (await app.request("/")).text()).toBe(`<body>${SCRIPT}</body>`);
		expect(seen[0]).not.toBeInstanceOf(Promise);
		expect(String(seen[0])).toBe(SCRIPT);
		expect((seen[0] as { isEscaped?: boolean }).isEscaped).toBe(true);
		expect(seen[1]).toBe(seen[0]);
	});

	it("gives a promise when the bridge must wait", async () => {
		const { bridge } = stubBridge(() => Promise.resolve(NEW));
		let scripts: unknown;
		const app = appWith(bridge, (c) => {
			scripts = c.get("intercomScripts")();
			return c.html(html`<body>${scripts}</body>`);
		});
		const res = await app.request("/");
		expect(scripts).toBeInstanceOf(Promise);
		expect(await res.text()).toBe(`<body>${SCRIPT}</body>`);
		expect(res.headers.get("set-cookie")).toBe("ib_contact=abc; Path=/");
	});

	describe.each(cases)("without raw() or await, a page %s", (_, answer) => {
		it("renders the script unescaped in a hono/html template", async () => {
			const app = appWith(stubBridge(answer).bridge, (c) =>
				c.html(html`<body><p>${"<b>"}</p>${c.get("intercomScripts")()}</body>`),
			);
			const res = await app.request("/");
			expect(await res.text()).toBe(`<body><p>&lt;b&gt;</p>${SCRIPT}</body>`);
			expect(res.headers.get("cache-control")).toBe("private, no-store");
		});

		it("renders the script unescaped as a JSX child", async () => {
			const app = appWith(stubBridge(answer).bridge, (c) =>
				c.html(jsx("body", {}, jsx("p", {}, "<b>"), c.get("intercomScripts")()).toString()),
			);
			const res = await app.request("/");
			expect(await res.text()).toBe(`<body><p>&lt;b&gt;</p>${SCRIPT}</body>`);
			expect(res.headers.get("cache-control")).toBe("private, no-store");
		});

		it("still works with await, in a plain template string", async () => {
			const app = appWith(stubBridge(answer).bridge, async (c) =>
				c.html(`<body>${await c.get("intercomScripts")()}</body>`),
			);
			expect(await (await app.request("/")).text()).toBe(`<body>${SCRIPT}</body>`);
		});
	});

	it("sets the new visitor's cookie beside the route's own cookies", async () => {
		for (const answer of [() => NEW, () => Promise.resolve(NEW)]) {
			const app = appWith(stubBridge(answer).bridge, async (c) => {
				const scripts = await c.get("intercomScripts")();
				c.header("Set-Cookie", "theme=dark; Path=/", { append: true });
				return c.html(`<body>${scripts}</body>`);
			});
			const res = await app.request("/");
			expect(res.headers.getSetCookie().sort()).toEqual(["ib_contact=abc; Path=/", "theme=dark; Path=/"]);
			expect(res.headers.get("cache-control")).toBe("private, no-store");
		}
	});

	it("leaves a cache-safe page's Cache-Control to the route", async () => {
		for (const answer of [() => CACHE_SAFE, () => Promise.resolve(CACHE_SAFE)]) {
			const app = appWith(stubBridge(answer).bridge, async (c) => {
				const scripts = await c.get("intercomScripts")();
				c.header("Cache-Control", "public, max-age=600");
				return c.html(`<body>${scripts}</body>`);
			});
			const res = await app.request("/");
			expect(res.headers.get("cache-control")).toBe("public, max-age=600");
			expect(res.headers.get("set-cookie")).toBeNull();
		}
	});

	it("adds nothing to a page that does not ask for the script", async () => {
		const { bridge, calls } = stubBridge(() => NEW);
		const res = await appWith(bridge, (c) => c.html("<body>plain</body>")).request("/");
		expect(await res.text()).toBe("<body>plain</body>");
		expect(res.headers.get("cache-control")).toBeNull();
		expect(res.headers.get("set-cookie")).toBeNull();
		expect(calls.page).toBe(0);
	});

	it("asks again for the Set-Cookie when the script failed and the page went out without it", async () => {
		let failed = false;
		const { bridge, calls } = stubBridge(() => {
			if (failed) return NEW;
			failed = true;
			return Promise.reject(new Error("database down"));
		});
		const app = appWith(bridge, async (c) => {
			let scripts = "";
			try {
				scripts = await c.get("intercomScripts")();
			} catch {}
			return c.html(`<body>${scripts}</body>`);
		});
		const res = await app.request("/");
		expect(await res.text()).toBe("<body></body>");
		expect(res.headers.get("set-cookie")).toBe("ib_contact=abc; Path=/");
		expect(calls.page).toBe(2);
	});
});
