/**
 * First start: when no administrator exists, create one with a random password shown once.
 *
 * Where the password goes: standard output ends up in log stores under Docker, Kubernetes and
 * systemd, where a password must never be. So it is printed only when standard output is a
 * terminal (someone is watching); otherwise it is written to an owner-only file in the data
 * directory and only that file's path is printed.
 */
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { generatePassword } from "../crypto/password.ts";
import { ConfigError } from "../errors.ts";
import type { Store } from "../store/create-store.ts";

/** Name of the file the first administrator's password is written to when no one watches stdout. */
export const FIRST_ADMIN_PASSWORD_FILE = "first-admin-password.txt";

/** Options of {@link ensureFirstAdmin}. */
export interface FirstAdminOptions {
	/** Email of the first administrator. Default `admin@intercom-bridge.local`. */
	email?: string;
	/** Whether the printed lines reach a terminal. Default `process.stdout.isTTY === true`. */
	isTerminal?: boolean;
	/**
	 * Directory for the password file when not on a terminal: the data directory
	 * (`INTERCOM_BRIDGE_DATA_DIR`). Default `./.data`.
	 */
	dataDir?: string;
}

/**
 * Creates the first administrator (role `modify` on every site) when there is none: on a terminal
 * prints its generated password once; otherwise writes it to `<dataDir>/first-admin-password.txt`
 * (mode 0600) and prints only the path. Returns the email, or null when administrators exist.
 * Two instances starting together may race; the loser's insert conflicts and is ignored (and it
 * writes no file, so the file holds the password that works).
 * @throws ConfigError when the password file cannot be written (the message says how to recover).
 */
export async function ensureFirstAdmin(
	store: Store,
	print: (line: string) => void,
	options: FirstAdminOptions = {},
): Promise<string | null> {
	const email = options.email ?? "admin@intercom-bridge.local";
	if ((await store.countAdminUsers()) > 0) return null;
	const password = generatePassword();
	try {
		await store.addAdminUser({ email, password, role: "modify" });
	} catch (err) {
		if ((err as { code?: string }).code === "CONFLICT") return null;
		throw err;
	}
	await store.recordAudit({ kind: "admin", key: email, action: "add modify", actor: "first start" });
	print(`Created the first administrator: ${email}`);
	if (options.isTerminal ?? process.stdout.isTTY === true) {
		print(`  password: ${password}   (shown only now: keep it somewhere safe)`);
		return email;
	}
	// "./.data" is the default data directory of the service and the CLI (open-store-from-env.ts);
	// not imported from there, so the console does not load both database drivers.
	const dir = resolve(options.dataDir ?? "./.data");
	const file = resolve(dir, FIRST_ADMIN_PASSWORD_FILE);
	try {
		await mkdir(dir, { recursive: true, mode: 0o700 });
		await writeFile(file, `${email}\n${password}\n`, { mode: 0o600 });
		await chmod(file, 0o600); // mode applies only to a new file; an old one may have been wider
	} catch (err) {
		throw new ConfigError(
			`Could not write the first administrator's password to ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). ` +
				`Make the data directory writable, then set a password with \`intercom-bridge admin-users set-password ${email}\` on a terminal.`,
			{ cause: err },
		);
	}
	print(`  password: in ${file} (readable by this user only; delete it once you have signed in)`);
	return email;
}
