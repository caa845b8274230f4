/**
 * What the reference's sample module does: an Intercom Series sends `ContactCoffeePreference` and
 * `ContactCafeOwner` with the contact's fields, and the site keeps them as custom fields.
 */
import express from "express";
import { createIntercomBridge, type Store } from "intercom-bridge";
import { intercomExpress } from "intercom-bridge/express";

export function createCustomFieldsApp(store: Store) {
	const bridge = createIntercomBridge({
		store,
		webhooks: {
			// Declarative: copy the text of a body key (any case) into a custom field, at most 50 characters.
			customFields: { ContactCoffeePreference: { field: "coffeePreference", maxLength: 50 } },
			// A hook for anything else; it runs in the update's transaction and may refuse the request.
			onUpdateContact(event) {
				const owner = event.field("ContactCafeOwner");
				if (owner === undefined || owner === null || owner === "") return;
				if (!["true", "false", true, false].includes(owner as string | boolean)) {
					event.reject("ContactCafeOwner must be true or false.");
				}
				event.customFields.cafeOwner = owner === true || owner === "true";
			},
		},
	});
	const app = express();
	app.use(intercomExpress(bridge)); // before any body parser: webhooks need the raw body
	app.get("/", (_req, res) => {
		res.send("POST /intercom/updatecontact with X-Api-Key to update a contact.");
	});
	return app;
}
