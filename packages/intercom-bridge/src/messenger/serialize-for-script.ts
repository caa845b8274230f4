/**
 * Serialises a value for an inline `<script>`: JSON, then every character that could end the
 * script element or change how the HTML parser reads it is escaped (`<`, `>`, `&`, U+2028,
 * U+2029). `JSON.stringify` alone leaves `</script>` and `<!--` as they are (docs/reliability.md S1).
 *
 * @example serializeForScript({ name: "</script><script>alert(1)</script>" })
 * // '{"name":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"}'
 */
export function serializeForScript(value: unknown): string {
	return (JSON.stringify(value) ?? "null").replace(/[<>&\u2028\u2029]/g, (ch) => {
		return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
	});
}

/** Escapes text for an HTML attribute value in double quotes. */
export function escapeAttribute(value: string): string {
	return value.replace(/[&"'<>]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
