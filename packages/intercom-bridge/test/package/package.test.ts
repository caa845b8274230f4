/**
 * The package as a user gets it: `npm pack` of a copy of this package (its prepack builds dist/ and
 * adds the README and LICENSE), installed with express into an empty app, which then follows the
 * README: the plain-JavaScript Express example, and the CLI example that sets the site up and
 * switches it on. On Node 22 and on Node 24 the page must carry `intercomSettings` with the app id,
 * the visitor's GUID and its hash.
 *
 * Node 24 is this repository's (the `node` devDependency). Node 22 comes the same way, the `node`
 * npm package, installed once into a cache outside the repository and reused. Needs the npm
 * registry; takes about 3 to 6 minutes on 2 busy cores, mostly the build, the installs and the
 * CLI's processes (each step has a deadline, and the test prints what each took).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, realpath, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../harness/postgres-server.ts";

const REPO = new URL("../../../../", import.meta.url).pathname;
const PACKAGE = join(REPO, "packages/intercom-bridge");
const NODE22_CACHE = join(tmpdir(), "intercom-bridge-test-node22");
const IDENTITY_SECRET = "package-test-identity-secret-0123";
const MINUTE = 60_000;

const timings: string[] = [];

/** The environment for the processes of the app: none of this repository's or a test's settings. */
function cleanEnv(pathDirs: string[]): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (
			/^(npm_(package|lifecycle)_|INTERCOM_BRIDGE_|DATABASE_URL|TEST_DATABASE_URL|NODE_OPTIONS$|INIT_CWD$)/.test(
				k,
			)
		)
			continue;
		env[k] = v;
	}
	// Without this checkout's node_modules/.bin (vitest runs with it first): the app must use its own.
	const inherited = (process.env.PATH ?? "").split(":").filter((d) => d !== "" && !d.startsWith(REPO));
	env.PATH = [...pathDirs, ...inherited].join(":");
	return env;
}

interface RunResult {
	stdout: string;
	stderr: string;
}

/** Runs a command to its end within `timeoutMs`; fails saying what ran, how it ended and what it printed. */
function run(
	what: string,
	command: string,
	args: string[],
	options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<RunResult> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true });
		let stdout = "";
		let stderr = "";
		child.stdout.on("data", (d) => {
			stdout += d;
		});
		child.stderr.on("data", (d) => {
			stderr += d;
		});
		const output = () => `\n--- stdout ---\n${stdout.slice(-3000)}\n--- stderr ---\n${stderr.slice(-3000)}`;
		const timer = setTimeout(() => {
			killGroup(child);
			reject(new Error(`${what}: did not finish within ${options.timeoutMs / 1000} s.${output()}`));
		}, options.timeoutMs);
		child.on("error", (err) => {
			clearTimeout(timer);
			reject(new Error(`${what}: could not start ${command}: ${err.message}`));
		});
		child.on("close", (code, signal) => {
			clearTimeout(timer);
			if (code === 0) {
				timings.push(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
				resolve({ stdout, stderr });
			} else reject(new Error(`${what}: ${command} exited with ${code ?? signal}.${output()}`));
		});
	});
}

function killGroup(child: ChildProcess) {
	try {
		if (child.pid) process.kill(-child.pid, "SIGKILL");
	} catch {
		// already gone
	}
}

/** A directory holding only `node`, to put first on PATH. */
async function nodeBinDir(dir: string, node: string): Promise<string> {
	await mkdir(dir, { recursive: true });
	await symlink(await realpath(node), join(dir, "node"));
	return dir;
}

/** Node 22 from the `node` npm package, installed once into NODE22_CACHE (atomically, so parallel runs agree). */
async function node22(): Promise<string> {
	const binary = join(NODE22_CACHE, "node_modules/node/bin/node");
	const version = async (node: string) =>
		(
			await run("node 22 --version", node, ["--version"], {
				cwd: tmpdir(),
				env: cleanEnv([]),
				timeoutMs: MINUTE,
			})
		).stdout;
	try {
		if ((await version(binary)).startsWith("v22.")) return binary;
	} catch {
		// not cached yet (or broken): install it below
	}
	const staging = await mkdtemp(`${NODE22_CACHE}.installing-`);
	await writeFile(
		join(staging, "package.json"),
		JSON.stringify({ private: true, allowScripts: { node: true } }),
	);
	await run(
		"installing Node 22 (npm install node@22, once; cached in the system's temp directory)",
		"npm",
		["install", "--no-audit", "--no-fund", "--no-save", "node@22"],
		{ cwd: staging, env: cleanEnv([]), timeoutMs: 5 * MINUTE },
	);
	await rm(NODE22_CACHE, { recursive: true, force: true });
	try {
		await rename(staging, NODE22_CACHE);
	} catch {
		await rm(staging, { recursive: true, force: true }); // another run put its copy there first
	}
	const got = await version(binary);
	if (!got.startsWith("v22.")) throw new Error(`The node@22 package gave ${got.trim()}, not Node 22.`);
	return binary;
}

