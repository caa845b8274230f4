/**
 * Where the running app's admin console is, beside the embedded database: the process that holds
 * the data directory (data-dir-lock.ts) writes the console's URL here once it knows it, so a CLI
 * command that cannot open the database can say where to do the same while the app runs
 * (docs/decisions/0018-cli-beside-a-running-app.md).
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** The file's name inside the data directory. */
export const CONSOLE_URL_FILE = "intercom-bridge.console.json";

interface ConsoleUrlRecord {
	pid: number;
	url: string;
}

/**
 * Records that this process serves the console at `url` (`http://host:port/admin`). Written to a
 * temporary file and renamed into place, so a reader never sees half of it.
 */
export async function recordConsoleUrl(dataDir: string, url: string): Promise<void> {
	const path = join(dataDir, CONSOLE_URL_FILE);
	const temporary = `${path}.${process.pid}.tmp`;
	const record: ConsoleUrlRecord = { pid: process.pid, url };
	await writeFile(temporary, JSON.stringify(record), { mode: 0o600 });
	await rename(temporary, path);
}

/**
 * The console URL recorded by process `pid`, or null when it recorded none (a record of an earlier
 * process, or anything but an http(s) URL, is ignored).
 */
export async function readConsoleUrl(dataDir: string, pid: number): Promise<string | null> {
	try {
		const record = JSON.parse(await readFile(join(dataDir, CONSOLE_URL_FILE), "utf8")) as ConsoleUrlRecord;
		if (record.pid !== pid || typeof record.url !== "string") return null;
		const url = new URL(record.url);
		return url.protocol === "http:" || url.protocol === "https:" ? url.href.replace(/\/+$/, "") : null;
	} catch {
		return null;
	}
}
