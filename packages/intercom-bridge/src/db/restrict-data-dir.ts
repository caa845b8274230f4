/**
 * Keeps an embedded data directory to its owner. PGlite lays out a new database with its files
 * world-readable and writable (0666, whatever the umask), and a directory that already exists
 * keeps its mode: a Docker volume is often 0777. The data directory holds the database (contacts,
 * sessions, encrypted secrets) and the key that decrypts those secrets, so it must be 0700.
 */
import { chmodSync, lstatSync, readdirSync } from "node:fs";
import { chmod, lstat } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../errors.ts";

/** Permission bits for "anyone but the owner". */
const GROUP_AND_OTHER = 0o077;

/**
 * Makes `dataDir` 0700. Call before anything is written into it.
 * @throws ConfigError when the mode cannot be changed (the directory belongs to another user),
 *   naming the commands that fix it.
 */
export async function restrictDataDir(dataDir: string): Promise<void> {
	if (process.platform === "win32") return;
	const { mode, uid } = await lstat(dataDir);
	if ((mode & 0o777) === 0o700) return;
	try {
		await chmod(dataDir, 0o700);
	} catch (cause) {
		const self = process.getuid?.();
		throw new ConfigError(
			`The data directory ${dataDir} is open to other users (mode ${(mode & 0o777).toString(8).padStart(4, "0")}) and could not be restricted: ` +
				`it belongs to uid ${uid}, this process runs as uid ${self ?? "?"}. ` +
				`Make it this user's and private (chown ${self ?? "<uid>"} ${dataDir} && chmod 700 ${dataDir}), or point INTERCOM_BRIDGE_DATA_DIR elsewhere.`,
			{ cause },
		);
	}
}

/**
 * Takes the group's and others' permissions off everything under `dir` (which {@link restrictDataDir}
 * already closed). Symbolic links are left alone: nothing outside the directory is changed.
 *
 * Synchronous calls on purpose: it runs once, while the store opens, over about 1,200 entries of
 * a PGlite database, which took 35–55 ms one awaited call at a time and 6–12 ms so
 * (docs/decisions/0038-bundled-cli.md).
 */
export async function restrictTree(dir: string): Promise<void> {
	if (process.platform === "win32") return;
	restrictTreeSync(dir);
}

function restrictTreeSync(dir: string): void {
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		if (entry.isSymbolicLink()) continue;
		const path = join(dir, entry.name);
		// A file PGlite removes meanwhile (a temporary one) is no longer anyone's concern.
		let stats: ReturnType<typeof lstatSync>;
		try {
			stats = lstatSync(path);
		} catch {
			continue;
		}
		if ((stats.mode & GROUP_AND_OTHER) !== 0) {
			try {
				chmodSync(path, stats.mode & 0o700);
			} catch (err) {
				if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
			}
		}
		if (entry.isDirectory()) restrictTreeSync(path);
	}
}