/** The one code block of README.md in `lang` that `test` picks; fails naming `what` otherwise. */
function readmeBlock(readme: string, lang: string, test: (body: string) => boolean, what: string): string {
	const blocks = [...readme.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, "g"))]
		.map((m) => m[1] ?? "")
		.filter(test);
	if (blocks.length !== 1)
		throw new Error(`README.md should have exactly one ${what}; found ${blocks.length}.`);
	return blocks[0] as string;
}

/** Starts `node server.js` and waits, within a deadline, until it answers; fails with its output. */
async function startServer(node: string, app: string, env: NodeJS.ProcessEnv, port: number) {
	const started = Date.now();
	const child = spawn(node, ["server.js"], { cwd: app, env, detached: true });
	let output = "";
	child.stdout.on("data", (d) => {
		output += d;
	});
	child.stderr.on("data", (d) => {
		output += d;
	});
	let exited: string | null = null;
	child.on("exit", (code, signal) => {
		exited = String(code ?? signal);
	});
	const deadline = Date.now() + 2 * MINUTE;
	for (;;) {
		if (exited !== null) throw new Error(`server.js exited (${exited}) before answering:\n${output}`);
		if (Date.now() > deadline) {
			killGroup(child);
			throw new Error(`server.js did not answer on port ${port} within 120 s:\n${output}`);
		}
		const ok = await fetch(`http://127.0.0.1:${port}/healthz-probe`).then(
			() => true,
			() => false,
		);
		if (ok) break;
		await new Promise((r) => setTimeout(r, 200));
	}
	timings.push(`server.js answering: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return {
		output: () => output,
		stop: async () => {
			if (exited !== null) return;
			const gone = new Promise((r) => child.once("exit", r));
			child.kill("SIGTERM");
			const timer = setTimeout(() => killGroup(child), 20_000);
			await gone;
			clearTimeout(timer);
		},
	};
}

/** A browser's first visit to the page: its `intercomSettings` and the visitor cookie it was given. */
async function visitPage(port: number) {
	const response = await fetch(`http://127.0.0.1:${port}/`, {
		headers: {
			accept: "text/html,application/xhtml+xml",
			"user-agent":
				"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36",
			"sec-fetch-dest": "document",
			"sec-fetch-mode": "navigate",
		},
	});
	const html = await response.text();
	const json = /window\.intercomSettings=(\{[^;]*\});/.exec(html)?.[1];
	const cookie = /(?:^|,\s*)ib_contact=([0-9a-f-]{36})\./.exec(response.headers.get("set-cookie") ?? "")?.[1];
	return { status: response.status, html, settings: json ? JSON.parse(json) : null, guid: cookie ?? null };
}

