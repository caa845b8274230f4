/**
 * The embedded store's data directory: kept to its owner however it was found, and its secret key
 * never silently replaced while the database holds secrets sealed with the old one.
 */
import { chmod, mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pgliteStore } from "./pglite.ts";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), "ib-pglite-"));
	dirs.push(dir);
	return dir;
}
afterEach(async () => {
	for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Every path under `dir` whose mode lets the group or others in, with that mode. */
async function openToOthers(dir: string): Promise<string[]> {
	const found: string[] = [];
	for (const entry of await readdir(dir, { recursive: true })) {
		const { mode } = await stat(join(dir, entry));
		if ((mode & 0o077) !== 0) found.push(`${entry} ${(mode & 0o777).toString(8)}`);
	}
	return found;
}

describe.skipIf(process.platform === "win32")("the data directory's permissions", () => {
	it("closes a pre-existing 0777 directory and everything PGlite creates in it to the owner", async () => {
		const dataDir = join(await tempDir(), "data");
		await mkdir(dataDir);
		await chmod(dataDir, 0o777);
		const store = await pgliteStore({ dataDir });
		try {
			await store.prepare();
			expect(((await stat(dataDir)).mode & 0o777).toString(8)).toBe("700");
			expect(await openToOthers(dataDir)).toEqual([]);
		} finally {
			await store.close();
		}
	}, 60_000);
});
