import { Option } from "commander";

/** Output helpers of the CLI: aligned tables for people, JSON for machines. */

/** Where the CLI writes; injectable so tests run the CLI in-process. */
export interface CliIo {
	stdout: (text: string) => void;
	stderr: (text: string) => void;
	/** Reads all of standard input (for `settings set <site> <key> -`). */
	readStdin: () => Promise<string>;
	env: Record<string, string | undefined>;
	/** Standard output is a terminal (progress bars), not a pipe or file (JSON lines). */
	isTTY?: boolean;
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
	return {
		stdout: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
		stderr: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
		readStdin: async () => {
			const chunks: Buffer[] = [];
			for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
			return Buffer.concat(chunks).toString("utf8");
		},
		env: process.env,
		isTTY: process.stdout.isTTY === true,
	};
}

function cell(value: unknown): string {
	if (value === null || value === undefined) return "";
	if (value instanceof Date) return value.toISOString();
	if (typeof value === "object") return JSON.stringify(value);
	// One line per row: a newline in a value must not forge another row.
	return String(value).replace(/[\r\n\t]+/g, " ");
}

/** Renders rows as an aligned text table with the given columns (key and heading). */
export function formatTable<T extends object>(rows: T[], columns: [keyof T & string, string][]): string {
	if (rows.length === 0) return "(none)";
	const cells = rows.map((row) => columns.map(([key]) => cell(row[key])));
	const widths = columns.map(([, heading], i) =>
		Math.max(heading.length, ...cells.map((r) => (r[i] ?? "").length)),
	);
	const line = (values: string[]) =>
		values
			.map((v, i) => v.padEnd(widths[i] ?? 0))
			.join("  ")
			.trimEnd();
	return [line(columns.map(([, h]) => h)), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join(
		"\n",
	);
}

/** JSON with dates as ISO strings, two-space indented. */
export function formatJson(value: unknown): string {
	return JSON.stringify(value, null, 2);
}

/** The `--json` flag of read commands. */
export const jsonOption = () => new Option("--json", "print machine-readable JSON");
