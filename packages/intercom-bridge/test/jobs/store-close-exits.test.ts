/**
 * Closing a store lets the process end: the job queue's pg-boss sender (started by the first
 * contact change that queues a job) stops with the store. Before, its poll timer held a script
 * that had closed its store open for good.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const storeModule = new URL("../../src/db/pglite.ts", import.meta.url).href;
const queueModule = new URL("../../src/jobs/job-queue.ts", import.meta.url).href;

const script = `
import { randomBytes } from "node:crypto";
const { pgliteStore } = await import(${JSON.stringify(storeModule)});
const { getJobQueue } = await import(${JSON.stringify(queueModule)});
const store = await pgliteStore({ dataDir: null, secretKey: randomBytes(32) });
await store.prepare();
await getJobQueue(store).ensure();
await store.close();
process.stdout.write("closed\\n");
`;

describe("store.close()", () => {
	it("lets the process end once the job queue has started", async () => {
		const started = Date.now();
		const { code, stdout, stderr } = await new Promise<{
			code: number | null;
			stdout: string;
			stderr: string;
		}>((resolve) => {
			const child = execFile(
				process.execPath,
				["--conditions=dev-source", "--input-type=module", "-e", script],
				{ cwd: fileURLToPath(new URL("../..", import.meta.url)), timeout: 50_000 },
				(error, out, err) =>
					resolve({ code: error ? ((error.code as number | null) ?? -1) : 0, stdout: out, stderr: err }),
			);
			child.stdin?.end();
		});
		expect(stderr).toBe("");
		expect(stdout).toBe("closed\n");
		expect(code).toBe(0);
		// Ended by itself, well before the 60 s poll of pg-boss would even have fired.
		expect(Date.now() - started).toBeLessThan(50_000);
	}, 60_000);
});
