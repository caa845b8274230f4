/**
 * Checks requests and responses against Intercom's OpenAPI 2.16 (the contacts/conversations
 * subset vendored in `vendor/intercom-openapi/`), with ajv. OpenAPI 3.0 is not quite JSON Schema, so the
 * schemas are converted once: `nullable` becomes a `null` alternative, `$ref`s point into one
 * registered document, and examples and `x-` extensions are dropped.
 *
 * Two deliberate leniencies, both forced by Intercom's own examples in the spec:
 * - `format: uri` accepts relative references (`"url": "/contacts/{id}/tags"`);
 * - `format: date-time` / `timestamp` on integers are unix seconds, not RFC 3339 strings (ajv only
 *   applies string formats to strings anyway).
 *
 * @example
 * const result = validateResponse("SearchContacts", 200, body);
 * expect(result.errors).toEqual([]);
 * validateRequest("POST /contacts", { email: "a@b.c" });
 */
import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

type Json = Record<string, unknown>;

const SPEC_PATH =
	process.env.INTERCOM_OPENAPI_SUBSET ??
	new URL(
		"../../vendor/intercom-openapi/intercom-openapi-2.16-contacts-conversations-subset.json",
		import.meta.url,
	).pathname;
const DOC_ID = "intercom-2.16";
const METHODS = ["get", "put", "post", "delete", "patch"] as const;
const DROP = new Set(["example", "examples", "discriminator", "xml", "externalDocs", "nullable"]);

/** An operation of the spec. */
export interface Operation {
	operationId: string;
	method: string;
	/** Templated path, e.g. `/contacts/{contact_id}`. */
	path: string;
	raw: Json;
}

export interface ValidationResult {
	valid: boolean;
	/** ajv errors as `instancePath message` lines; empty when valid. */
	errors: string[];
	/** False when the status is not in the spec for this operation (then an error status is checked against `error`). */
	documented: boolean;
}

/** OpenAPI 3.0 schema → JSON Schema (draft-07 as ajv reads it). */
export function toJsonSchema(node: unknown): unknown {
	if (Array.isArray(node)) return node.map(toJsonSchema);
	if (typeof node !== "object" || node === null) return node;
	const src = node as Json;
	if (typeof src.$ref === "string") {
		// OpenAPI 3.0 ignores siblings of $ref, but Intercom uses `nullable` there meaning "or null".
		const ref = { $ref: src.$ref.replace(/^#\//, `${DOC_ID}#/`) };
		return src.nullable === true ? { anyOf: [ref, { type: "null" }] } : ref;
	}
	const out: Json = {};
	for (const [key, value] of Object.entries(src)) {
		if (DROP.has(key) || key.startsWith("x-")) continue;
		out[key] = key === "properties" ? mapValues(value as Json) : toJsonSchema(value);
	}
	if (src.nullable !== true) return out;
	if ("allOf" in out || "oneOf" in out || "anyOf" in out || typeof out.type !== "string") {
		return { anyOf: [out, { type: "null" }] };
	}
	out.type = [out.type, "null"];
	if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
	return out;
}

function mapValues(properties: Json): Json {
	return Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, toJsonSchema(v)]));
}

let loaded: { spec: Json; ajv: Ajv; operations: Operation[] } | undefined;
const compiled = new Map<string, ValidateFunction>();

function load() {
	if (loaded) return loaded;
	const spec = JSON.parse(readFileSync(SPEC_PATH, "utf8")) as Json;
	const ajv = new Ajv({ strict: false, allErrors: true });
	addFormats(ajv);
	ajv.addFormat("uri", {
		type: "string",
		validate: (s: string) => URL.canParse(s, "https://api.intercom.io"),
	});
	ajv.addFormat("timestamp", { type: "number", validate: () => true });
	const components = spec.components as Json;
	ajv.addSchema({ $id: DOC_ID, components: { schemas: mapValues(components.schemas as Json) } });
	const operations: Operation[] = [];
	for (const [path, item] of Object.entries(spec.paths as Json)) {
		for (const method of METHODS) {
			const raw = (item as Json)[method] as Json | undefined;
			if (raw)
				operations.push({ operationId: String(raw.operationId), method: method.toUpperCase(), path, raw });
		}
	}
	loaded = { spec, ajv, operations };
	return loaded;
}

