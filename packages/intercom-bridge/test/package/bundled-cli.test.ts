/**
 * The bundled CLI (scripts/bundle-cli.ts), which the bin runs when the package is built: bundled
 * into a temporary copy of the package (never into this checkout, where a dist/ would shadow the
 * sources), it must find its package.json, its migrations and the browser module from its own
 * place, and `serve` must answer `/healthz`, the console and the browser module, then start its
 * job runner (pg-boss, a chunk loaded on first use) once the first request is answered.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleCli } from "../../scripts/bundle-cli.ts";
import { freePort } from "../harness/postgres-server.ts";
import { waitFor } from "../harness/wait-for.ts";

const run = promisify(execFile);
const PACKAGE = new URL("../../", import.meta.url).pathname;

describe("the bundled CLI", () => {
	let root: string;
	let bin: string;
	let dataDir: string;
	beforeAll(async () => {
		root = await mkdtemp(join(tmpdir(), "ib-bundle-"));
		for (const entry of ["bin", "migrations", "package.json"]) {
			await cp(join(PACKAGE, entry), join(root, entry), { recursive: true });
		}
		await symlink(join(PACKAGE, "../../node_modules"), join(root, "node_modules"), "dir");
		await mkdir(join(root, "dist"));
		await bundleCli(root);
		bin = join(root, "bin/intercom-bridge.js");
		dataDir = join(root, ".data");
	}, 120_000);
	afterAll(async () => {
		await rm(root, { recursive: true, force: true });
	});

	it("prints the package's version and migrates", async () => {
		const { version } = JSON.parse(await readFile(join(PACKAGE, "package.json"), "utf8"));
		expect((await run(process.execPath, [bin, "--version"])).stdout.trim()).toBe(version);
		const env = { ...process.env, INTERCOM_BRIDGE_DATA_DIR: dataDir };
		const { stdout } = await run(process.execPath, [bin, "migrate"], { env });
		expect(stdout).toMatch(/is up to date: \d+ migration\(s\)/);
	}, 120_000);

	it("serves /healthz, the console and the browser module, then starts its job runner", async () => {
		const port = await freePort();
		const url = `http://127.0.0.1:${port}`;
		const child: ChildProcess = spawn(process.execPath, [bin, "serve"], {
			env: { ...process.env, INTERCOM_BRIDGE_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn" },
			stdio: ["ignore", "pipe", "pipe"],
		});
		let output = "";
		child.stdout?.on("data", (d) => {
			output += d;
		});
		child.stderr?.on("data", (d) => {
			output += d;
		});
		try {
			const health = await waitFor(
				() =>
					fetch(`${url}/healthz`).then(
						(r) => (r.ok ? r : null),
						() => null,
					),
				{
					deadlineMs: 120_000,
					describe: () => `a 200 from /healthz; output so far: ${output}`,
				},
			);
			expect(await health.json()).toMatchObject({ status: "ok", database: "pglite" });
			const login = await fetch(`${url}/admin/login`);
			expect(login.status).toBe(200);
			expect(await login.text()).toContain("Sign in");
			const browser = await fetch(`${url}/intercom/browser.js`);
			expect(browser.status).toBe(200);
			expect(await browser.text()).toContain("IntercomBridge");
			// The runner has started when the service prints where it listens (runService resolved).
			await waitFor(() => output.includes("intercom-bridge listening on"), {
				deadlineMs: 120_000,
				describe: () => `the service's start-up lines; output so far: ${output}`,
			});
		} finally {
			child.kill("SIGTERM");
			await once(child, "exit");
		}
	}, 240_000);
});
