/** The custom-fields example app, through Express on a loopback port, fed by the emulator's Series sender. */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomFieldsApp } from "../../../../examples/custom-fields/custom-fields-app.ts";
import type { Store } from "../../src/store/create-store.ts";
import { createIntercomEmulator } from "../../src/testing/index.ts";
import { pgliteFactory } from "../harness/databases.ts";
import { seedSite, webhookStore } from "./webhook-testbed.ts";

describe("examples/custom-fields", () => {
	let store: Store;
	let server: Server;
	let url: string;
	let apiKey: string;

	beforeAll(async () => {
		store = await webhookStore(pgliteFactory);
		apiKey = (await seedSite(store)).apiKey;
		server = await new Promise<Server>((resolve) => {
			const s = createCustomFieldsApp(store).listen(0, "127.0.0.1", () => resolve(s));
		});
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/intercom/updatecontact`;
	});
	afterAll(async () => {
		await new Promise((resolve) => server?.close(resolve));
		await store?.close();
	});

	it("copies ContactCoffeePreference and ContactCafeOwner into custom fields", async () => {
		const contact = await store.createContact();
		const emulator = createIntercomEmulator();
		emulator.seedContact({
			role: "user",
			external_id: contact.guid,
			name: "Ada",
			custom_attributes: { coffee: "A very long coffee order that goes on and on and on", owner: "true" },
		});
		const res = await emulator.webhooks.sendSeries({
			url,
			headers: { "X-Api-Key": apiKey },
			fromContact: contact.guid,
			template: {
				ContactGUID: "external_id",
				ContactFirstName: "name",
				contactcoffeepreference: "custom_attributes.coffee",
				ContactCafeOwner: "custom_attributes.owner",
			},
		});
		expect(res.status).toBe(200);
		expect(await store.getContact(contact.guid)).toMatchObject({
			firstName: "Ada",
			customFields: {
				coffeePreference: "A very long coffee order that goes on and on and o",
				cafeOwner: true,
			},
		});
	});

	it("refuses a ContactCafeOwner that is not true or false, saving nothing", async () => {
		const contact = await store.createContact();
		const res = await fetch(url, {
			method: "POST",
			headers: { "content-type": "application/json", "x-api-key": apiKey },
			body: JSON.stringify({ ContactGUID: contact.guid, ContactFirstName: "Bob", ContactCafeOwner: "maybe" }),
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({
			error: { code: "VALIDATION_FAILED", message: "ContactCafeOwner must be true or false." },
		});
		expect((await store.getContact(contact.guid))?.firstName).toBeNull();
	});
});
