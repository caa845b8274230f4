/**
 * src/store/ is the only code that speaks SQL (docs/decisions/0015-store-is-the-sql-boundary.md).
 * Biome's noRestrictedImports (biome.json) keeps drizzle-orm, the schema and the store's internals
 * out of other folders; this test catches what an import rule cannot see: SQL written through an
 * object that came in some other way (`store.db`, `sql\`…\``, a raw `.execute(` or query text).
 * src/db/ (the drivers) is exempt.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

/** Folders of src/ allowed to speak SQL: the store and the drivers (and the generated types). */
const EXEMPT = ["store", "db", "generated"];

/** What SQL outside the store looks like. */
const SQL_SIGNS: Array<[RegExp, string]> = [
	[/\bsql`/, "a Drizzle sql`…` template"],
	[/\bsql\.(raw|join|param)\(/, "a Drizzle sql helper"],
	[/\.db\b\s*\.\s*(execute|select|insert|update|delete|transaction)\b/, "a query on a Drizzle database"],
	[/\bstore\.(db|client)\b/, "the store's raw database or client"],
	[/\b(tx|client|pool)\.(execute|query)\(/, "a raw query on a transaction or driver"],
	[/\b(insert\s+into|delete\s+from|json_to_recordset|on\s+conflict)\b/i, "SQL text"],
];

/** The TypeScript files under `dir`, relative to src/ with `/` separators. */
function sourceFiles(dir: string): string[] {
	const out: string[] = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) out.push(...sourceFiles(path));
		else if (/\.(ts|js)$/.test(entry.name)) out.push(relative(SRC, path).split(sep).join("/"));
	}
	return out;
}

/** Every sign of SQL in `text`, as `line: what`. */
function sqlSigns(text: string): string[] {
	const found: string[] = [];
	text.split("\n").forEach((line, i) => {
		for (const [pattern, what] of SQL_SIGNS) if (pattern.test(line)) found.push(`${i + 1}: ${what}`);
	});
	return found;
}

describe("the SQL boundary", () => {
	it("recognises each sign of SQL it looks for", () => {
		expect(sqlSigns("await store.db.execute(sql`select 1`);")).toEqual([
			"1: a Drizzle sql`…` template",
			"1: a query on a Drizzle database",
			"1: the store's raw database or client",
		]);
		expect(sqlSigns("const x = store.client;\nawait tx.execute(q);")).toEqual([
			"1: the store's raw database or client",
			"2: a raw query on a transaction or driver",
		]);
		expect(sqlSigns("`insert into contacts (guid) values ($1)`")).toEqual(["1: SQL text"]);
		expect(sqlSigns("await store.getContact(guid);\nconst select = html`<select>`;")).toEqual([]);
	});

	it("finds no SQL in src/ outside src/store/ and src/db/", () => {
		const files = sourceFiles(SRC).filter((file) => !EXEMPT.includes(file.split("/")[0] ?? ""));
		expect(files.length).toBeGreaterThan(50);
		const offences = files.flatMap((file) =>
			sqlSigns(readFileSync(join(SRC, file), "utf8")).map((sign) => `src/${file}:${sign}`),
		);
		expect(offences).toEqual([]);
	});
});
