import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "../../test/harness/postgres-server.ts";
import { waitFor } from "../../test/harness/wait-for.ts";
import { ConfigError } from "../errors.ts";
import { parseOAuthTokenHost, runService } from "./run-service.ts";
import type { RunningServer } from "./start-server.ts";

describe("parseOAuthTokenHost", () => {
	it("defaults to Intercom's documented global host and accepts regional", () => {
		expect(parseOAuthTokenHost(undefined)).toBe("global");
		expect(parseOAuthTokenHost(" ")).toBe("global");
		expect(parseOAuthTokenHost("Regional")).toBe("regional");
	});

	it("names the variable and the allowed values for anything else", () => {
		expect(() => parseOAuthTokenHost("eu")).toThrow(ConfigError);
		expect(() => parseOAuthTokenHost("eu")).toThrow(
			/INTERCOM_BRIDGE_OAUTH_TOKEN_HOST must be "global" or "regional"/,
		);
	});
});

describe("runService's job runner", () => {
	it("starts once the first request is answered, well before jobStartDelayMs", async () => {
		const dir = await mkdtemp(join(tmpdir(), "ib-run-service-"));
		const port = await freePort();
		const lines: string[] = [];
		const running = runService(
			{ INTERCOM_BRIDGE_DATA_DIR: dir, PORT: String(port), LOG_LEVEL: "silent" },
			(line) => lines.push(line),
			{ isTerminal: false, jobStartDelayMs: 3_600_000 },
		);
		let server: RunningServer | undefined;
		try {
			// The server answers before runService resolves: the runner has not started yet.
			const health = await waitFor(
				() =>
					fetch(`http://127.0.0.1:${port}/healthz`).then(
						(r) => (r.ok ? r : null),
						() => null,
					),
				{ deadlineMs: 120_000, describe: "a 200 from /healthz" },
			);
			expect((await health.json()).status).toBe("ok");
			// That answer starts the runner (an hour's delay would time the test out), then runService resolves.
			server = await running;
			expect(lines.some((l) => l.startsWith("intercom-bridge listening on"))).toBe(true);
			// The console, built on its first request, answers as it did when built at the start:
			// its sign-in page, and its own redirect to it for a page that needs a session.
			const login = await fetch(`http://127.0.0.1:${port}/admin/login`);
			expect(login.status).toBe(200);
			expect(login.headers.get("content-type")).toMatch(/text\/html/);
			expect(await login.text()).toContain("<form");
			const root = await fetch(`http://127.0.0.1:${port}/admin`, { redirect: "manual" });
			expect(root.status).toBe(302);
			expect(root.headers.get("location")).toMatch(/\/admin\/login/);
		} finally {
			await (server ?? (await running.catch(() => undefined)))?.close();
			await rm(dir, { recursive: true, force: true });
		}
	}, 180_000);
});
