import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browser, PASSWORD } from "../../test/admin/admin-harness.ts";
import { readConsoleUrl } from "../db/console-url-file.ts";
import { pgliteStore } from "../db/pglite.ts";
import { createLogger } from "../logger.ts";
import type { Store } from "../store/create-store.ts";
import { announceConsoleUrl, embeddedDataDir } from "./announce-console.ts";
import { createAdminApp } from "./create-admin-app.ts";

describe("the console's URL, recorded for the CLI beside the embedded database", () => {
	let dir: string;
	let store: Store;
	const recorded = () => readConsoleUrl(store.location, process.pid);
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), "ib-announce-"));
		store = await pgliteStore({ dataDir: join(dir, ".data") });
		await store.prepare();
		await store.addAdminUser({ email: "admin@example.com", password: PASSWORD, role: "modify" });
	});
	afterAll(async () => {
		await store?.close();
		await rm(dir, { recursive: true, force: true });
	});

	it("is written at the first signed-in page, never from a signed-out request's Host", async () => {
		const app = createAdminApp({ store, logger: createLogger({ level: "silent" }) });
		const stranger = browser(app, "http://evil.example");
		expect((await stranger.get("/admin")).status).toBe(302);
		expect((await stranger.get("/admin/login")).status).toBe(200);
		await stranger.signIn("admin@example.com", "not the password at all");
		expect(await recorded()).toBeNull();

		const admin = browser(app, "http://shop.test:8080");
		expect((await admin.signIn()).status).toBe(303);
		expect((await admin.get("/admin/contacts")).status).toBe(200);
		expect(await recorded()).toBe("http://shop.test:8080/admin");
	});

	it("names the configured public URL and base path rather than the request's", async () => {
		const app = createAdminApp({
			store,
			logger: createLogger({ level: "silent" }),
			publicUrl: "https://admin.example.com",
			basePath: "/console",
		});
		const admin = browser(app, "http://10.0.0.5:3000");
		const page = await (await admin.get("/console/login")).text();
		const token = /name="_login" value="([^"]+)"/.exec(page)?.[1] ?? "";
		await admin.post("/console/login", {
			_login: token,
			next: "/console",
			email: "admin@example.com",
			password: PASSWORD,
		});
		expect((await admin.get("/console/contacts")).status).toBe(200);
		expect(await recorded()).toBe("https://admin.example.com/console");
	});

	it("is written at start-up by announceConsoleUrl, and only for an embedded database on disk", async () => {
		await announceConsoleUrl(store, "http://localhost:3000/admin/");
		expect(await recorded()).toBe("http://localhost:3000/admin");
		const memory = await pgliteStore({ dataDir: null });
		try {
			expect(embeddedDataDir(memory)).toBeNull();
			await announceConsoleUrl(memory, "http://elsewhere/admin");
		} finally {
			await memory.close();
		}
		expect(embeddedDataDir(store)).toBe(join(dir, ".data"));
		expect(await recorded()).toBe("http://localhost:3000/admin");
	});
});
