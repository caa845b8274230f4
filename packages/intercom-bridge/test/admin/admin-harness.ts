/**
 * Test harness for the console: a migrated store (PGlite, or PostgreSQL in the suite's second run,
 * see testStoreFactory), a fake clock, the app, and a tiny browser
 * (cookie jar, form tokens) for request-level tests through `app.request()`.
 */
import type { Hono } from "hono";
import { type AdminAppOptions, createAdminApp } from "../../src/admin/create-admin-app.ts";
import { createLogger } from "../../src/logger.ts";
import type { Store } from "../../src/store/create-store.ts";
import { testStoreFactory } from "../harness/databases.ts";

export const PASSWORD = "correct horse battery staple";

export interface AdminFixture {
	store: Store;
	app: Hono;
	clock: { now: number };
	close(): Promise<void>;
}

/** A store with one modify admin (`admin@example.com`) and the app over it. */
export async function adminFixture(options: Partial<AdminAppOptions> = {}): Promise<AdminFixture> {
	const clock = { now: Date.parse("2026-11-25T10:00:00Z") };
	const now = () => clock.now;
	const store = await testStoreFactory.ready({ now });
	await store.addAdminUser({ email: "admin@example.com", password: PASSWORD, role: "modify" });
	const app = createAdminApp({ store, logger: createLogger({ level: "silent" }), now, ...options });
	return { store, app, clock, close: () => store.close() };
}

/** A minimal browser: keeps cookies, sends same-origin fetch metadata, reads form tokens. */
export function browser(app: Hono, origin = "http://admin.test") {
	const jar = new Map<string, string>();
	const store = (res: Response) => {
		for (const line of res.headers.getSetCookie()) {
			const [pair] = line.split(";");
			const [name, ...rest] = (pair ?? "").split("=");
			if (!name) continue;
			const value = rest.join("=");
			if (/max-age=0/i.test(line) || value === "") jar.delete(name.trim());
			else jar.set(name.trim(), value);
		}
	};
	const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
	return {
		jar,
		async get(path: string, headers: Record<string, string> = {}) {
			const res = await app.request(`${origin}${path}`, { headers: { cookie: cookie(), ...headers } });
			store(res);
			return res;
		},
		async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
			const res = await app.request(`${origin}${path}`, {
				method: "POST",
				body: new URLSearchParams(fields),
				headers: {
					"content-type": "application/x-www-form-urlencoded",
					"sec-fetch-site": "same-origin",
					cookie: cookie(),
					...headers,
				},
			});
			store(res);
			return res;
		},
		/** Signs in; returns the POST's response. */
		async signIn(email = "admin@example.com", password = PASSWORD, ip?: string) {
			const page = await (await this.get("/admin/login")).text();
			return this.post(
				"/admin/login",
				{ _login: hidden(page, "_login"), next: "/admin", email, password },
				ip ? { "x-forwarded-for": ip } : {},
			);
		},
		/** The CSRF token from any signed-in page. */
		async csrf(path = "/admin/contacts") {
			return hidden(await (await this.get(path)).text(), "_csrf");
		},
	};
}

/** The value of a hidden input in a page. */
export function hidden(page: string, name: string): string {
	const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(page);
	if (!m?.[1]) throw new Error(`no hidden field ${name} in page`);
	return m[1];
}
