/**
 * Bundles the `intercom-bridge` command (src/cli/main.ts, our modules and the dependencies) into
 * ES modules under `<package>/dist/bin/`: `intercom-bridge.js`, which bin/intercom-bridge.js runs
 * when it exists, and the chunks of what the CLI imports on first use (the admin console, the job
 * runner, the embedded database's driver...). Why: Node spent most of `serve`'s start resolving
 * and reading ~580 modules one by one; the bundle starts in about a third of the CPU
 * (docs/decisions/0038-bundled-cli.md).
 *
 * PGlite stays outside: it loads its WebAssembly and data files from beside its own modules. The
 * bundle reads `../../package.json` and `../../migrations/` from its own place, so it must sit two
 * folders below a package root; the browser module the live-site route serves is copied beside it.
 *
 * Usage: `node scripts/bundle-cli.ts [packageRoot]` (default this package; the start-up bench
 * bundles into a temporary copy of it).
 */
import { copyFile, rm } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const here = new URL("..", import.meta.url).pathname;

/** Writes the bundle to `<packageRoot>/dist/bin/`, replacing what was there. */
export async function bundleCli(packageRoot: string = here): Promise<string> {
	const outdir = resolve(packageRoot, "dist/bin");
	await rm(outdir, { recursive: true, force: true });
	await build({
		entryPoints: { "intercom-bridge": resolve(here, "src/cli/main.ts") },
		outdir,
		bundle: true,
		splitting: true,
		format: "esm",
		platform: "node",
		target: "node22",
		// The "types"/"default" exports of this package point into dist/, which need not exist.
		conditions: ["dev-source"],
		external: ["@electric-sql/pglite", "pg-native"],
		// Some dependencies are CommonJS and call require() for Node's modules.
		banner: {
			js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
		},
		logLevel: "warning",
		legalComments: "none",
	});
	await copyFile(
		resolve(here, "src/browser/intercom-bridge-browser.js"),
		resolve(outdir, "intercom-bridge-browser.js"),
	);
	return resolve(outdir, "intercom-bridge.js");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	process.stdout.write(`${await bundleCli(process.argv[2])}\n`);
}
