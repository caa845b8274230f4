/**
 * One process per embedded data directory. PGlite is a single-process database: two processes
 * writing the same directory corrupt it. The lock is a file created exclusively beside the
 * database, holding the owner's pid; a lock whose process is gone is taken over.
 */
import { readFileSync, unlinkSync } from "node:fs";
import { open, readFile, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { DataDirLockedError } from "../errors.ts";

export const LOCK_FILE = "intercom-bridge.lock";

interface LockInfo {
	pid: number;
	host: string;
	since: string;
	command: string;
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === "EPERM";
	}
}

/** Reads who holds the lock of `dataDir`, or null when nobody (alive) does. */
export async function readDataDirLock(dataDir: string): Promise<LockInfo | null> {
	try {
		const info = JSON.parse(await readFile(join(dataDir, LOCK_FILE), "utf8")) as LockInfo;
		if (info.host === hostname() && !isAlive(info.pid)) return null;
		return info;
	} catch {
		return null;
	}
}

/**
 * Takes the lock of `dataDir` for this process.
 * @throws DataDirLockedError naming the process that holds it and what to do.
 */
export async function acquireDataDirLock(dataDir: string): Promise<{ release(): Promise<void> }> {
	const path = join(dataDir, LOCK_FILE);
	const info: LockInfo = {
		pid: process.pid,
		host: hostname(),
		since: new Date().toISOString(),
		command: process.argv.slice(1, 3).join(" "),
	};
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const handle = await open(path, "wx", 0o600);
			await handle.writeFile(JSON.stringify(info));
			await handle.close();
			let released = false;
			// A crash leaves the file, but a normal exit without close() should not.
			const onExit = () => {
				try {
					if (!released && JSON.parse(readFileSync(path, "utf8")).pid === process.pid) unlinkSync(path);
				} catch {}
			};
			process.once("exit", onExit);
			return {
				async release() {
					if (released) return;
					released = true;
					process.removeListener("exit", onExit);
					await unlink(path).catch(() => {});
				},
			};
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
			const holder = await readDataDirLock(dataDir);
			if (holder) {
				throw new DataDirLockedError(
					`The data directory ${dataDir} is in use by another intercom-bridge process (pid ${holder.pid} on ${holder.host}, since ${holder.since}: ${holder.command}). ` +
						"The embedded database allows one process at a time: stop that process first (the CLI cannot run beside a running server on the same data directory), " +
						"or use PostgreSQL (DATABASE_URL) to run several processes.",
					holder.pid,
				);
			}
			// The holder is gone: the lock is stale.
			await unlink(path).catch(() => {});
		}
	}
	throw new DataDirLockedError(
		`Could not lock the data directory ${dataDir}; another process keeps taking it.`,
		-1,
	);
}
