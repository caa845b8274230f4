import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.ts";
import { parseOAuthTokenHost } from "./run-service.ts";

describe("parseOAuthTokenHost", () => {
	it("defaults to Intercom's documented global host and accepts regional", () => {
		expect(parseOAuthTokenHost(undefined)).toBe("global");
		expect(parseOAuthTokenHost(" ")).toBe("global");
		expect(parseOAuthTokenHost("Regional")).toBe("regional");
	});

	it("names the variable and the allowed values for anything else", () => {
		expect(() => parseOAuthTokenHost("eu")).toThrow(ConfigError);
		expect(() => parseOAuthTokenHost("eu")).toThrow(
			/INTERCOM_BRIDGE_OAUTH_TOKEN_HOST must be "global" or "regional"/,
		);
	});
});
