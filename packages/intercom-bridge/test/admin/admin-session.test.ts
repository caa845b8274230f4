/** Sign-in, sessions and throttling of the console (docs/reliability.md A1, A4, A8, A11, A12). */
import { count } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminLoginAttempts } from "../../src/store/schema.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { type AdminFixture, adminFixture, browser, hidden, PASSWORD } from "./admin-harness.ts";

let f: AdminFixture;
beforeEach(async () => {
	f = await adminFixture();
});
afterEach(async () => {
	await f.close();
});

describe("sign-in", () => {
	it("sets an HttpOnly, SameSite=Strict session cookie and redirects", async () => {
		const b = browser(f.app);
		const res = await b.signIn();
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/admin");
		const cookie = res.headers.getSetCookie().find((c) => c.startsWith("ib_admin="));
		expect(cookie).toMatch(/HttpOnly/);
		expect(cookie).toMatch(/SameSite=Strict/);
		expect(cookie).toMatch(/Path=\//);
		expect(cookie).not.toMatch(/Domain=/i);
		const token = cookie?.split(";")[0]?.split("=")[1] ?? "";
		expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
		expect((await b.get("/admin/contacts")).status).toBe(200);
	});

	it("uses a __Host- Secure cookie on HTTPS (through a trusted proxy)", async () => {
		const g = await adminFixture({ trustProxy: true });
		try {
			const b = browser(g.app);
			const page = await (await b.get("/admin/login", { "x-forwarded-proto": "https" })).text();
			const res = await b.post(
				"/admin/login",
				{ _login: hidden(page, "_login"), email: "admin@example.com", password: PASSWORD },
				{ "x-forwarded-proto": "https" },
			);
			const cookie = res.headers.getSetCookie().find((c) => c.startsWith("__Host-ib_admin="));
			expect(cookie).toMatch(/Secure/);
			expect(cookie).toMatch(/Path=\//);
			expect(res.headers.get("strict-transport-security")).toMatch(/max-age=31536000/);
		} finally {
			await g.close();
		}
	});

	it("ignores X-Forwarded-Proto without trustProxy", async () => {
		const res = await browser(f.app).get("/admin/login", { "x-forwarded-proto": "https" });
		expect(res.headers.get("strict-transport-security")).toBeNull();
		expect(res.headers.getSetCookie().join()).not.toMatch(/__Host-/);
	});

	it("answers an unknown email and a wrong password alike", async () => {
		const wrong = await browser(f.app).signIn("admin@example.com", "wrong password!!");
		const unknown = await browser(f.app).signIn("nobody@example.com", "wrong password!!");
		expect(wrong.status).toBe(401);
		expect(unknown.status).toBe(401);
		const strip = (s: string) => s.replace(/value="[^"]*"/g, "").replace(/nonce="[^"]*"/g, "");
		expect(strip(await wrong.text())).toBe(strip(await unknown.text()));
	});

	it("refuses a sign-in form without its cookie value", async () => {
		const b = browser(f.app);
		await b.get("/admin/login");
		const res = await b.post("/admin/login", {
			_login: "forged",
			email: "admin@example.com",
			password: PASSWORD,
		});
		expect(res.status).toBe(403);
	});

	it("rotates the session at sign-in: a cookie from before is useless after", async () => {
		const b = browser(f.app);
		await b.signIn();
		const before = b.jar.get("ib_admin") ?? "";
		// Sign in again while holding the old cookie (GET /login would redirect a live session).
		b.jar.delete("ib_admin");
		const page = await (await b.get("/admin/login")).text();
		b.jar.set("ib_admin", before);
		await b.post("/admin/login", {
			_login: hidden(page, "_login"),
			email: "admin@example.com",
			password: PASSWORD,
		});
		const after = b.jar.get("ib_admin");
		expect((await b.get("/admin/contacts")).status).toBe(200);
		expect(after).not.toBe(before);
		const old = await f.app.request("http://admin.test/admin/contacts", {
			headers: { cookie: `ib_admin=${before}` },
		});
		expect(old.status).toBe(302);
	});

	it("signs out server-side: the old cookie no longer works", async () => {
		const b = browser(f.app);
		await b.signIn();
		const token = b.jar.get("ib_admin");
		const csrf = await b.csrf();
		const out = await b.post("/admin/logout", { _csrf: csrf });
		expect(out.status).toBe(303);
		const res = await f.app.request("http://admin.test/admin/logout", {
			method: "POST",
			body: new URLSearchParams({ _csrf: csrf }),
			headers: { cookie: `ib_admin=${token}`, "content-type": "application/x-www-form-urlencoded" },
		});
		expect(res.status).toBe(401);
	});

	it("ends a session after 30 minutes idle and 8 hours in all", async () => {
		const b = browser(f.app);
		await b.signIn();
		f.clock.now += 29 * 60_000;
		expect((await b.get("/admin/contacts")).status).toBe(200);
		f.clock.now += 31 * 60_000;
		expect((await b.get("/admin/contacts")).status).toBe(302);
		await b.signIn();
		for (let i = 0; i < 17; i++) {
			f.clock.now += 29 * 60_000;
			await b.get("/admin/contacts");
		}
		const late = await b.get("/admin/contacts");
		expect(late.status).toBe(302);
		expect(late.headers.get("location")).toMatch(/^\/admin\/login\?next=/);
	});

	it("records sign-ins, successful and failed", async () => {
		await browser(f.app).signIn("admin@example.com", "nope nope nope");
		await browser(f.app).signIn();
		const b = browser(f.app);
		await b.signIn();
		const site = (await f.store.listSites())[0];
		const page = await (await b.get(`/admin/sites/${site?.codeName}/audit`)).text();
		expect(page).toContain("failed");
		expect(page).toContain("signed in");
	});
});

// Every attempt costs a deliberately slow password hash: on a busy machine a dozen take minutes.
describe("throttling", { timeout: 240_000 }, () => {
	it("answers 429 with Retry-After from the 6th failure, for known and unknown emails alike", async () => {
		for (const email of ["admin@example.com", "ghost@example.com"]) {
			const statuses: number[] = [];
			let retryAfter: string | null = null;
			for (let i = 0; i < 7; i++) {
				const res = await browser(f.app).signIn(email, "bad password 123");
				statuses.push(res.status);
				retryAfter ??= res.headers.get("retry-after");
			}
			expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
			expect(Number(retryAfter)).toBeGreaterThan(0);
		}
		// Even the right password waits, then works once the delay passed.
		expect((await browser(f.app).signIn()).status).toBe(429);
		f.clock.now += 16 * 60_000;
		expect((await browser(f.app).signIn()).status).toBe(303);
	});

	it("does not lock the administrator out of a clean address: failures elsewhere do not count", async () => {
		// A limit of 3 instead of 5 keeps the test quick (each attempt costs a scrypt hash).
		const g = await adminFixture({ trustProxy: true, loginLimits: { perEmail: 3 } });
		try {
			// Someone who knows the email fails from one address, more than the failures it is allowed.
			for (let i = 0; i < 4; i++)
				await browser(g.app).signIn("admin@example.com", "bad password 123", "203.0.113.10");
			expect((await browser(g.app).signIn("admin@example.com", PASSWORD, "203.0.113.10")).status).toBe(429);
			// The administrator, from an address without failures, gets in with the right password.
			expect((await browser(g.app).signIn("admin@example.com", PASSWORD, "198.51.100.7")).status).toBe(303);
		} finally {
			await g.close();
		}
	});

	it("still throttles guessing per email and address: the 6th try from one address waits", async () => {
		const g = await adminFixture({ trustProxy: true });
		try {
			const statuses: number[] = [];
			for (let i = 0; i < 6; i++)
				statuses.push(
					(await browser(g.app).signIn("admin@example.com", "bad password 123", "203.0.113.9")).status,
				);
			expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
			// Other emails from that address are not held back by this email's failures.
			expect(
				(await browser(g.app).signIn("ghost@example.com", "bad password 123", "203.0.113.9")).status,
			).toBe(401);
		} finally {
			await g.close();
		}
	});

	it("slows guessing spread over many addresses without refusing the right password from a clean one", async () => {
		const g = await adminFixture({ trustProxy: true, loginLimits: { perEmailAllAddresses: 4 } });
		try {
			// Four addresses, one failure each: the email is now under attack.
			for (let i = 0; i < 4; i++)
				expect(
					(await browser(g.app).signIn("admin@example.com", "bad password 123", `203.0.113.${20 + i}`))
						.status,
				).toBe(401);
			// An address that already failed for this email now waits after a single failure...
			expect(
				(await browser(g.app).signIn("admin@example.com", "bad password 123", "203.0.113.20")).status,
			).toBe(429);
			// ...and a fresh address still gets its try, and the right password works from it.
			expect((await browser(g.app).signIn("admin@example.com", PASSWORD, "198.51.100.7")).status).toBe(303);
		} finally {
			await g.close();
		}
	});

	it("counts IPv6 failures by /64 network, like the other per-address limits", async () => {
		const g = await adminFixture({ trustProxy: true, loginLimits: { perIp: 4 } });
		try {
			// A new address of the same /64 for every try (and a new email): still one sprayer.
			for (let i = 0; i < 4; i++)
				await browser(g.app).signIn(`user${i}@example.com`, "bad password 123", `2001:db8:1:2::${i + 1}`);
			expect(
				(await browser(g.app).signIn("admin@example.com", PASSWORD, "2001:db8:1:2:abcd::9")).status,
			).toBe(429);
			// Another /64 is not affected.
			expect((await browser(g.app).signIn("admin@example.com", PASSWORD, "2001:db8:1:3::1")).status).toBe(
				303,
			);
		} finally {
			await g.close();
		}
	});

	it("limits one IP across emails (with trustProxy)", async () => {
		// A lower limit than the default 20 keeps the test quick (each attempt costs a scrypt hash).
		const g = await adminFixture({ trustProxy: true, loginLimits: { perIp: 6 } });
		try {
			for (let i = 0; i < 6; i++)
				await browser(g.app).signIn(`user${i}@example.com`, "bad password 123", "203.0.113.9");
			expect((await browser(g.app).signIn("admin@example.com", PASSWORD, "203.0.113.9")).status).toBe(429);
			expect((await browser(g.app).signIn("admin@example.com", PASSWORD, "198.51.100.1")).status).toBe(303);
		} finally {
			await g.close();
		}
	});

	it("refuses attempts over the per-minute limit of an address before any database work", async () => {
		const g = await adminFixture({ trustProxy: true, loginLimits: { attemptsPerMinutePerIp: 3 } });
		try {
			const attempts = async () =>
				(await storeInternals(g.store).db.select({ n: count() }).from(adminLoginAttempts))[0]?.n ?? 0;
			const before = await attempts();
			const statuses: number[] = [];
			let refused: Response | undefined;
			for (let i = 0; i < 5; i++) {
				const res = await browser(g.app).signIn(`user${i}@example.com`, "bad password 123", "203.0.113.9");
				statuses.push(res.status);
				if (res.status === 429) refused ??= res;
			}
			expect(statuses).toEqual([401, 401, 401, 429, 429]);
			expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(0);
			expect(await refused?.text()).toMatch(/Too many sign-in attempts from your address/);
			// The refused attempts wrote nothing: three rows, from the three that were checked.
			expect(await attempts()).toBe(before + 3);
			// Another address is not affected, and the limit refills within the minute.
			expect((await browser(g.app).signIn("admin@example.com", PASSWORD, "198.51.100.1")).status).toBe(303);
			g.clock.now += 60_000;
			expect((await browser(g.app).signIn("admin@example.com", PASSWORD, "203.0.113.9")).status).toBe(303);
		} finally {
			await g.close();
		}
	});
});

describe("redirects and default deny", () => {
	it("accepts only console paths as next", async () => {
		for (const next of [
			"//evil.com",
			"/\\evil.com",
			"https://evil.com",
			"%2F%2Fevil.com",
			"javascript:alert(1)",
			"/admin/../x",
			"/other",
		]) {
			const b = browser(f.app);
			const page = await (await b.get(`/admin/login?next=${encodeURIComponent(next)}`)).text();
			const res = await b.post("/admin/login", {
				_login: hidden(page, "_login"),
				next,
				email: "admin@example.com",
				password: PASSWORD,
			});
			expect(res.headers.get("location"), next).toBe("/admin");
		}
		const b = browser(f.app);
		const page = await (await b.get("/admin/login")).text();
		const res = await b.post("/admin/login", {
			_login: hidden(page, "_login"),
			next: "/admin/contacts?q=a",
			email: "admin@example.com",
			password: PASSWORD,
		});
		expect(res.headers.get("location")).toBe("/admin/contacts?q=a");
	});

	it("requires a session on every route but sign-in and assets", async () => {
		const open = new Set(["/admin/login", "/admin/assets/:name"]);
		const routes = f.app.routes.filter((r) => r.method !== "ALL" && !open.has(r.path));
		expect(routes.length).toBeGreaterThan(15);
		for (const r of routes) {
			const path = r.path
				.replace(":site", "default")
				.replace(":guid", "00000000-0000-4000-8000-000000000000")
				.replace(":code", "x");
			const res = await f.app.request(`http://admin.test${path}`, {
				method: r.method,
				...(r.method === "POST"
					? {
							body: new URLSearchParams({}),
							headers: { "content-type": "application/x-www-form-urlencoded" },
						}
					: {}),
			});
			const ok =
				res.status === 401 ||
				res.status === 405 ||
				(res.status === 302 && res.headers.get("location")?.startsWith("/admin/login"));
			expect(ok || path === "/admin/oauth/callback", `${r.method} ${path} → ${res.status}`).toBe(true);
		}
	});
});
