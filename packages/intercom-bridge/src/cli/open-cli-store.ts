/**
 * How a CLI command opens the store: the one the environment names, brought up to date, always
 * closed. When a running app holds the embedded database, the command cannot run beside it; the
 * error then names the console page of that app that does the same (docs/decisions/0018).
 */
import { resolve } from "node:path";
import { DEFAULT_DATA_DIR, openStoreFromEnv } from "../config/open-store-from-env.ts";
import { readConsoleUrl } from "../db/console-url-file.ts";
import { DataDirLockedError } from "../errors.ts";
import type { ConsolePage, WithStore } from "./cli-context.ts";
import type { CliIo } from "./output.ts";

/** The {@link WithStore} of a CLI run with `io`'s environment. */
export function cliStoreOpener(io: CliIo): WithStore {
	return async (fn, page) => {
		let store: Awaited<ReturnType<typeof openStoreFromEnv>>;
		try {
			store = await openStoreFromEnv(io.env);
		} catch (err) {
			if (err instanceof DataDirLockedError) throw await pointToConsole(err, io, page);
			throw err;
		}
		try {
			await store.prepare();
			return await fn(store);
		} finally {
			await store.close();
		}
	};
}

/** The lock error again, saying where the running app's console does the command's work, when known. */
async function pointToConsole(
	err: DataDirLockedError,
	io: CliIo,
	page: ConsolePage | undefined,
): Promise<DataDirLockedError> {
	const dataDir = resolve(io.env.INTERCOM_BRIDGE_DATA_DIR?.trim() || DEFAULT_DATA_DIR);
	const consoleUrl = err.pid > 0 ? await readConsoleUrl(dataDir, err.pid) : null;
	if (!consoleUrl) return err;
	const url = page?.site
		? `${consoleUrl}/sites/${encodeURIComponent(page.site)}/${page.section ?? "setup"}`
		: consoleUrl;
	const what = page?.site ? "change settings" : "use its admin console";
	return new DataDirLockedError(
		`The app with pid ${err.pid} holds ${dataDir}; ${what} at ${url} or stop it. ` +
			"(The embedded database allows one process at a time; with PostgreSQL, DATABASE_URL, the CLI runs beside the app.)",
		err.pid,
	);
}
