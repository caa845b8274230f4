/**
 * The README's framework examples ("Put the Messenger on your site"), taken from README.md as a
 * reader copies them, and written into a directory that resolves `intercom-bridge` and the
 * frameworks from this repository's node_modules.
 */
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";

export const REPO = new URL("../../../../", import.meta.url).pathname;

/** The examples by the file a reader would put them in. */
export type FrameworkExamples = {
	"bridge.ts": string;
	"admin.ts": string;
	"express.ts": string;
	"fastify.ts": string;
	"hono.ts": string;
	"node-http.ts": string;
	/** `lib/intercom.ts` of the Next.js example: the bridge and console, opened on first use. */
	"next-intercom.ts": string;
	/** `app/intercom/[...path]/route.ts`, with `@/lib/intercom` pointing at next-intercom.ts. */
	"next-bridge-route.ts": string;
	/** `app/admin/[[...path]]/route.ts`, with `@/lib/intercom` pointing at next-intercom.ts. */
	"next-admin-route.ts": string;
};

/** Picks each example out of the README's section; fails naming the one missing or doubled. */
export async function frameworkExamples(): Promise<FrameworkExamples> {
	const readme = await readFile(join(REPO, "README.md"), "utf8");
	const start = readme.indexOf("## Put the Messenger on your site");
	const end = readme.indexOf("### What the Messenger gets");
	if (start < 0 || end < start)
		throw new Error("README.md lost its section “Put the Messenger on your site”.");
	const blocks = [...readme.slice(start, end).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
	const one = (what: string, test: (block: string) => boolean) => {
		const found = blocks.filter(test);
		if (found.length !== 1)
			throw new Error(`README.md should have one \`\`\`ts ${what}; found ${found.length}.`);
		return found[0] as string;
	};
	const framework = (name: string) => (b: string) =>
		b.includes(`from "intercom-bridge/${name}"`) && !b.startsWith("// app/");
	return {
		"bridge.ts": one("block starting // bridge.ts", (b) => b.startsWith("// bridge.ts")),
		"admin.ts": one("block starting // admin.ts", (b) => b.startsWith("// admin.ts")),
		"express.ts": one("Express example", framework("express")),
		"fastify.ts": one("Fastify example", framework("fastify")),
		"hono.ts": one("Hono example", framework("hono")),
		"node-http.ts": one("node:http example", framework("node")),
		"next-intercom.ts": one("block starting // lib/intercom.ts", (b) => b.startsWith("// lib/intercom.ts")),
		"next-bridge-route.ts": one("Next.js bridge route", (b) => b.startsWith("// app/intercom/")).replace(
			'"@/lib/intercom"',
			'"./next-intercom.ts"',
		),
		"next-admin-route.ts": one("Next.js console route", (b) => b.startsWith("// app/admin/")).replace(
			'"@/lib/intercom"',
			'"./next-intercom.ts"',
		),
	};
}

/** Makes `dir` an ES-module app whose imports resolve from this repository's node_modules. */
export async function exampleApp(dir: string, files: Record<string, string>): Promise<void> {
	await mkdir(dir, { recursive: true });
	await symlink(join(REPO, "node_modules"), join(dir, "node_modules"), "dir");
	await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
	for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
}
