/**
 * Tells a CLI command run beside this app where its console is. The embedded database allows one
 * process, so the CLI cannot change settings while the app runs; the console URL recorded in the
 * data directory lets it name the page that does (docs/decisions/0018-cli-beside-a-running-app.md).
 *
 * The URL is the console's public URL when configured, else the origin a signed-in administrator
 * reached it at: never a request's Host alone, which anyone could set to send the operator elsewhere.
 */
import { isAbsolute } from "node:path";
import type { MiddlewareHandler } from "hono";
import { recordConsoleUrl } from "../db/console-url-file.ts";
import type { Store } from "../store/create-store.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { publicOrigin } from "./request-info.ts";

/** The embedded database's directory, or null for PostgreSQL and in-memory stores. */
export function embeddedDataDir(store: Store): string | null {
	return store.kind === "pglite" && isAbsolute(store.location) ? store.location : null;
}

/**
 * Middleware for signed-in requests: records the console's URL in the data directory when it
 * changes (once per process, usually). A failure to write it is logged, never shown.
 */
export function announceConsole(deps: AdminDeps): MiddlewareHandler<AdminEnv> {
	const dataDir = embeddedDataDir(deps.store);
	let announced: string | undefined;
	return async (c, next) => {
		if (dataDir) {
			const url = `${publicOrigin(c, deps)}${deps.basePath}`;
			if (url !== announced) {
				announced = url;
				await recordConsoleUrl(dataDir, url).catch((err: Error) =>
					deps.logger.warn({ err: err.message }, "could not record the console URL for the CLI"),
				);
			}
		}
		await next();
	};
}

/**
 * Records that the console of this process is at `url` (`http://localhost:3000/admin`) for a CLI
 * command run beside it, when the store is an embedded database; does nothing otherwise. Call it
 * once the server listens: the console also records its URL at the first signed-in request.
 *
 * @example
 * app.listen(3000, () => announceConsoleUrl(store, "http://localhost:3000/admin"));
 */
export async function announceConsoleUrl(store: Store, url: string): Promise<void> {
	const dataDir = embeddedDataDir(store);
	if (dataDir) await recordConsoleUrl(dataDir, url.replace(/\/+$/, ""));
}
