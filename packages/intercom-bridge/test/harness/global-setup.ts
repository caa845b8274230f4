/**
 * vitest global setup: makes a PostgreSQL server available to every test file as
 * `inject("postgresUrl")`. Uses TEST_DATABASE_URL when set, else starts a throw-away cluster.
 */
import type { TestProject } from "vitest/node";
import { startPostgres } from "./postgres-server.ts";

declare module "vitest" {
	export interface ProvidedContext {
		postgresUrl: string;
	}
}

export default async function setup(project: TestProject) {
	const given = process.env.TEST_DATABASE_URL?.trim();
	if (given) {
		project.provide("postgresUrl", given);
		return;
	}
	const server = await startPostgres();
	project.provide("postgresUrl", server.url);
	return async () => {
		await server.stop();
	};
}
