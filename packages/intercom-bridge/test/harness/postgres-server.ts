/**
 * Starts a throw-away PostgreSQL cluster from the machine's (Debian's) PostgreSQL binaries, on a
 * free port on 127.0.0.1, for the conformance suites. Runs initdb and the server as the `postgres`
 * OS user when we are root (CI runs as root, and PostgreSQL refuses to run as root).
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chmod, chown, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The directory holding initdb and pg_ctl, the newest version first. */
export function findPostgresBinDir(): string | null {
	const root = "/usr/lib/postgresql";
	if (existsSync(root)) {
		const versions = readdirSync(root)
			.filter((v) => existsSync(join(root, v, "bin", "initdb")))
			.sort((a, b) => Number(b) - Number(a));
		if (versions[0]) return join(root, versions[0], "bin");
	}
	for (const dir of (process.env.PATH ?? "").split(":")) {
		if (dir && existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"))) return dir;
	}
	return null;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const address = server.address();
			const port = typeof address === "object" && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

async function lookupUid(name: string): Promise<{ uid: number; gid: number }> {
	const passwd = await readFile("/etc/passwd", "utf8");
	const line = passwd.split("\n").find((l) => l.startsWith(`${name}:`));
	if (!line) throw new Error(`No OS user "${name}": install PostgreSQL (apt-get install -y postgresql).`);
	const [, , uid, gid] = line.split(":");
	return { uid: Number(uid), gid: Number(gid) };
}

export interface PostgresServer {
	/** `postgres://postgres@127.0.0.1:<port>/postgres` */
	url: string;
	dataDir: string;
	stop(): Promise<void>;
	/** `pg_ctl stop -m immediate` without removing the data, then `restart()` brings it back. */
	kill(): Promise<void>;
	restart(): Promise<void>;
}

/** Starts a new cluster. @throws when PostgreSQL is not installed, saying how to install it. */
export async function startPostgres(): Promise<PostgresServer> {
	const bin = findPostgresBinDir();
	if (!bin) {
		throw new Error(
			"PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin and PATH). Install them: apt-get install -y postgresql, or set TEST_DATABASE_URL.",
		);
	}
	const dir = await mkdtemp(join(tmpdir(), "ib-pg-"));
	const dataDir = join(dir, "data");
	const asRoot = userInfo().uid === 0;
	const exec = async (cmd: string, args: string[]) => {
		const full = join(bin, cmd);
		return asRoot ? run("runuser", ["-u", "postgres", "--", full, ...args]) : run(full, args);
	};
	if (asRoot) {
		const { uid, gid } = await lookupUid("postgres");
		await chown(dir, uid, gid);
		await chmod(dir, 0o700);
	}
	await exec("initdb", [
		"-D",
		dataDir,
		"-U",
		"postgres",
		"--auth=trust",
		"-E",
		"UTF8",
		"--no-sync",
		"--no-instructions",
	]);
	const port = await freePort();
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
	const start = () =>
		exec("pg_ctl", ["-D", dataDir, "-l", join(dir, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
	await start();
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		dataDir,
		async kill() {
			await exec("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
		},
		async restart() {
			await start();
		},
		async stop() {
			await exec("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]).catch(() => {});
			await rm(dir, { recursive: true, force: true });
		},
	};
}
