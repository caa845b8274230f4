/**
 * Changing settings while the app runs on the embedded database (docs/decisions/0018): the
 * README's Express example, as written (only its port changed), runs in a process of its own on a
 * PGlite data directory. In Chromium an administrator signs in to its console with the first
 * administrator's password and switches the Messenger on; the app's next pages carry it. The CLI
 * against the same directory then stops with exit code 1 and names that console's page.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../harness/browser.ts";
import { freePort } from "../harness/postgres-server.ts";
import { waitFor } from "../harness/wait-for.ts";
import { exampleApp, frameworkExamples } from "./readme-examples.ts";

const BIN = new URL("../../bin/intercom-bridge.js", import.meta.url).pathname;
const APP_ID = "readme1";

let dir: string;
let dataDir: string;
let base: string;
let app: ChildProcess;
let output = "";
let browser: Browser | undefined;

/** The app's home page as a browser gets it: its `intercomSettings`, or null without a Messenger. */
async function messengerOnHomePage(): Promise<{ app_id?: string } | null> {
	const response = await fetch(`${base}/`, {
		headers: {
			accept: "text/html",
			"user-agent":
				"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36",
		},
	});
	const json = /window\.intercomSettings=(\{[^;]*\});/.exec(await response.text())?.[1];
	return json ? JSON.parse(json) : null;
}

beforeAll(async () => {
	const examples = await frameworkExamples();
	const port = await freePort();
	expect(examples["express.ts"], "the README's Express example listens on 3000").toContain(
		"app.listen(3000)",
	);
	dir = await realpath(await mkdtemp(join(tmpdir(), "ib-readme-express-")));
	dataDir = join(dir, ".data");
	await exampleApp(dir, {
		"bridge.ts": examples["bridge.ts"],
		"admin.ts": examples["admin.ts"],
		"server.ts": examples["express.ts"].replace("app.listen(3000)", `app.listen(${port})`),
	});
	// Node 24 (this process's) runs the TypeScript example itself; dev-source resolves the
	// package to its sources.
	app = spawn(process.execPath, ["--conditions=dev-source", "server.ts"], {
		cwd: dir,
		env: { ...process.env, LOG_LEVEL: "warn" },
	});
	app.stdout?.on("data", (d) => {
		output += d;
	});
	app.stderr?.on("data", (d) => {
		output += d;
	});
	base = `http://127.0.0.1:${port}`;
	await waitFor(
		() =>
			app.exitCode === null &&
			fetch(`${base}/admin/login`).then(
				(r) => r.ok,
				() => false,
			),
		{
			deadlineMs: 150_000,
			describe: () => `the README's Express app answering on ${base}; its output:\n${output}`,
		},
	);
	browser = await launchChromium();
}, 240_000);

afterAll(async () => {
	await browser?.close();
	if (app && app.exitCode === null) {
		const gone = new Promise((resolve) => app.once("exit", resolve));
		app.kill("SIGTERM");
		await gone;
	}
	if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the README's Express app with its console, beside the CLI", () => {
	it("changes a setting in the console in Chromium and the running app's Messenger follows", async () => {
		expect(await messengerOnHomePage(), "the site is off until it is switched on").toBeNull();
		// The example runs without a terminal, so the first administrator's password is in a file.
		const [email, password] = (await readFile(join(dataDir, "first-admin-password.txt"), "utf8")).split("\n");
		expect(email).toBe("admin@intercom-bridge.local");
		expect(password).toBeTruthy();
		const context = await (browser as Browser).newContext();
		const page = await context.newPage();
		page.setDefaultTimeout(30_000);
		await page.goto(`${base}/admin`);
		await page.waitForURL(/\/admin\/login/);
		await page.getByLabel("Email").fill(email as string);
		await page.getByLabel("Password").fill(password as string);
		await page.getByRole("button", { name: "Sign in" }).click();
		// Signed in, the console opens on the site's overview; its navigation leads to the setup.
		await page.waitForURL(/\/admin\/sites\/default\/overview/);
		await page.getByRole("link", { name: "Intercom setup" }).click();
		await page.waitForURL(/\/admin\/sites\/default\/setup/);
		await page.getByLabel("Intercom is enabled on this site").check();
		await page.getByLabel("App ID").fill(APP_ID);
		await page.getByLabel("Identity verification secret").fill("readme-identity-secret-0123");
		await page.getByRole("button", { name: "Save settings" }).click();
		await expect.poll(() => page.locator(".notice.ok").textContent()).toContain("Settings saved");
		await context.close();
		const settings = await waitFor(messengerOnHomePage, {
			deadlineMs: 30_000,
			describe: "the home page's Messenger with the app id saved in the console",
		});
		expect(settings.app_id).toBe(APP_ID);
	}, 120_000);

	it("the CLI on the same data directory exits 1 and names the running app's console page", async () => {
		const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
			execFile(
				process.execPath,
				[BIN, "settings", "set", "default", "appId", "other1"],
				{ cwd: dir, env: { ...process.env, INTERCOM_BRIDGE_DATA_DIR: dataDir, DATABASE_URL: "" } },
				(err, _stdout, stderr) =>
					resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr }),
			);
		});
		expect(result.stderr).toContain(
			`The app with pid ${app.pid} holds ${dataDir}; change settings at ${base}/admin/sites/default/setup or stop it.`,
		);
		expect(result.code).toBe(1);
		expect((await messengerOnHomePage())?.app_id, "the running app kept its setting").toBe(APP_ID);
	}, 120_000);
});
