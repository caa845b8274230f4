/**
 * `npm start`: the intercom-bridge service on the embedded database (or DATABASE_URL).
 * Until the demo site exists it serves the store-backed service: health and, as they land,
 * webhooks and the admin console.
 */
import { runService } from "intercom-bridge/server";

const HELP = `Usage: npm start [-- --help]

Starts intercom-bridge on http://127.0.0.1:3000 with the embedded database in ./.data.

Environment:
  PORT                        port to listen on (default 3000)
  HOST                        interface (default 127.0.0.1; 0.0.0.0 in a container)
  INTERCOM_BRIDGE_DATA_DIR    embedded database directory (default ./.data)
  DATABASE_URL                use PostgreSQL instead of the embedded database
  INTERCOM_BRIDGE_SECRET_KEY  key for secrets at rest (required with DATABASE_URL)
  LOG_LEVEL                   debug, info (default), warn, error
`;

if (process.argv.includes("--help") || process.argv.includes("-h")) {
	process.stdout.write(HELP);
} else {
	try {
		await runService(process.env);
	} catch (err) {
		process.stderr.write(`${(err as Error).message}\n`);
		process.exit(1);
	}
}
