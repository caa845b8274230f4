import { defineConfig } from "vitest/config";

export default defineConfig({
	resolve: { conditions: ["dev-source"] },
	ssr: { resolve: { conditions: ["dev-source"] } },
	test: {
		include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "apps/*/src/**/*.test.ts"],
		globalSetup: ["packages/intercom-bridge/test/harness/global-setup.ts"],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		pool: "forks",
		reporters: ["default", "./packages/intercom-bridge/test/harness/summary-reporter.ts"],
	},
});
