/**
 * The repository is self-contained (issue 16): no tracked file refers to a path outside it, and the
 * citations of the project's own docs name something that exists there:
 * - "docs/reliability.md W12" (or the shorthand "reliability W12") names a requirement of
 *   docs/reliability.md, "docs/reliability.md section C" one of its sections;
 * - "docs/intercom.md §6.2" names a numbered heading of docs/intercom.md;
 * - "docs/reference-behaviour.md, "Snippet"" names a heading of docs/reference-behaviour.md;
 * - every mention of these docs (or of the outside reading material they replaced) resolves to a
 *   file in the repository, from the root for `docs/…` and from the citing file otherwise.
 * Skips, saying why, where `git` or the checkout's `.git` is missing (e.g. an unpacked tarball).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** Tracked files, or why they cannot be listed. */
function trackedFiles(): { files: string[] } | { skip: string } {
	const top = spawnSync("git", ["rev-parse", "--show-toplevel"], { cwd: ROOT, encoding: "utf8" });
	if (top.error) return { skip: `git is not available (${top.error.message})` };
	if (top.status !== 0) return { skip: `${ROOT} is not a git checkout (no .git)` };
	if (resolve(top.stdout.trim()) !== resolve(ROOT)) {
		return { skip: `${ROOT} is not the root of its own git checkout (${top.stdout.trim()} is)` };
	}
	const list = spawnSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
	if (list.status !== 0) return { skip: `git ls-files failed: ${list.stderr}` };
	return { files: list.stdout.split("\0").filter(Boolean) };
}

/** This file, whose examples of each problem would otherwise be found. */
const SELF = relative(ROOT, fileURLToPath(import.meta.url))
	.split(sep)
	.join("/");

/** Files not to check: this one, the lock file and Intercom's vendored spec (its text, verbatim). */
const notOurs = (file: string) =>
	file === SELF || file === "package-lock.json" || file.startsWith("packages/intercom-bridge/vendor/");

/** Tracked text files with their contents (binary and deleted files left out). */
function readTracked(files: string[]): Array<{ file: string; text: string }> {
	const out: Array<{ file: string; text: string }> = [];
	for (const file of files) {
		if (notOurs(file) || !existsSync(join(ROOT, file))) continue;
		const text = readFileSync(join(ROOT, file), "utf8");
		if (!text.includes("\0")) out.push({ file, text });
	}
	return out;
}

const lineOf = (text: string, index: number) => text.slice(0, index).split("\n").length;

/** Paths outside the repository, and a citation form that names no file. */
const OUTSIDE: Array<[RegExp, string]> = [
	[/\.\.\/shared/g, "a path into the shared folder beside the repository"],
	[/shared\/docs/g, "the shared reading material, outside the repository"],
	[/shared\/intercom-openapi/g, "the shared OpenAPI copy; use vendor/intercom-openapi/"],
	[/\bfacts §/g, 'a "facts §" citation; cite docs/intercom.md §N'],
];
/** Names of docs that are cited; each mention must resolve to a file in the repository. */
const CITED_DOC =
	/([\w./-]*?)\b(reliability|reference-behaviour|intercom-facts|intercom|conventions|seed-readme)\.md\b/g;