/** Every operation of the subset. */
export function listOperations(): Operation[] {
	return load().operations;
}

/**
 * Finds an operation by operationId (`SearchContacts`), by `"POST /contacts/search"`, or by a
 * concrete path (`{ method: "GET", path: "/contacts/5f2…" }`; a query string is ignored).
 * @throws Error when nothing matches.
 */
export function findOperation(ref: string | { method: string; path: string }): Operation {
	const ops = load().operations;
	let method: string | undefined;
	let path: string | undefined;
	if (typeof ref === "string") {
		const byId = ops.find((op) => op.operationId === ref);
		if (byId) return byId;
		[method, path] = ref.split(" ");
	} else {
		({ method, path } = ref);
	}
	const concrete = (path ?? "").split("?")[0] ?? "";
	const matches = ops.filter((op) => {
		if (op.method !== method?.toUpperCase()) return false;
		const pattern = new RegExp(`^${op.path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
		return pattern.test(concrete);
	});
	// A literal segment beats a parameter (`/contacts/search` over `/contacts/{id}`).
	const best = matches.sort(
		(a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0),
	)[0];
	if (!best) throw new Error(`No operation in the 2.16 subset for ${JSON.stringify(ref)}`);
	return best;
}

function check(key: string, schema: unknown, value: unknown, documented = true): ValidationResult {
	const { ajv } = load();
	let validate = compiled.get(key);
	if (!validate) {
		validate = ajv.compile(toJsonSchema(schema) as Json);
		compiled.set(key, validate);
	}
	const valid = validate(value) as boolean;
	const errors = valid
		? []
		: (validate.errors ?? []).map(
				(e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
			);
	return { valid, errors, documented };
}

/** Validates a value against a named component schema (e.g. `error`, `contact`). */
export function validateSchema(name: string, value: unknown): ValidationResult {
	const schemas = (load().spec.components as Json).schemas as Json;
	if (!(name in schemas)) throw new Error(`No schema ${name} in the 2.16 subset`);
	return check(`schema:${name}`, { $ref: `#/components/schemas/${name}` }, value);
}

const jsonSchemaOf = (holder: unknown): unknown =>
	(((holder as Json | undefined)?.content as Json | undefined)?.["application/json"] as Json | undefined)
		?.schema;

/**
 * Validates a response body. A status the spec does not list for the operation (Intercom's 409 on
 * create, 429s) is checked against `error` when it is an error status, with `documented: false`.
 */
export function validateResponse(
	ref: string | { method: string; path: string },
	status: number,
	body: unknown,
): ValidationResult {
	const op = findOperation(ref);
	const responses = op.raw.responses as Json;
	const response = responses[String(status)] ?? responses.default;
	const schema = jsonSchemaOf(response);
	if (schema) return check(`res:${op.operationId}:${status}`, schema, body);
	if (status >= 400) return { ...validateSchema("error", body), documented: false };
	return {
		valid: false,
		errors: [`status ${status} is not documented for ${op.operationId}`],
		documented: false,
	};
}

/**
 * Validates a request: its JSON body against the operation's request schema, and, when headers
 * are given, `Intercom-Version` against the `intercom_version` enum.
 */
export function validateRequest(
	ref: string | { method: string; path: string },
	body: unknown,
	options: { headers?: Record<string, string> | Headers } = {},
): ValidationResult {
	const op = findOperation(ref);
	const schema = jsonSchemaOf(op.raw.requestBody);
	const results: ValidationResult[] = [];
	if (schema) results.push(check(`req:${op.operationId}`, schema, body));
	else if (body !== undefined)
		results.push({ valid: false, errors: [`${op.operationId} takes no body`], documented: true });
	if (options.headers) {
		const headers = new Headers(options.headers);
		const version = headers.get("intercom-version");
		if (version !== null) results.push(validateSchema("intercom_version", version));
	}
	const errors = results.flatMap((r) => r.errors);
	return { valid: errors.length === 0, errors, documented: true };
}
