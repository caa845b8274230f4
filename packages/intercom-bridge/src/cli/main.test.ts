import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoginThrottle } from "../admin/login-throttle.ts";
import { CONSOLE_URL_FILE, recordConsoleUrl } from "../db/console-url-file.ts";
import { pgliteStore } from "../db/pglite.ts";
import { runService } from "../server/run-service.ts";
import { SETTING_DEFINITIONS, SETTING_KEYS } from "../settings/setting-keys.ts";
import { runCli } from "./main.ts";
import type { CliIo } from "./output.ts";

const run = promisify(execFile);
const BIN = new URL("../../bin/intercom-bridge.js", import.meta.url).pathname;

/** Runs the CLI in this process against `dataDir`, collecting its output. */
async function cli(dataDir: string, args: string[], stdin = "") {
	const out: string[] = [];
	const err: string[] = [];
	const io: CliIo = {
		stdout: (t) => out.push(t),
		stderr: (t) => err.push(t),
		readStdin: async () => stdin,
		env: { INTERCOM_BRIDGE_DATA_DIR: dataDir, USER: "tester" },
	};
	const code = await runCli(args, io);
	return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

async function allFiles(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { withFileTypes: true, recursive: true });
	return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("intercom-bridge CLI", () => {
	let dir: string;
	let dataDir: string;
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), "ib-cli-"));
		dataDir = join(dir, ".data");
	});
	afterAll(async () => {
		await rm(dir, { recursive: true, force: true });
	});

	it("runs migrate twice as a real process through the bin", async () => {
		const env = { ...process.env, INTERCOM_BRIDGE_DATA_DIR: dataDir };
		for (let i = 0; i < 2; i++) {
			const { stdout } = await run(process.execPath, [BIN, "migrate"], { env });
			expect(stdout).toMatch(/is up to date: \d+ migration\(s\)/);
		}
		expect((await stat(join(dataDir, "secret.key"))).mode & 0o777).toBe(0o600);
		const help = await run(process.execPath, [BIN, "--help"], { env });
		expect(help.stdout).toContain("settings");
	}, 120_000); // three processes that each load the TypeScript sources: slow on a busy machine

	it("prints the package's version through the bin", async () => {
		const { version } = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8"));
		expect(version).toMatch(/^\d+\.\d+\.\d+/);
		const { stdout } = await run(process.execPath, [BIN, "--version"]);
		expect(stdout.trim()).toBe(version);
	}, 60_000);

	it("lists every setting key and its allowed values in settings set --help", async () => {
		const help = await cli(dataDir, ["settings", "set", "--help"]);
		expect(help.code).toBe(0);
		for (const key of SETTING_KEYS) {
			const definition: { description: string; allowed?: readonly string[] } = SETTING_DEFINITIONS[key];
			const line = help.stdout.split("\n").find((l) => l.trimStart().startsWith(`${key} `));
			expect(line, `${key} is listed`).toBeDefined();
			if (definition.allowed) expect(line).toContain(definition.allowed.join(", "));
		}
		expect(help.stdout).toMatch(/identityVerificationSecret .*secret/);
	});

	it("refuses a contacts list --limit over its maximum, zero, negative or not a number", async () => {
		for (const bad of ["501", "0", "-1", "abc", "2.5", ""]) {
			const result = await cli(dataDir, ["contacts", "list", `--limit=${bad}`]);
			expect(result.code, `--limit=${bad}`).toBe(2);
			expect(result.stderr).toContain("--limit");
			expect(result.stderr).toContain("a whole number from 1 to 500");
		}
		const over = await cli(dataDir, ["contacts", "list", "--limit", "501"]);
		expect(over.code).toBe(2);
		expect((await cli(dataDir, ["contacts", "list", "--limit", "500", "--json"])).code).toBe(0);
		expect((await cli(dataDir, ["contacts", "list", "--offset=-1"])).code).toBe(2);
	});

	it("sets and gets settings; secrets are masked; bad keys and values fail with the allowed names", async () => {
		const secret = "shhh-0123456789-identity";
		expect(
			(await cli(dataDir, ["settings", "set", "default", "identityVerificationSecret", "-"], `${secret}\n`))
				.code,
		).toBe(0);
		expect((await cli(dataDir, ["settings", "set", "default", "appId", "abc123"])).code).toBe(0);
		const got = await cli(dataDir, ["settings", "get", "default", "--json"]);
		expect(got.code).toBe(0);
		const views = JSON.parse(got.stdout) as { key: string; value: string }[];
		expect(views.find((v) => v.key === "appId")?.value).toBe("abc123");
		expect(views.find((v) => v.key === "identityVerificationSecret")?.value).toBe("set, ends with …tity");
		expect(got.stdout).not.toContain(secret);

		const badValue = await cli(dataDir, ["settings", "set", "default", "sendContactData", "maybe"]);
		expect(badValue.code).toBe(1);
		expect(badValue.stderr).toContain("Allowed values: always, never, consent");
		const badKey = await cli(dataDir, ["settings", "get", "default", "colour"]);
		expect(badKey.code).toBe(1);
		expect(badKey.stderr).toContain("Unknown setting");
		const badSite = await cli(dataDir, ["settings", "get", "nosuch"]);
		expect(badSite.code).toBe(1);
		expect(badSite.stderr).toContain('No site "nosuch"');
		const usage = await cli(dataDir, ["settings", "set", "default"]);
		expect(usage.code).toBe(2);
	});

	it("rotates the API key, printing it once", async () => {
		const before = JSON.parse(
			(await cli(dataDir, ["settings", "get", "default", "webhookApiKey", "--json"])).stdout,
		);
		const rotated = await cli(dataDir, ["api-key", "rotate", "default"]);
		expect(rotated.code).toBe(0);
		expect(rotated.stdout).toMatch(/^[A-Za-z0-9_-]{32}$/);
		const after = JSON.parse(
			(await cli(dataDir, ["settings", "get", "default", "webhookApiKey", "--json"])).stdout,
		);
		expect(after.value).toBe(`set, ends with …${rotated.stdout.slice(-4)}`);
		expect(after.value).not.toBe(before.value);
	});

	it("api-key rotate prunes replaced keys by --grace-hours, not always by the 24 h default", async () => {
		const ownDir = join(dir, "grace");
		const hoursAgo = (hours: number) => () => Date.now() - hours * 3600_000;
		// A key replaced 30 hours ago: past the default grace, within a 48-hour one.
		const old = await pgliteStore({ dataDir: ownDir, now: hoursAgo(30) });
		let site: { id: number };
		try {
			await old.prepare();
			site = await old.requireSite("default");
			await old.rotateWebhookApiKey(site.id, { gracePeriodMs: 72 * 3600_000 });
		} finally {
			await old.close();
		}
		const replaced = async () => {
			const store = await pgliteStore({ dataDir: ownDir });
			try {
				return (await store.getSettings(site.id)).previousWebhookApiKeys.map((k) =>
					Math.round((Date.now() - k.replacedAt.getTime()) / 3600_000),
				);
			} finally {
				await store.close();
			}
		};
		expect(await replaced()).toEqual([30]);
		const longer = await cli(ownDir, ["api-key", "rotate", "default", "--grace-hours", "48"]);
		expect(longer.code).toBe(0);
		expect(longer.stderr).toContain("keeps working for 48 hour(s)");
		expect(await replaced()).toEqual([0, 30]);
		expect((await cli(ownDir, ["api-key", "rotate", "default"])).code).toBe(0);
		expect(await replaced()).toEqual([0, 0]);
		for (const bad of ["-1", "abc", "9000"]) {
			const refused = await cli(ownDir, ["api-key", "rotate", "default", `--grace-hours=${bad}`]);
			expect(refused.code, bad).toBe(2);
			expect(refused.stderr).toContain("a number of hours from 0 to 8784");
		}
	}, 120_000);

	it("manages sites, activity types, consents, contacts and admin users", async () => {
		expect(
			(await cli(dataDir, ["sites", "add", "shop", "Coffee shop", "--host", "shop.example.com"])).code,
		).toBe(0);
		const sites = JSON.parse((await cli(dataDir, ["sites", "list", "--json"])).stdout);
		expect(sites.map((s: { codeName: string }) => s.codeName)).toEqual(["default", "shop"]);

		expect(
			(await cli(dataDir, ["activity-types", "add", "intercom_chat_started", "Chat started"])).code,
		).toBe(0);
		expect((await cli(dataDir, ["activity-types", "disable", "intercom_chat_started"])).code).toBe(0);
		const types = JSON.parse((await cli(dataDir, ["activity-types", "list", "--json"])).stdout);
		expect(types[0]).toMatchObject({ codeName: "intercom_chat_started", enabled: false });
		expect((await cli(dataDir, ["activity-types", "enable", "missing"])).stderr).toContain(
			'No activity type "missing"',
		);
		const accept = (...args: string[]) => cli(dataDir, ["activity-types", "accept", ...args]);
		const accepted = await accept("shop", "intercom_chat_started");
		expect(accepted).toMatchObject({
			code: 0,
			stdout: expect.stringContaining("accepts only: intercom_chat_started"),
		});
		await cli(dataDir, ["activity-types", "add", "order_placed", "Order placed"]);
		await cli(dataDir, ["activity-types", "enable", "intercom_chat_started"]);
		const onSite = async (site: string) =>
			JSON.parse((await cli(dataDir, ["activity-types", "list", "--site", site, "--json"])).stdout).map(
				(t: { codeName: string; acceptedOnSite: boolean }) => [t.codeName, t.acceptedOnSite],
			);
		expect(await onSite("shop")).toEqual([
			["intercom_chat_started", true],
			["order_placed", false],
		]);
		expect(await onSite("default")).toEqual([
			["intercom_chat_started", true],
			["order_placed", true],
		]);
		expect((await accept("shop", "missing")).stderr).toContain('No activity type "missing"');
		expect((await accept("nowhere", "--all")).stderr).toContain("nowhere");
		expect(await accept("shop")).toMatchObject({ code: 2, stderr: expect.stringContaining("or --all") });
		expect((await accept("shop", "intercom_chat_started", "--all")).code).toBe(2);
		expect((await accept("shop", "--all")).code).toBe(0);
		expect((await onSite("shop"))[1]).toEqual(["order_placed", true]);
		const mapTopic = (...args: string[]) => cli(dataDir, ["activity-types", "map-topic", ...args]);
		expect(await mapTopic("shop", "Conversation.User.Created", "order_placed")).toMatchObject({
			code: 0,
			stdout: expect.stringContaining("topic conversation.user.created logs order_placed"),
		});
		expect((await mapTopic("shop", "contact.user.tag.created", "order_placed")).code).toBe(0);
		expect((await mapTopic("shop", "contact.user.tag.created", "--none")).code).toBe(0);
		expect((await mapTopic("shop", "not a topic", "order_placed")).stderr).toContain("is not a topic name");
		expect((await mapTopic("shop", "conversation.user.replied", "missing")).stderr).toContain(
			'No activity type "missing"',
		);
		expect((await mapTopic("shop", "conversation.user.replied")).code).toBe(2);
		const topics = JSON.parse((await cli(dataDir, ["activity-types", "topics", "shop", "--json"])).stdout);
		expect(topics.find((t: { topic: string }) => t.topic === "conversation.user.created")).toEqual({
			topic: "conversation.user.created",
			activityType: "order_placed",
			usable: true,
		});
		expect(topics.map((t: { topic: string }) => t.topic)).not.toContain("contact.user.tag.created");
		expect(
			topics.find((t: { topic: string }) => t.topic === "contact.email.updated")?.activityType,
		).toBeNull();
		await cli(dataDir, ["activity-types", "disable", "intercom_chat_started"]);
		const events = (onOrOff: string) =>
			cli(dataDir, ["activity-types", "intercom-events", "order_placed", onOrOff]);
		expect(await events("on")).toMatchObject({
			code: 0,
			stdout: expect.stringContaining("go to Intercom as data events"),
		});
		expect(
			JSON.parse((await cli(dataDir, ["activity-types", "list", "--json"])).stdout).find(
				(t: { codeName: string }) => t.codeName === "order_placed",
			),
		).toMatchObject({ sendToIntercom: true });
		expect((await events("off")).stdout).toContain("no longer sent");
		expect((await events("maybe")).code).toBe(2);
		expect((await cli(dataDir, ["activity-types", "intercom-events", "missing", "on"])).stderr).toContain(
			'No activity type "missing"',
		);

		expect(
			(
				await cli(dataDir, [
					"consents",
					"add",
					"intercom-data-sharing",
					"Data sharing",
					"We share your name.",
				])
			).code,
		).toBe(0);
		expect(JSON.parse((await cli(dataDir, ["consents", "list", "--json"])).stdout)[0].text).toBe(
			"We share your name.",
		);
		expect(
			(await cli(dataDir, ["settings", "set", "default", "sendContactDataConsent", "intercom-data-sharing"]))
				.code,
		).toBe(0);

		const store = await pgliteStore({ dataDir });
		const contact = await store.createContact({
			email: "ada@example.com",
			firstName: "Ada",
			notes: "=cmd|' /C calc'!A0",
		});
		await store.close();
		const list = JSON.parse((await cli(dataDir, ["contacts", "list", "--json"])).stdout);
		expect(list.total).toBe(1);
		const shown = JSON.parse((await cli(dataDir, ["contacts", "show", contact.guid, "--json"])).stdout);
		expect(shown.contact.email).toBe("ada@example.com");
		expect(shown.consents).toEqual([{ consent: "intercom-data-sharing", agreed: false, since: null }]);
		expect((await cli(dataDir, ["contacts", "show", "nope"])).code).toBe(1);
		const csv = (await cli(dataDir, ["contacts", "export"])).stdout.split("\n");
		expect(csv[0]).toContain("guid,email");
		expect(csv[1]).toContain(`"'=cmd|' /C calc'!A0"`);
		const jsonl = (await cli(dataDir, ["contacts", "export", "--json"])).stdout.split("\n");
		expect(JSON.parse(jsonl[0] ?? "{}").guid).toBe(contact.guid);
		const erased = await cli(dataDir, ["contacts", "erase", contact.guid, "--actor", "dpo@example.com"]);
		expect(erased.code).toBe(0);
		expect(erased.stdout).toContain("Erased 1 GUID(s) and 0 activities.");
		expect((await cli(dataDir, ["contacts", "show", contact.guid])).code).toBe(1);
		const again = await cli(dataDir, ["contacts", "erase", contact.guid]);
		expect(again.code).toBe(1);
		expect(again.stderr).toContain(`No contact with GUID "${contact.guid}"`);

		const added = await cli(dataDir, [
			"admin-users",
			"add",
			"admin@example.com",
			"--site",
			"shop",
			"--role",
			"read",
		]);
		expect(added.code).toBe(0);
		expect(added.stdout).toMatch(/Password \(shown once\): \S{24}/);
		const admins = JSON.parse((await cli(dataDir, ["admin-users", "list", "--json"])).stdout);
		expect(admins[0].roles).toEqual([{ siteId: sites[1].id, role: "read" }]);
		expect((await cli(dataDir, ["admin-users", "add", "x@example.com", "--role", "owner"])).code).toBe(2);
		const reset = await cli(dataDir, ["admin-users", "set-password", "admin@example.com"]);
		expect(reset.code).toBe(0);
		expect(reset.stdout).toMatch(
			/New password set for admin@example.com; their console sessions have ended\.\nPassword \(shown once\): \S{24}/,
		);
		const chosen = await cli(dataDir, [
			"admin-users",
			"set-password",
			"admin@example.com",
			"--password",
			"short",
		]);
		expect(chosen.code).toBe(1);
		expect(chosen.stderr).toContain("at least 12 characters");
		const unknown = await cli(dataDir, ["admin-users", "set-password", "nobody@example.com"]);
		expect(unknown.code).toBe(1);
		expect(unknown.stderr).toContain('No administrator with email "nobody@example.com"');
	}, 120_000); // some thirty commands, each opening the embedded database: 30 s and more on a busy machine

	it("admin-users set-password lifts the sign-in lock of that email", async () => {
		const ownDir = join(dir, "lock");
		const locked = async () => {
			const store = await pgliteStore({ dataDir: ownDir });
			try {
				const throttle = createLoginThrottle({ store, now: Date.now });
				return await throttle.retryAfterSeconds("admin@example.com", "203.0.113.9");
			} finally {
				await store.close();
			}
		};
		const store = await pgliteStore({ dataDir: ownDir });
		try {
			await store.prepare();
			await store.addAdminUser({ email: "admin@example.com", role: "modify" });
			const throttle = createLoginThrottle({ store, now: Date.now });
			for (let i = 0; i < 6; i++) await throttle.record("Admin@Example.com", "203.0.113.9", false);
		} finally {
			await store.close();
		}
		expect(await locked()).toBeGreaterThan(0);
		expect((await cli(ownDir, ["admin-users", "set-password", "admin@example.com"])).code).toBe(0);
		expect(await locked()).toBe(0);
	}, 180_000); // three PGlite opens and two scrypt hashes: slow on a busy machine

	it("never writes a secret in plain text to the data directory", async () => {
		const secret = `plain-${Date.now()}-client-secret`;
		expect((await cli(dataDir, ["settings", "set", "default", "clientSecret", secret])).code).toBe(0);
		const apiKey = (await cli(dataDir, ["api-key", "rotate", "default"])).stdout;
		const needles = [secret, apiKey, "shhh-0123456789-identity"].map((s) => Buffer.from(s));
		let plainDataSeen = false; // a control: the scan does see what is stored in clear
		for (const file of await allFiles(dataDir)) {
			const bytes = await readFile(file);
			for (const needle of needles) expect(bytes.includes(needle), `${file} holds a secret`).toBe(false);
			if (bytes.includes(Buffer.from("ada@example.com"))) plainDataSeen = true;
		}
		expect(plainDataSeen).toBe(true);
	});

	it("stops with a clear message when a running process holds the data directory", async () => {
		const store = await pgliteStore({ dataDir });
		try {
			const blocked = await cli(dataDir, ["sites", "list"]);
			expect(blocked.code).toBe(1);
			expect(blocked.stderr).toContain(`is in use by another intercom-bridge process (pid ${process.pid}`);
			expect(blocked.stderr).toContain("stop that process first");
		} finally {
			await store.close();
		}
		expect((await cli(dataDir, ["sites", "list"])).code).toBe(0);
	});

	it("names the running app's console page when that app recorded it", async () => {
		const store = await pgliteStore({ dataDir });
		try {
			await recordConsoleUrl(dataDir, "http://127.0.0.1:4321/admin");
			const set = await cli(dataDir, ["settings", "set", "default", "appId", "abc123"]);
			expect(set.code).toBe(1);
			expect(set.stderr).toContain(
				`The app with pid ${process.pid} holds ${dataDir}; change settings at http://127.0.0.1:4321/admin/sites/default/setup or stop it.`,
			);
			const rotate = await cli(dataDir, ["api-key", "rotate", "shop"]);
			expect(rotate.code).toBe(1);
			expect(rotate.stderr).toContain("change settings at http://127.0.0.1:4321/admin/sites/shop/webhooks");
			const contacts = await cli(dataDir, ["contacts", "list"]);
			expect(contacts.code).toBe(1);
			expect(contacts.stderr).toContain("use its admin console at http://127.0.0.1:4321/admin or stop it");
		} finally {
			await store.close();
		}
		// A record another process left behind says nothing about the one holding the lock now.
		const { writeFile } = await import("node:fs/promises");
		await writeFile(
			join(dataDir, CONSOLE_URL_FILE),
			JSON.stringify({ pid: 2 ** 22 + 17, url: "http://x/admin" }),
		);
		const other = await pgliteStore({ dataDir });
		try {
			const blocked = await cli(dataDir, ["settings", "get", "default"]);
			expect(blocked.code).toBe(1);
			expect(blocked.stderr).toContain("stop that process first");
			expect(blocked.stderr).not.toContain("http://x/admin");
		} finally {
			await other.close();
		}
	});

	it("beside `serve` on the same data directory, names the service's console", async () => {
		const ownDir = join(dir, "serve");
		const server = await runService(
			{ INTERCOM_BRIDGE_DATA_DIR: ownDir, PORT: "0", LOG_LEVEL: "silent" },
			() => {},
			{ isTerminal: false },
		);
		try {
			const blocked = await cli(ownDir, ["settings", "set", "default", "enabled", "true"]);
			expect(blocked.code).toBe(1);
			expect(blocked.stderr).toContain(
				`The app with pid ${process.pid} holds ${ownDir}; change settings at ${server.url}/admin/sites/default/setup or stop it.`,
			);
		} finally {
			await server.close();
		}
		expect((await cli(ownDir, ["settings", "set", "default", "enabled", "true"])).code).toBe(0);
	}, 180_000); // the service starts its job runner on a fresh embedded database: slow on a busy machine

	it("takes over the lock of a process that died", async () => {
		const { writeFile } = await import("node:fs/promises");
		const { hostname } = await import("node:os");
		await writeFile(
			join(dataDir, "intercom-bridge.lock"),
			JSON.stringify({ pid: 2 ** 22 + 17, host: hostname(), since: "x", command: "gone" }),
		);
		expect((await cli(dataDir, ["sites", "list"])).code).toBe(0);
	});
});
