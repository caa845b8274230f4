/**
 * SIGTERM to the real service after it listens but before its job runner starts (it waits for a
 * first answer, decision 0038): the service drains and exits 0, as it does later, instead of dying
 * from the signal with the embedded database's lock left in its data directory.
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_SECRET_KEY } from "../harness/databases.ts";
import { freePort } from "../harness/postgres-server.ts";
import { waitFor } from "../harness/wait-for.ts";

/** True once something accepts a TCP connection on the port (no request is sent). */
const accepts = (port: number) =>
	new Promise<boolean>((resolve) => {
		const socket = connect(port, "127.0.0.1");
		socket.once("connect", () => {
			socket.destroy();
			resolve(true);
		});
		socket.once("error", () => resolve(false));
	});

describe("SIGTERM before the job runner starts", () => {
	it("drains and exits 0 instead of dying from the signal", async () => {
		const dir = await mkdtemp(join(tmpdir(), "ib-sigterm-early-"));
		const port = await freePort();
		const { DATABASE_URL: _unused, ...inherited } = process.env;
		const child = fork(new URL("./service-process.ts", import.meta.url), {
			execArgv: ["--conditions=dev-source", "--no-warnings"],
			env: {
				...inherited,
				INTERCOM_BRIDGE_DATA_DIR: dir,
				INTERCOM_BRIDGE_SECRET_KEY: TEST_SECRET_KEY.toString("base64"),
				SERVICE_PORT: String(port),
				// Nothing calls Intercom here; the service only needs well-formed endpoints.
				EMULATOR_URL: "http://127.0.0.1:9",
				// No request is sent, so the runner would wait this long: the signal comes first.
				SERVICE_JOB_START_DELAY_MS: "3600000",
				LOG_LEVEL: "info",
			},
			stdio: ["ignore", "pipe", "pipe", "ipc"],
		});
		let output = "";
		child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
			output += chunk;
		});
		child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
			output += chunk;
		});
		const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
		try {
			await waitFor(() => (child.exitCode === null ? accepts(port) : Promise.resolve(true)), {
				deadlineMs: 120_000,
				intervalMs: 50,
				describe: () => `the service listening on ${port}; output so far: ${output}`,
			});
			expect(child.exitCode, output).toBeNull();
			// Still waiting for a first answer: runService has not resolved, so nothing came over IPC.
			expect(output).not.toContain("listening on");
			child.kill("SIGTERM");
			const [code, signal] = await exited;
			expect({ code, signal }, output).toEqual({ code: 0, signal: null });
			expect(output).toContain("shutting down");
		} finally {
			if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
			await rm(dir, { recursive: true, force: true });
		}
	}, 180_000);
});
