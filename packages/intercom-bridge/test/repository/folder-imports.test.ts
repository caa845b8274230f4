/**
 * The folders of src/ import each other in one direction only (issue #19): no two folders import
 * each other, directly or round a circle, so each folder can be read, tested and moved knowing only
 * the folders below it. The test reads every import specifier of every file under src/ (static
 * `import`/`export … from`, `import("…")`), maps each relative one to the top folder it lands in,
 * and checks the arrows against ALLOWED below.
 *
 * A new arrow fails the test until it is listed here; list it only if the graph stays without a
 * circle (the test checks ALLOWED itself too). A file directly in src/ (errors.ts, logger.ts, the
 * index.ts entry) is its own node.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

/** Every arrow "from -> to" between folders of src/ the code may have (after issue #19's fix). */
const ALLOWED: Record<string, readonly string[]> = {
	adapters: ["bridge", "http", "messenger"],
	admin: ["crypto", "db", "http", "intercom", "jobs", "privacy", "settings", "store", "sync", "text"],
	bridge: ["browser", "http", "intercom", "jobs", "messenger", "settings", "store", "webhooks"],
	cli: ["admin", "config", "db", "intercom", "privacy", "server", "settings", "store", "sync", "testing"],
	config: ["db", "store"],
	db: ["crypto", "store"],
	http: ["store"],
	intercom: ["generated", "settings"],
	jobs: ["intercom", "settings", "store", "sync"],
	messenger: ["http", "intercom", "settings", "store"],
	privacy: ["jobs", "store"],
	server: ["admin", "bridge", "config", "http", "intercom", "jobs", "store", "sync"],
	settings: ["text"],
	store: ["crypto", "settings", "text"],
	sync: ["intercom", "messenger", "settings", "store"],
	testing: ["intercom"],
	webhooks: ["http", "intercom", "jobs", "privacy", "settings", "store"],
};

type Graph = Map<string, Set<string>>;

const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;

/** The import specifiers of a source text (comments are not stripped: examples in JSDoc use package names). */
export function importSpecifiers(text: string): string[] {
	return [...text.matchAll(IMPORT_RE)].map((m) => m[1] as string);
}

function sourceFiles(dir: string): string[] {
	const out: string[] = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) out.push(...sourceFiles(path));
		else if (/\.(ts|js)$/.test(entry.name)) out.push(path);
	}
	return out;
}

/** The node a file under src/ belongs to: its top folder, or its own name when it sits in src/. */
function nodeOf(file: string): string | null {
	const rel = relative(SRC, file);
	if (rel.startsWith("..")) return null;
	return rel.split(sep)[0] as string;
}

/** The folder import graph of src/: arrows between different nodes only. */
function folderGraph(): { graph: Graph; where: Map<string, string> } {
	const graph: Graph = new Map();
	const where = new Map<string, string>();
	for (const file of sourceFiles(SRC)) {
		const from = nodeOf(file);
		if (!from) continue;
		for (const spec of importSpecifiers(readFileSync(file, "utf8"))) {
			if (!spec.startsWith(".")) continue;
			const to = nodeOf(resolve(dirname(file), spec));
			if (!to || to === from) continue;
			if (!graph.has(from)) graph.set(from, new Set());
			graph.get(from)?.add(to);
			const arrow = `${from} -> ${to}`;
			if (!where.has(arrow)) where.set(arrow, relative(SRC, file).split(sep).join("/"));
		}
	}
	return { graph, where };
}

/** One circle of the graph (its nodes, first repeated at the end), or null when there is none. */
export function findCycle(graph: Graph): string[] | null {
	const state = new Map<string, "open" | "done">();
	const path: string[] = [];
	const visit = (node: string): string[] | null => {
		if (state.get(node) === "done") return null;
		if (state.get(node) === "open") return [...path.slice(path.indexOf(node)), node];
		state.set(node, "open");
		path.push(node);
		for (const next of [...(graph.get(node) ?? [])].sort()) {
			const cycle = visit(next);
			if (cycle) return cycle;
		}
		path.pop();
		state.set(node, "done");
		return null;
	};
	for (const node of [...graph.keys()].sort()) {
		const cycle = visit(node);
		if (cycle) return cycle;
	}
	return null;
}

/** A file directly in src/: the entry point, or a leaf such as errors.ts (circles still count). */
const isFile = (node: string) => /\.(ts|js)$/.test(node);

const graphOf = (arrows: Record<string, readonly string[]>): Graph =>
	new Map(Object.entries(arrows).map(([from, to]) => [from, new Set(to)]));

describe("folder imports of src/", () => {
	it("finds circles (the check itself)", () => {
		expect(findCycle(graphOf({ a: ["b"], b: ["c"], c: ["a"] }))).toEqual(["a", "b", "c", "a"]);
		expect(findCycle(graphOf({ bridge: ["webhooks"], webhooks: ["bridge"] }))).toEqual([
			"bridge",
			"webhooks",
			"bridge",
		]);
		expect(findCycle(graphOf({ a: ["b", "c"], b: ["c"], c: [] }))).toBeNull();
	});

	it("reads static, type-only, re-export and dynamic imports", () => {
		const text = [
			'import { a } from "../bridge/a.ts";',
			'import type { B } from "../http/b.ts";',
			"import {\n\tc,\n} from '../store/c.ts';",
			'export { d } from "./d.ts";',
			'import "../side-effect.ts";',
			'const e = await import("../jobs/e.ts");',
		].join("\n");
		expect(importSpecifiers(text)).toEqual([
			"../bridge/a.ts",
			"../http/b.ts",
			"../store/c.ts",
			"./d.ts",
			"../side-effect.ts",
			"../jobs/e.ts",
		]);
	});

	it("the allowed arrows make no circle", () => {
		expect(findCycle(graphOf(ALLOWED))).toBeNull();
	});

	it("has only allowed arrows between folders, so no circle", () => {
		const { graph, where } = folderGraph();
		// The graph is not empty: the walk found the folders (a wrong SRC would pass vacuously).
		expect(graph.get("bridge")?.has("messenger")).toBe(true);
		const unlisted = [...graph].flatMap(([from, tos]) =>
			[...tos]
				.filter((to) => !isFile(from) && !isFile(to) && !(ALLOWED[from] ?? []).includes(to))
				.map((to) => `${from} -> ${to} (first in src/${where.get(`${from} -> ${to}`)})`),
		);
		expect(unlisted, "arrows not in ALLOWED: list them only if no circle follows").toEqual([]);
		expect(findCycle(graph)).toBeNull();
	});
});