/** What the project's docs define: requirement IDs, section letters, § numbers, headings. */
function definitions() {
	const read = (name: string) => readFileSync(join(ROOT, "docs", name), "utf8");
	const reliability = read("reliability.md");
	const intercom = read("intercom.md");
	const reference = read("reference-behaviour.md");
	return {
		ids: new Set([...reliability.matchAll(/^- \*\*([WOASPX]\d{1,2})\./gm)].map((m) => m[1])),
		sections: new Set([...reliability.matchAll(/^## ([A-F])\. /gm)].map((m) => m[1])),
		paragraphs: new Set([...intercom.matchAll(/^#{2,4} (\d+(?:\.\d+)*)\.? /gm)].map((m) => m[1])),
		headings: new Set([...reference.matchAll(/^## (.+)$/gm)].map((m) => (m[1] ?? "").trim())),
	};
}

/** Every problem as "file:line: what", empty when the repository is self-contained. */
function problems(files: Array<{ file: string; text: string }>): string[] {
	const defs = definitions();
	const found: string[] = [];
	for (const { file, text } of files) {
		const at = (index: number, what: string) => found.push(`${file}:${lineOf(text, index)}: ${what}`);
		for (const [pattern, what] of OUTSIDE) {
			for (const m of text.matchAll(pattern)) at(m.index, `${m[0]}: ${what}`);
		}
		for (const m of text.matchAll(CITED_DOC)) {
			const [mention, prefix = ""] = m;
			if (prefix.includes("//") || prefix.endsWith("@")) continue; // a URL, not a path
			const base = mention.startsWith("docs/") ? ROOT : dirname(join(ROOT, file));
			const target = resolve(base, mention);
			const inside = !relative(ROOT, target).startsWith("..");
			if (!inside || !existsSync(target)) at(m.index, `${mention} is not a file of this repository`);
		}
		// "docs/reliability.md W1–W6, O5" and the shorthand "reliability P5" (also across a comment's
		// line break: "reliability\n\t * P5").
		const citation =
			/\breliability(?:\.md)?[\s*]+((?:[WOASPX]\d{1,2}(?:[–-][WOASPX]\d{1,2})?(?: [a-e]\b)?(?:,\s*|\s+and\s+)?)+)/g;
		for (const m of text.matchAll(citation)) {
			for (const id of (m[1] ?? "").match(/[WOASPX]\d{1,2}/g) ?? []) {
				if (!defs.ids.has(id)) at(m.index, `reliability ${id} is not a requirement in docs/reliability.md`);
			}
		}
		for (const m of text.matchAll(/docs\/reliability\.md section ([A-Z])\b/g)) {
			if (!defs.sections.has(m[1] ?? "")) at(m.index, `docs/reliability.md has no section ${m[1]}`);
		}
		for (const m of text.matchAll(/docs\/intercom\.md((?:,?\s*§\d+(?:\.\d+)*)+)/g)) {
			for (const n of (m[1] ?? "").match(/\d+(?:\.\d+)*/g) ?? []) {
				if (!defs.paragraphs.has(n)) at(m.index, `docs/intercom.md has no §${n}`);
			}
		}
		for (const m of text.matchAll(/docs\/reference-behaviour\.md,[\s*]*"([^"]+)"/g)) {
			if (!defs.headings.has(m[1] ?? "")) at(m.index, `docs/reference-behaviour.md has no section "${m[1]}"`);
		}
	}
	return found;
}

const listed = trackedFiles();
if ("skip" in listed) console.warn(`[self-contained] skipped: ${listed.skip}`);

describe("the repository is self-contained", () => {
	it.skipIf("skip" in listed)("refers to nothing outside it, and its citations resolve", () => {
		if ("skip" in listed) return;
		const files = readTracked(listed.files);
		// Guards the guard: the docs are read, and the walk saw the sources that cite them.
		expect(files.some((f) => f.file === "packages/intercom-bridge/src/webhooks/verify-webhook-auth.ts")).toBe(
			true,
		);
		expect(definitions().ids.size).toBeGreaterThanOrEqual(60);
		expect(problems(files)).toEqual([]);
	});

	it("reports each kind of problem it looks for", () => {
		const bad = [
			// Built from parts, so that this file itself holds no path out of the repository.
			`see ../${"shared"}/docs/x.md`,
			"(intercom-facts.md §2)",
			"(facts §1.4)",
			"(reliability.md W1)",
			"(docs/reliability.md W99, O5)",
			"(reliability\n\t * Q1) is no ID, but (reliability\n\t * P77) is one that does not exist",
			"docs/reliability.md section Z",
			"docs/intercom.md §1.2, §42",
			'docs/reference-behaviour.md, "No such section"',
		].join("\n");
		const good = [
			"docs/reliability.md W1–W6, X3 a, and O14",
			"reliability P5",
			"docs/reliability.md section C",
			"docs/intercom.md §9.1.2",
			'docs/reference-behaviour.md,\n * "Snippet"',
			"https://example.com/reliability.md",
		].join("\n");
		const found = problems([
			{ file: "packages/intercom-bridge/src/bad.ts", text: bad },
			{ file: "packages/intercom-bridge/src/good.ts", text: good },
		]);
		expect(found.filter((p) => p.startsWith("packages/intercom-bridge/src/good.ts"))).toEqual([]);
		const bads = found.join("\n");
		for (const expected of [
			":1: ../shared",
			":2: intercom-facts.md is not a file",
			":3: facts §",
			":4: reliability.md is not a file",
			":5: reliability W99 is not",
			":7: reliability P77 is not",
			":9: docs/reliability.md has no section Z",
			":10: docs/intercom.md has no §42",
			':11: docs/reference-behaviour.md has no section "No such section"',
		]) {
			expect(bads).toContain(expected);
		}
		expect(found).toHaveLength(9 + 1); // the path out also matches the reading-material pattern
	});
});
