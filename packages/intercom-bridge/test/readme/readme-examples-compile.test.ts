/**
 * Every framework example of the README compiles as written, the console's mount included: tsc,
 * with this repository's compiler options, over the README's blocks put in files of their own.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { exampleApp, frameworkExamples, REPO } from "./readme-examples.ts";

const run = promisify(execFile);
let dir: string | undefined;

afterAll(async () => {
	if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the README's framework examples", () => {
	it("each mounts the console and compiles under TypeScript strict", async () => {
		const examples = await frameworkExamples();
		for (const name of ["express.ts", "fastify.ts", "hono.ts", "node-http.ts"] as const) {
			expect(examples[name], `${name} mounts the console`).toContain('import { admin } from "./admin.ts"');
		}
		expect(examples["next-admin-route.ts"]).toContain("admin.fetch(request)");
		expect(examples["next-bridge-route.ts"]).toContain("toNextHandler(");
		dir = await mkdtemp(join(tmpdir(), "ib-readme-tsc-"));
		await exampleApp(dir, examples);
		await writeFile(
			join(dir, "tsconfig.json"),
			JSON.stringify({
				extends: join(REPO, "tsconfig.base.json"),
				compilerOptions: { noEmit: true },
				include: ["*.ts"],
			}),
		);
		const tsc = join(REPO, "node_modules/.bin/tsc");
		const result = await run(tsc, ["-p", join(dir, "tsconfig.json")], { cwd: dir }).then(
			() => ({ code: 0, output: "" }),
			(err: { code?: number; stdout?: string; stderr?: string }) => ({
				code: err.code ?? -1,
				output: `${err.stdout ?? ""}${err.stderr ?? ""}`,
			}),
		);
		expect(result.output).toBe("");
		expect(result.code).toBe(0);
	}, 240_000); // tsc over the examples and the package's sources they import: slow on a busy machine
});
