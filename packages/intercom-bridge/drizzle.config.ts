import { defineConfig } from "drizzle-kit";

/** Used only by `npm run db:generate` to write SQL migrations from src/store/schema.ts. */
export default defineConfig({
	dialect: "postgresql",
	schema: "./packages/intercom-bridge/src/store/schema.ts",
	out: "./packages/intercom-bridge/migrations",
});
