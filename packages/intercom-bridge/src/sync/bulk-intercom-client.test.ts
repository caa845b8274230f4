import { describe, expect, it } from "vitest";
import { rateBudgetKey } from "../intercom/rate-budget.ts";
import { createLogger } from "../logger.ts";
import type { SiteSettings } from "../settings/setting-keys.ts";
import type { Store } from "../store/create-store.ts";
import { bulkIntercomClient } from "./bulk-intercom-client.ts";

describe("bulkIntercomClient", () => {
	it("draws on the budget key live sync uses (the app's), with bulk priority", async () => {
		const takes: Array<{ key: string; priority: string | undefined }> = [];
		const store = {
			takeRateBudget: async (key: string, options: { priority?: string } = {}) => {
				takes.push({ key, priority: options.priority });
				return { granted: true, retryAt: 0, windowEnd: Date.now() + 10_000, used: 1, windowLimit: 100 };
			},
			observeRateBudget: async () => {},
			blockRateBudget: async () => {},
		} as unknown as Store;
		const settings = { appId: "abc123", region: "eu", accessToken: "tok_x" } as SiteSettings & {
			accessToken: string;
		};
		const client = bulkIntercomClient({
			store,
			settings,
			endpoints: () => ({
				api: "https://api.test",
				messenger: "https://messenger.test",
				app: "https://app.test",
				widget: "https://widget.test",
			}),
			logger: createLogger({ level: "silent" }),
			fetch: async () =>
				new Response(JSON.stringify({ type: "list", data: [], total_count: 0 }), {
					headers: { "content-type": "application/json" },
				}),
		});
		await client.contacts.findByExternalId("guid-1");
		expect(takes.length).toBeGreaterThan(0);
		expect(takes[0]).toEqual({
			key: rateBudgetKey({ appId: "abc123", region: "eu", token: "tok_x" }),
			priority: "bulk",
		});
		expect(takes[0]?.key).toBe("app:eu:abc123");
	});
});
