/**
 * Generates `src/generated/intercom-openapi.ts` from Intercom's OpenAPI 2.16 description with
 * openapi-typescript. The output is committed, so CI never has to regenerate it.
 *
 * Usage (from anywhere; paths are resolved against this file, not the working directory):
 *
 * ```sh
 * npm run generate:intercom-types --workspace intercom-bridge               # default: the 2.16 subset
 * npm run generate:intercom-types --workspace intercom-bridge -- path.yaml  # another spec (JSON or YAML)
 * npm run generate:intercom-types --workspace intercom-bridge -- --check    # exit 1 if the file is stale
 * ```
 *
 * The default spec is the vendored `vendor/intercom-openapi/intercom-openapi-2.16-contacts-conversations-subset.json`
 * of this package (Intercom's MIT-licensed description, see its README): the subset holds exactly
 * the operations the client uses, and gives a file about a tenth of the size of the whole API's.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, extname, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { parse as parseYaml } from "yaml";

const packageRoot = resolve(import.meta.dirname, "..");
/** The vendored Intercom OpenAPI 2.16 subset (MIT, Intercom, Inc.): see its README for the source. */
export const defaultSpec = resolve(
	packageRoot,
	"vendor/intercom-openapi/intercom-openapi-2.16-contacts-conversations-subset.json",
);
const outFile = resolve(packageRoot, "src/generated/intercom-openapi.ts");

/** Parses a spec file as YAML (`.yaml`/`.yml`) or JSON, and checks it looks like OpenAPI 3. */
async function readSpec(path: string): Promise<{ spec: OpenAPI3; text: string }> {
	let text: string;
	try {
		text = await readFile(path, "utf8");
	} catch (err) {
		throw new Error(
			`[intercom-bridge] cannot read the OpenAPI spec at ${path}. Pass its path as the first argument.`,
			{ cause: err },
		);
	}
	const ext = extname(path).toLowerCase();
	const parsed: unknown = ext === ".yaml" || ext === ".yml" ? parseYaml(text) : JSON.parse(text);
	if (typeof parsed !== "object" || parsed === null || !("openapi" in parsed) || !("paths" in parsed)) {
		throw new Error(`[intercom-bridge] ${path} is not an OpenAPI 3 description (no "openapi" or "paths").`);
	}
	return { spec: parsed as OpenAPI3, text };
}

/** Whether every branch of a composition only lists `required` names (plus a title or description). */
function isRequiredOnly(branches: unknown): boolean {
	return (
		Array.isArray(branches) &&
		branches.every(
			(b) =>
				typeof b === "object" &&
				b !== null &&
				Object.keys(b).every((k) => k === "required" || k === "title" || k === "description"),
		)
	);
}

/**
 * Drops `anyOf`/`oneOf` compositions whose branches only say which properties are required, such as
 * `create_contact_request`'s "email, external_id or role". openapi-typescript renders each such
 * branch as `unknown`, and `{...} | unknown` is `unknown`: the whole body would lose its type. The
 * "at least one of" rule is restated by hand in `src/intercom/intercom-types.ts`.
 */
export function dropRequiredOnlyCompositions(node: unknown, dropped: string[] = [], path = "#"): string[] {
	if (typeof node !== "object" || node === null) return dropped;
	const record = node as Record<string, unknown>;
	for (const key of ["anyOf", "oneOf"]) {
		if (isRequiredOnly(record[key])) {
			delete record[key];
			dropped.push(`${path}/${key}`);
		}
	}
	for (const [key, value] of Object.entries(record))
		dropRequiredOnlyCompositions(value, dropped, `${path}/${key}`);
	return dropped;
}

/** Renders the whole file: our header, then openapi-typescript's output. */
export async function renderIntercomTypes(specPath: string): Promise<string> {
	const { spec, text } = await readSpec(specPath);
	// emptyObjectsUnknown: `custom_attributes` is a bare `type: object`; the default would type it
	// `Record<string, never>`, which accepts no attribute at all.
	const dropped = dropRequiredOnlyCompositions(spec);
	const ast = await openapiTS(spec, { silent: true, emptyObjectsUnknown: true });
	const sha256 = createHash("sha256").update(text).digest("hex");
	// No absolute paths or dates in the header: regenerating from the same spec must give the same bytes.
	const header = [
		"/**",
		" * Types of Intercom's REST API, generated, do not edit.",
		" *",
		` * Source: ${basename(specPath)} (OpenAPI ${spec.openapi}, API ${spec.info?.version ?? "unknown"})`,
		` * Spec sha256: ${sha256}`,
		...dropped.map((d) => ` * Dropped (required-only branches, see the script): ${d}`),
		" * Regenerate with `npm run generate:intercom-types --workspace intercom-bridge`",
		" * (packages/intercom-bridge/scripts/generate-intercom-types.ts).",
		" */",
		"",
	].join("\n");
	return `${header}\n${astToString(ast)}`;
}

async function main(): Promise<void> {
	const { values, positionals } = parseArgs({
		allowPositionals: true,
		options: { check: { type: "boolean", default: false } },
	});
	const specPath = resolve(positionals[0] ?? defaultSpec);
	const output = await renderIntercomTypes(specPath);
	const shown = relative(process.cwd(), outFile);
	if (values.check) {
		const current = await readFile(outFile, "utf8").catch(() => "");
		if (current !== output) {
			console.error(`[intercom-bridge] ${shown} is stale; run npm run generate:intercom-types.`);
			process.exitCode = 1;
			return;
		}
		console.log(`${shown} is up to date.`);
		return;
	}
	await mkdir(dirname(outFile), { recursive: true });
	await writeFile(outFile, output);
	console.log(`Wrote ${shown} from ${specPath}.`);
}

if (import.meta.main) {
	await main().catch((err: unknown) => {
		// A clear one-line message: a stack trace says nothing more about a missing or broken spec.
		console.error(err instanceof Error ? err.message : err);
		process.exitCode = 1;
	});
}