describe("the npm package, installed into an empty app", () => {
	let work: string;
	let app: string;
	let cliSteps: string;
	let serverJs: string;
	const port = { value: 0 };

	beforeAll(async () => {
		work = await mkdtemp(join(tmpdir(), "ib-package-"));
		const readme = await readFile(join(REPO, "README.md"), "utf8");
		const bridgeJs = readmeBlock(
			readme,
			"js",
			(b) => b.startsWith("// bridge.js"),
			"```js block starting // bridge.js",
		);
		serverJs = readmeBlock(
			readme,
			"js",
			(b) => b.startsWith("// server.js"),
			"```js block starting // server.js",
		);
		cliSteps = readmeBlock(
			readme,
			"sh",
			(b) => b.includes("settings set default appId") && b.includes("identityVerificationSecret"),
			"```sh block of CLI examples setting appId and identityVerificationSecret",
		);
		expect(serverJs, "the README's server.js listens on 3000").toContain("app.listen(3000)");

		// Pack a copy: the prepack build writes dist/, which must not appear in this checkout (the
		// bin would run it instead of the sources).
		const stage = join(work, "stage");
		const stagedPackage = join(stage, "packages/intercom-bridge");
		await mkdir(stagedPackage, { recursive: true });
		for (const f of ["package.json", "tsconfig.build.json", "bin", "src", "migrations", "scripts"]) {
			await cp(join(PACKAGE, f), join(stagedPackage, f), { recursive: true });
		}
		for (const f of ["tsconfig.base.json", "README.md", "LICENSE"]) await cp(join(REPO, f), join(stage, f));
		await symlink(join(REPO, "node_modules"), join(stage, "node_modules"));
		const packed = await run(
			"npm pack (prepack: build dist/, copy README and LICENSE)",
			"npm",
			["pack", "--json", "--pack-destination", work],
			{ cwd: stagedPackage, env: cleanEnv([join(REPO, "node_modules/.bin")]), timeoutMs: 8 * MINUTE },
		);
		const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as {
			filename: string;
			files: { path: string }[];
		}[];
		if (!info) throw new Error(`npm pack printed no tarball:\n${packed.stdout}`);
		const files = info.files.map((f) => f.path);
		expect(files).toEqual(
			expect.arrayContaining([
				"README.md",
				"LICENSE",
				"package.json",
				"bin/intercom-bridge.js",
				"dist/index.js",
				"dist/index.d.ts",
				"dist/cli/main.js",
				"dist/browser/intercom-bridge-browser.js",
				"dist/browser/intercom-bridge-browser.d.ts",
				"migrations/0000_initial.sql",
			]),
		);
		const unwanted = files.filter(
			(f) =>
				/\.test\.|test-support|^src\/|^test\/|^bench\/|^scripts\/|^vendor\//.test(f) ||
				(f.endsWith(".ts") && !f.endsWith(".d.ts")) ||
				f.startsWith("migrations/meta/"),
		);
		expect(unwanted, "files the package must not ship").toEqual([]);

		app = join(work, "app");
		await mkdir(app);
		await writeFile(join(app, "package.json"), JSON.stringify({ private: true, type: "module" }));
		await run(
			"npm install of the tarball and express into an empty app",
			"npm",
			["install", "--no-audit", "--no-fund", join(work, info.filename), "express@^5"],
			{ cwd: app, env: cleanEnv([]), timeoutMs: 8 * MINUTE },
		);
		expect(await readFile(join(app, "node_modules/intercom-bridge/LICENSE"), "utf8")).toBe(
			await readFile(join(REPO, "LICENSE"), "utf8"),
		);
		await writeFile(join(app, "bridge.js"), bridgeJs);
		port.value = await freePort();
	}, 25 * MINUTE);

	afterAll(async () => {
		if (timings.length) console.info(`package test timings:\n  ${timings.join("\n  ")}`);
		if (work) await rm(work, { recursive: true, force: true });
	});

	for (const version of ["22", "24"] as const) {
		it(
			`runs the README's Express example on Node ${version} once the README's CLI steps set the site up`,
			async () => {
				const node = version === "22" ? await node22() : join(REPO, "node_modules/.bin/node");
				const env = cleanEnv([await nodeBinDir(join(work, `node${version}-bin`), node)]);
				env.IDENTITY_SECRET = IDENTITY_SECRET;
				const reported = await run(
					`node --version on PATH (Node ${version})`,
					"sh",
					["-c", "node --version"],
					{
						cwd: app,
						env,
						timeoutMs: MINUTE,
					},
				);
				expect(reported.stdout.trim()).toMatch(new RegExp(`^v${version}\\.`));

				await rm(join(app, ".data"), { recursive: true, force: true });
				await run(`the README's CLI steps on Node ${version}`, "sh", ["-ec", cliSteps], {
					cwd: app,
					env,
					timeoutMs: 6 * MINUTE,
				});
				await writeFile(
					join(app, "server.js"),
					serverJs.replace("app.listen(3000)", `app.listen(${port.value})`),
				);
				const server = await startServer(node, app, env, port.value);
				try {
					const page = await visitPage(port.value);
					const context = `\n--- page ---\n${page.html.slice(0, 2000)}\n--- server ---\n${server.output()}`;
					expect(page.status, context).toBe(200);
					expect(page.guid, `no ib_contact cookie${context}`).toMatch(/^[0-9a-f-]{36}$/);
					expect(page.settings, `no window.intercomSettings in the page${context}`).not.toBeNull();
					expect(page.settings).toMatchObject({
						app_id: "abc123",
						user_id: page.guid,
						user_hash: createHmac("sha256", IDENTITY_SECRET)
							.update(page.guid ?? "")
							.digest("hex"),
					});
				} finally {
					await server.stop();
				}
			},
			15 * MINUTE,
		);
	}
});
