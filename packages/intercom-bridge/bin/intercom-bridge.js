#!/usr/bin/env node
// The intercom-bridge command. Runs the built CLI when present, else the TypeScript sources
// (Node strips the types itself from 22.18 on; the project pins Node 24).
import { existsSync } from "node:fs";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
	process.stderr.write(
		`intercom-bridge needs Node.js 24 (found ${process.versions.node}). Run it through npm (npx intercom-bridge, npm run ...), ` +
			"which uses the Node 24 the project installs, or install Node 24 LTS.\n",
	);
	process.exit(1);
}
const built = new URL("../dist/cli/main.js", import.meta.url);
const entry = existsSync(built) ? built : new URL("../src/cli/main.ts", import.meta.url);
const { runCli } = await import(entry.href);
process.exitCode = await runCli(process.argv.slice(2));
