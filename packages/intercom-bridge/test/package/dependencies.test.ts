/**
 * The package's runtime dependencies are exactly what its shipped code imports: none unused (each
 * costs every user an install), none missing (the installed package would fail to load).
 */
import { readdir, readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Source files that end up in the package: the CLI's bin and src/ without tests and their helpers. */
async function shippedSources(): Promise<string[]> {
	const src = await readdir(join(ROOT, "src"), { recursive: true, withFileTypes: true });
	const files = src
		.filter((e) => e.isFile() && /\.(ts|js)$/.test(e.name) && !/\.test(-support)?\.ts$/.test(e.name))
		.map((e) => join(e.parentPath, e.name));
	return [...files, join(ROOT, "bin/intercom-bridge.js")];
}

/** The package names a file imports (static, dynamic, and through createRequire). */
function importedPackages(text: string): string[] {
	const specifiers = [
		...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g),
		...text.matchAll(/createRequire\([^)]*\)\(\s*["']([^"']+)["']/g),
	].map((m) => m[1] ?? "");
	return specifiers
		.filter((s) => !s.startsWith(".") && !s.startsWith("node:") && !builtinModules.includes(s))
		.map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : (s.split("/")[0] ?? s)));
}

describe("the package's runtime dependencies", () => {
	it("are each imported by shipped code, and cover everything it imports", async () => {
		const manifest = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"));
		const dependencies = Object.keys(manifest.dependencies ?? {}).sort();
		const peers = Object.keys(manifest.peerDependencies ?? {});
		const usedBy = new Map<string, string[]>();
		for (const file of await shippedSources()) {
			for (const name of importedPackages(await readFile(file, "utf8"))) {
				if (name === manifest.name) continue;
				usedBy.set(name, [...(usedBy.get(name) ?? []), relative(ROOT, file)]);
			}
		}
		expect(usedBy.size, "the import scan found nothing: the pattern is broken").toBeGreaterThan(5);
		const unused = dependencies.filter((d) => !usedBy.has(d));
		expect(unused, "dependencies no shipped file imports (remove them)").toEqual([]);
		const missing = [...usedBy.keys()].filter((n) => !dependencies.includes(n) && !peers.includes(n));
		expect(
			missing.map((n) => `${n} (${usedBy.get(n)?.join(", ")})`),
			"imported by shipped code but not a dependency or peer",
		).toEqual([]);
	});
});
