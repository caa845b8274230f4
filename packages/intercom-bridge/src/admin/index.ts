/**
 * `intercom-bridge/admin`: the administration console, a server-rendered Hono app.
 *
 * @example
 * import { createAdminApp, ensureFirstAdmin } from "intercom-bridge/admin";
 * await ensureFirstAdmin(store, console.log);
 * app.route("/", createAdminApp({ store, logger, publicUrl: "https://admin.example.com" }));
 */
export { createAdminGate } from "./admin-gate.ts";
export { announceConsoleUrl } from "./announce-console.ts";
export { type AdminAppOptions, createAdminApp } from "./create-admin-app.ts";
export { ensureFirstAdmin, FIRST_ADMIN_PASSWORD_FILE, type FirstAdminOptions } from "./first-admin.ts";
