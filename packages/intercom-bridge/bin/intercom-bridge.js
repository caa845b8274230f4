#!/usr/bin/env node
// The intercom-bridge command. Runs the built CLI when present (what the npm package ships): the
// bundle in dist/bin/ (scripts/bundle-cli.ts; it starts in about a third of the CPU of ~580
// separate modules, docs/decisions/0038-bundled-cli.md), else the separate modules in dist/cli/,
// else the TypeScript sources of a checkout, which need a Node that strips types itself.
import { existsSync } from "node:fs";
import module from "node:module";
import v8 from "node:v8";

const built = [
	new URL("../dist/bin/intercom-bridge.js", import.meta.url),
	new URL("../dist/cli/main.js", import.meta.url),
].find((url) => existsSync(url));
const fromSource = built === undefined;
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
const stripsTypes = major >= 24 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
if (major < 22 || (fromSource && !stripsTypes)) {
	process.stderr.write(
		`intercom-bridge needs Node.js 22 or later${fromSource ? " (22.18 or later to run from its TypeScript sources)" : ""}; ` +
			`this is ${process.versions.node}. Install Node 22 or 24 LTS; in the intercom-bridge repository, ` +
			"npm scripts and npx run on the Node 24 it installs.\n",
	);
	process.exit(1);
}
// Node's compile cache (in the OS temporary directory) keeps the compiled modules for the next
// start: loading the CLI then takes about a third less CPU (docs/decisions/0036-lean-start-and-memory.md).
module.enableCompileCache?.();
// The young generation stays at the size it has instead of doubling up to 128 MB on a large
// machine: loading ~580 separate modules alone grew it to the maximum, which V8 keeps for good.
// That was 160 MB of the service's RSS, at idle and under load. Since `serve` gives memory back
// when quiet (decision 0041) the young generation's size shows only under load: about 100 MB, for
// about a fifth more CPU a webhook (decisions 0036, 0041). The bundle (about 1.2 MB of code to the
// first answer) may grow it while it loads: from 1 MB to 4 MB a semi-space, 4 scavenges instead of
// 9–10 (docs/decisions/0044-serve-start-on-postgres.md); `serve`'s first quiet collection gives
// that back. An explicit semi-space flag is left alone: `NODE_OPTIONS=--max-semi-space-size=<MB>`
// (Node refuses the growth factor in NODE_OPTIONS) or `node --semi-space-growth-factor=2 <this file>`.
const fixYoungGeneration = () => {
	if (![...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((arg) => arg.includes("semi-space"))) {
		v8.setFlagsFromString("--semi-space-growth-factor=1");
	}
};
const bundled = built?.pathname.endsWith("/dist/bin/intercom-bridge.js") ?? false;
if (!bundled) fixYoungGeneration();
const entry = built ?? new URL("../src/cli/main.ts", import.meta.url);
const { runCli } = await import(entry.href);
if (bundled) fixYoungGeneration();
process.exitCode = await runCli(process.argv.slice(2));
