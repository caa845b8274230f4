/** Runs the example: `node --conditions=dev-source examples/custom-fields/server.ts` (PORT, INTERCOM_BRIDGE_DATA_DIR). */
import { pgliteStore } from "intercom-bridge/pglite";
import { createCustomFieldsApp } from "./custom-fields-app.ts";

const store = await pgliteStore({ dataDir: process.env.INTERCOM_BRIDGE_DATA_DIR ?? "./.data" });
await store.prepare(); // schema, the `default` site and its webhook API key
const port = Number(process.env.PORT ?? 3000);
createCustomFieldsApp(store).listen(port, "127.0.0.1", () => {
	console.log(`Custom fields example on http://127.0.0.1:${port}`);
});
