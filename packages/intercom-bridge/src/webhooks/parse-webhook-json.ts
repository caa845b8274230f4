/**
 * Parses a webhook body as a JSON object, safely: keys that could poison prototypes further down
 * (`__proto__`, `constructor.prototype`) are refused, as secure-json-parse does by default, and
 * deep nesting and bodies with too many keys or items are refused (docs/reliability.md W9). Messages name the problem so a marketer can fix the
 * Series body.
 */
import { WebhookHttpError } from "./webhook-http-error.ts";

/** Deepest nesting accepted (objects and arrays). Series bodies are flat; notifications are shallow. */
export const MAX_JSON_DEPTH = 32;

/**
 * Most keys and array items accepted in one body, all levels together. A Series body has a few
 * dozen; a notification a few hundred, and a full 64 KiB one of real objects (about 20 bytes an
 * entry) some 3 000. A 64 KiB body of `{"a":0,…}` has over 10 000, which every step after parsing
 * (field look-ups, the hook, logs) would have to walk.
 */
export const MAX_JSON_ENTRIES = 5000;

const bad = (message: string) => new WebhookHttpError(400, "VALIDATION_FAILED", message);

function describe(value: unknown): string {
	if (value === null) return "null";
	if (Array.isArray(value)) return "an array";
	return typeof value === "string" ? "a string" : `a ${typeof value}`;
}

/** Walks the parsed value: refuses poisoning keys and deep nesting. Iterative, so no stack overflow. */
function check(root: unknown): void {
	const stack: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 1 }];
	let entries = 0;
	while (stack.length > 0) {
		const item = stack.pop();
		if (!item || item.value === null || typeof item.value !== "object") continue;
		if (item.depth > MAX_JSON_DEPTH)
			throw bad(`Request body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
		const values = Array.isArray(item.value) ? item.value : Object.values(item.value);
		entries += values.length;
		if (entries > MAX_JSON_ENTRIES)
			throw bad(
				`Request body has more than ${MAX_JSON_ENTRIES} keys and array items; send only the fields you map.`,
			);
		if (!Array.isArray(item.value)) {
			if (Object.hasOwn(item.value, "__proto__"))
				throw bad('Request body must not contain the key "__proto__".');
			const ctor = (item.value as Record<string, unknown>).constructor;
			if (Object.hasOwn(item.value, "constructor") && ctor && typeof ctor === "object") {
				if (Object.hasOwn(ctor, "prototype")) {
					throw bad('Request body must not contain the key "constructor.prototype".');
				}
			}
		}
		for (const value of values) stack.push({ value, depth: item.depth + 1 });
	}
}

/**
 * Parses `text` as a JSON object.
 * @throws WebhookHttpError 400 saying what is wrong: empty, invalid JSON (with the parser's
 * reason), not an object, a poisoning key, too deep, too many keys or items.
 */
export function parseWebhookJson(text: string): Record<string, unknown> {
	if (text.trim() === "") throw bad("Request body is empty; send a JSON object.");
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (err) {
		const reason = err instanceof Error ? err.message : "syntax error";
		throw bad(`Request body is not valid JSON: ${reason}.`);
	}
	if (value === null || typeof value !== "object" || Array.isArray(value)) {
		throw bad(`Request body must be a JSON object, not ${describe(value)}.`);
	}
	check(value);
	return value as Record<string, unknown>;
}
