import { describe, expect, it } from "vitest";
import * as api from "./index.ts";

describe("package entry", () => {
	it("exports the error hierarchy and the store factory without loading a database driver", async () => {
		expect(new api.ValidationError("x")).toBeInstanceOf(api.IntercomBridgeError);
		expect(new api.StoreUnavailableError("down").status).toBe(503);
		expect(new api.ConfigError("bad").message).toBe("[intercom-bridge] bad");
		expect(typeof api.createStore).toBe("function");
		expect(api.SETTING_KEYS).toContain("webhookApiKey");
	});

	it("exports the sync's site-level operations: backfill and reconciliation", () => {
		for (const fn of [api.runBackfill, api.reconcileContacts, api.reconcileSite])
			expect(typeof fn).toBe("function");
	});
});
