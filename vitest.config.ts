import { defineConfig } from "vitest/config";

export default defineConfig({
	resolve: { conditions: ["dev-source"] },
	ssr: { resolve: { conditions: ["dev-source"] } },
	test: {
		globalSetup: ["packages/intercom-bridge/test/harness/global-setup.ts"],
		testTimeout: 30_000,
		// A fresh PGlite (WebAssembly, migrated) takes over a minute to set up on a busy 2-core machine.
		hookTimeout: 180_000,
		pool: "forks",
		reporters: ["default", "./packages/intercom-bridge/test/harness/summary-reporter.ts"],
		projects: [
			{
				extends: true,
				test: {
					name: "pglite",
					include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "apps/*/src/**/*.test.ts"],
				},
			},
			{
				// The same console and OAuth suites again on PostgreSQL (docs/reliability.md X1): their harness
				// takes its store from testStoreFactory (test/harness/databases.ts). The store, webhook,
				// erasure and fault suites run on both databases within the first project already.
				extends: true,
				test: {
					name: "postgres",
					include: ["packages/intercom-bridge/test/admin/*.test.ts"],
					env: { INTERCOM_BRIDGE_TEST_DATABASE: "postgres" },
				},
			},
		],
	},
});
