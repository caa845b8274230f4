import { describe, expect, it } from "vitest";
import { IntercomApiError, ValidationError } from "../errors.ts";
import { createIntercomClient } from "./create-intercom-client.ts";
import { errorList, fakeClock, json, scriptedFetch } from "./scripted-fetch.test-support.ts";

const client = (fetch: typeof globalThis.fetch) =>
	createIntercomClient({ token: "tok", fetch, ...fakeClock() });
const attribute = (name: string, dataType = "string") => ({
	type: "data_attribute",
	name,
	full_name: `custom_attributes.${name}`,
	data_type: dataType,
	custom: true,
	model: "contact",
});

describe("dataAttributes.list", () => {
	it("asks for contact attributes only, and retries a 503", async () => {
		const { fetch, calls } = scriptedFetch((_, i) =>
			i === 0
				? errorList(503, "service_unavailable", "busy")
				: json(200, { type: "list", data: [attribute("plan")] }),
		);
		const list = await client(fetch).dataAttributes.list();
		expect(list.map((a) => a.name)).toEqual(["plan"]);
		expect(calls.map((c) => `${c.route}?${c.url.searchParams}`)).toEqual([
			"GET /data_attributes?model=contact",
			"GET /data_attributes?model=contact",
		]);
	});

	it("passes include_archived when asked", async () => {
		const { fetch, calls } = scriptedFetch(() => json(200, { type: "list", data: [] }));
		expect(await client(fetch).dataAttributes.list({ includeArchived: true })).toEqual([]);
		expect(calls[0]?.url.searchParams.get("include_archived")).toBe("true");
	});
});

describe("dataAttributes.create", () => {
	it("sends name, model contact, data_type and description, and never retries", async () => {
		const { fetch, calls } = scriptedFetch(() => errorList(503, "service_unavailable", "busy"));
		await expect(
			client(fetch).dataAttributes.create({ name: "seats", dataType: "integer", description: "Seats" }),
		).rejects.toBeInstanceOf(IntercomApiError);
		expect(calls).toHaveLength(1);
		expect(calls[0]?.body).toEqual({
			name: "seats",
			model: "contact",
			data_type: "integer",
			description: "Seats",
		});
	});

	it("answers the created attribute", async () => {
		const { fetch } = scriptedFetch(() => json(200, attribute("seats", "integer")));
		expect(await client(fetch).dataAttributes.create({ name: "seats", dataType: "integer" })).toMatchObject({
			name: "seats",
			data_type: "integer",
		});
	});

	it("refuses a name or type Intercom would refuse, before sending", async () => {
		const { fetch, calls } = scriptedFetch(() => json(200, {}));
		const api = client(fetch).dataAttributes;
		await expect(api.create({ name: "a.b", dataType: "string" })).rejects.toThrow(/letters, digits/);
		await expect(api.create({ name: " ", dataType: "string" })).rejects.toBeInstanceOf(ValidationError);
		await expect(api.create({ name: "ok", dataType: "options" as "string" })).rejects.toThrow(
			/not one of string, integer, float, boolean, date/,
		);
		expect(calls).toHaveLength(0);
	});

	it("surfaces Intercom's 400 with its code and message", async () => {
		const { fetch } = scriptedFetch(() =>
			errorList(400, "parameter_invalid", "You already have 'seats' in your people data."),
		);
		await expect(
			client(fetch).dataAttributes.create({ name: "seats", dataType: "integer" }),
		).rejects.toMatchObject({
			httpStatus: 400,
			intercomCode: "parameter_invalid",
			message: expect.stringContaining("You already have 'seats'"),
		});
	});
});
