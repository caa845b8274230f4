/**
 * The Next.js example (examples/next) as a user runs it: the package built to dist/ and installed
 * into the app's node_modules (a copy of the example under test-results/, so no dist/ appears in
 * this checkout), `next build` (Turbopack, offline: the SWC binary comes from node_modules,
 * telemetry off, any download attempt refused by a dead proxy), then `next start` configured
 * through environment variables to use the Intercom emulator. In Chromium, the root layout's
 * Messenger boots the emulator's widget with a verified identity, and an update-contact webhook
 * sent to the app's `/intercom/[...path]` route is stored: the page greets the visitor by the
 * name it set, and the next boot carries it.
 *
 * Measured on 2 cores: the library build (tsc) 12 to 27 s; `next build` 45 to 50 s on a quiet
 * machine, 82 to 95 s on a busy one; `next start` until the bridge's first answer (its embedded
 * database opened and migrated) 9 to 10 s; the whole file 2.5 minutes. The suite prints its own
 * timings. The deadlines (5 minutes for the build of the library, 8 for `next build`, 2 for the
 * start) are far above those, but bounded.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	createIntercomEmulator,
	type EmulatorServer,
	type IntercomEmulator,
} from "../../src/testing/index.ts";
import { launchChromium, screenshotDir, waitFor } from "../harness/browser.ts";
import { freePort } from "../harness/postgres-server.ts";
import { BROWSER_UA, IDENTITY_SECRET } from "../harness/test-bridge.ts";

const REPO = new URL("../../../../", import.meta.url).pathname.replace(/\/$/, "");
const PACKAGE = join(REPO, "packages/intercom-bridge");
const NODE = join(REPO, "node_modules/.bin/node"); // Node 24, the project's
const NEXT = join(REPO, "node_modules/next/dist/bin/next");
const TSC = join(REPO, "node_modules/typescript/bin/tsc");
const MINUTE = 60_000;
const WEBHOOK_KEY = "next-example-webhook-key-0123456789";

let emulator: IntercomEmulator;
let emulatorServer: EmulatorServer;
let browser: Browser;
let app: string;
let appUrl: string;
let server: ChildProcess | undefined;
const serverOutput: string[] = [];
const timings: string[] = [];

/** The environment of the app's processes: none of this repository's or the test runner's settings. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^(npm_|INTERCOM_|DATABASE_URL|TEST_DATABASE_URL|NODE_OPTIONS$|NODE_ENV$|VITEST|INIT_CWD$)/.test(k))
			continue;
		env[k] = v;
	}
	return { ...env, NEXT_TELEMETRY_DISABLED: "1", ...extra };
}

/** Runs a command to completion within `deadlineMs`; resolves with its output, rejects with it. */
function run(what: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, deadlineMs: number) {
	const started = Date.now();
	return new Promise<string>((resolve, reject) => {
		const child = spawn(NODE, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
		let output = "";
		child.stdout.on("data", (d) => (output += d));
		child.stderr.on("data", (d) => (output += d));
		const timer = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
		child.once("close", (code, signal) => {
			clearTimeout(timer);
			const seconds = ((Date.now() - started) / 1000).toFixed(1);
			timings.push(`${what}: ${seconds} s`);
			if (code === 0) resolve(output);
			else reject(new Error(`${what} failed (${signal ?? `exit ${code}`}) after ${seconds} s:\n${output}`));
		});
	});
}

beforeAll(async () => {
	// The platform's SWC binary must be installed: `next build` would otherwise try to download it.
	expect(existsSync(join(REPO, "node_modules/@next/swc-linux-x64-gnu"))).toBe(true);
	emulator = createIntercomEmulator({ apps: [{ appId: "abc123", identitySecret: IDENTITY_SECRET }] });
	emulatorServer = await emulator.listen();

	// The app: a copy of the example, with the package installed as npm would (dist/, package.json,
	// migrations). Inside the repository, so the rest (next, react, the package's dependencies)
	// resolves from its node_modules.
	await mkdir(join(REPO, "test-results"), { recursive: true });
	app = await mkdtemp(join(REPO, "test-results", "next-app-"));
	for (const f of ["app", "lib", "next.config.ts", "tsconfig.json"])
		await cp(join(REPO, "examples/next", f), join(app, f), { recursive: true });
	const installed = join(app, "node_modules/intercom-bridge");
	const env = cleanEnv({});
	await run(
		"library build (tsc)",
		[TSC, "-p", join(PACKAGE, "tsconfig.build.json"), "--outDir", join(installed, "dist")],
		PACKAGE,
		env,
		5 * MINUTE,
	);
	await cp(join(PACKAGE, "package.json"), join(installed, "package.json"));
	await cp(join(PACKAGE, "migrations"), join(installed, "migrations"), { recursive: true });
	for (const f of ["intercom-bridge-browser.js", "intercom-bridge-browser.d.ts"])
		await cp(join(PACKAGE, "src/browser", f), join(installed, "dist/browser", f));

	// Offline: a download would go through this proxy, where nothing listens.
	const offline = {
		NODE_USE_ENV_PROXY: "1",
		HTTP_PROXY: "http://127.0.0.1:9",
		HTTPS_PROXY: "http://127.0.0.1:9",
		NO_PROXY: "127.0.0.1,localhost",
	};
	const built = await run("next build", [NEXT, "build"], app, cleanEnv(offline), 8 * MINUTE);
	expect(built).not.toMatch(/download/i);

	const port = await freePort();
	appUrl = `http://127.0.0.1:${port}`;
	const started = Date.now();
	server = spawn(NODE, [NEXT, "start", "--port", String(port), "--hostname", "127.0.0.1"], {
		cwd: app,
		detached: true, // its own process group, so that afterAll ends it and nothing else
		stdio: ["ignore", "pipe", "pipe"],
		env: cleanEnv({
			...offline,
			INTERCOM_BRIDGE_DATA_DIR: join(app, ".data"),
			INTERCOM_EMULATOR_URL: emulatorServer.url,
			INTERCOM_APP_ID: "abc123",
			INTERCOM_IDENTITY_SECRET: IDENTITY_SECRET,
			INTERCOM_SEND_CONTACT_DATA: "always",
			INTERCOM_WEBHOOK_API_KEY: WEBHOOK_KEY,
			LOG_LEVEL: "warn",
		}),
	});
	server.stdout?.on("data", (d) => serverOutput.push(String(d)));
	server.stderr?.on("data", (d) => serverOutput.push(String(d)));
	await waitFor(
		async () => {
			if (server?.exitCode !== null) throw new Error(`next start exited:\n${serverOutput.join("")}`);
			return fetch(`${appUrl}/intercom/browser.js`).then(
				(r) => r.ok,
				() => false,
			);
		},
		2 * MINUTE,
		"next start to answer",
	);
	timings.push(
		`next start (until the bridge's first answer): ${((Date.now() - started) / 1000).toFixed(1)} s`,
	);
	console.info(`Next.js example timings:\n  ${timings.join("\n  ")}`);
	browser = await launchChromium();
}, 15 * MINUTE);

afterAll(async () => {
	await browser?.close();
	if (server?.pid && server.exitCode === null) {
		const exited = new Promise((r) => server?.once("exit", r));
		process.kill(-server.pid, "SIGTERM");
		await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
		if (server.exitCode === null && server.signalCode === null) process.kill(-server.pid, "SIGKILL");
	}
	await emulatorServer?.close();
	if (app) await rm(app, { recursive: true, force: true });
}, MINUTE);

describe("the Next.js example (examples/next), built and started", () => {
	it(
		"boots the Messenger from the root layout with a verified identity, and stores an update-contact webhook sent through its route",
		async () => {
			const context = await browser.newContext({ userAgent: BROWSER_UA });
			try {
				const page = await context.newPage();
				const response = await page.goto(`${appUrl}/`);
				expect(response?.status(), `the page:\n${await page.content()}\n${serverOutput.join("")}`).toBe(200);
				expect(await page.locator("#greeting").textContent()).toBe("Hello!");
				const cookie = await waitFor(
					async () => (await context.cookies()).find((c) => c.name === "ib_contact"),
					20_000,
					"the visitor cookie (set by the settings endpoint)",
				);
				const guid = cookie.value.split(".")[0] ?? "";
				const boot = await waitFor(
					() => emulator.messengerBoots.find((b) => b.userId === guid),
					20_000,
					`a boot of ${guid}`,
				);
				expect(boot).toMatchObject({ appId: "abc123", verified: true, accepted: true, method: "hash" });
				await page.locator("#intercom-emulator-launcher").waitFor({ state: "visible" });

				// What an Intercom Series sends, through the app's route.
				const refused = await fetch(`${appUrl}/intercom/updatecontact`, {
					method: "POST",
					headers: { "content-type": "application/json", "x-api-key": "wrong-key-wrong-key-wrong" },
					body: JSON.stringify({ ContactGUID: guid, ContactFirstName: "Mallory" }),
				});
				expect(refused.status).toBe(401);
				const res = await fetch(`${appUrl}/intercom/updatecontact`, {
					method: "POST",
					headers: { "content-type": "application/json", "x-api-key": WEBHOOK_KEY },
					body: JSON.stringify({ ContactGUID: guid, ContactFirstName: "Ada", ContactLastName: "Lovelace" }),
				});
				expect(res.status, await res.clone().text()).toBe(200);

				// Stored: the page reads it back from the app's store, and the Messenger gets the name.
				const bootsBefore = emulator.messengerBoots.length;
				await page.reload();
				expect(await page.locator("#greeting").textContent()).toBe("Hello again, Ada!");
				const named = await waitFor(
					() => emulator.messengerBoots.slice(bootsBefore).find((b) => b.userId === guid),
					20_000,
					"a boot after the webhook",
				);
				expect(named).toMatchObject({ verified: true, name: "Ada Lovelace" });
				await page.screenshot({ path: join(await screenshotDir("next"), "next-app.png") });
			} finally {
				await context.close();
			}
		},
		2 * MINUTE,
	);
});
