/**
 * `npm start`: the intercom-bridge demo (a coffee-shop site with the Messenger, the admin console,
 * the webhooks and an Intercom emulator) on the embedded database in ./.data.
 */
import { startDemo } from "./start-demo.ts";

const HELP = `Usage: npm start [-- --intercom emulator|real] [-- --help]

Starts the intercom-bridge demo: a coffee-shop site with the Intercom Messenger, the admin console,
the webhooks Intercom calls, and (by default) a local Intercom emulator with a "simulate Intercom"
page, on the embedded database in ./.data. Restarting keeps the data (the emulator's visitors,
contacts and conversations too, in ./.data/intercom-emulator.json); seeding only fills what is
missing, so settings you change in the admin console or with the CLI stay.

Environment:
  PORT                        port of the site (default 3000; the emulator takes PORT+1)
  EMULATOR_PORT               port of the Intercom emulator (default PORT+1)
  HOST                        interface (default 127.0.0.1)
  INTERCOM_BRIDGE_DATA_DIR    embedded database directory (default ./.data)
  DATABASE_URL                use PostgreSQL instead (then INTERCOM_BRIDGE_SECRET_KEY is required)
  LOG_LEVEL                   debug, info, warn (default), error

Using a real Intercom workspace instead of the emulator:
  1. In Intercom's Developer Hub, create an app; note its client id and client secret, and set its
     OAuth redirect URL to  <this site>/admin/oauth/callback  (the admin console shows the exact URL).
  2. Start with  npm start -- --intercom real  (or INTERCOM_BRIDGE_DEMO_INTERCOM=real) and sign in to
     the admin console with the password printed at first start.
  3. In "Intercom setup": enable the site, enter your workspace's App ID (Settings > Installation),
     the client id and secret, the identity verification secret (Messenger > Security), the region.
  4. In "Data access", click "Get token" and authorize the app.
  5. In your Intercom Series, add webhook blocks for the update-contact and log-activity URLs shown in
     "Webhook security", with the X-Api-Key header shown there.
  The site must be reachable from Intercom for webhooks (e.g. behind a tunnel or on a public host).
`;

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
	process.stdout.write(HELP);
} else {
	const i = args.indexOf("--intercom");
	const choice = (i >= 0 ? args[i + 1] : process.env.INTERCOM_BRIDGE_DEMO_INTERCOM) ?? "emulator";
	if (choice !== "emulator" && choice !== "real") {
		process.stderr.write(`--intercom must be "emulator" or "real", got "${choice}".\n`);
		process.exit(2);
	}
	try {
		const demo = await startDemo({ env: process.env, intercom: choice });
		let stopping = false;
		const stop = () => {
			if (stopping) return;
			stopping = true;
			process.stdout.write("\nStopping…\n");
			demo.close().then(
				() => process.exit(0),
				(err: unknown) => {
					process.stderr.write(`Shutdown failed: ${(err as Error).message}\n`);
					process.exit(1);
				},
			);
		};
		process.on("SIGINT", stop);
		process.on("SIGTERM", stop);
	} catch (err) {
		process.stderr.write(`${(err as Error).message}\n`);
		process.exit(1);
	}
}
