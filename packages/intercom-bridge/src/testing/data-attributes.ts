/**
 * Data attributes (2.16 `GET`/`POST /data_attributes`, `PUT /data_attributes/{id}`) and the rule
 * they enforce on contacts: a `custom_attributes` key sent through the REST API must name an
 * existing, unarchived custom contact attribute, and its value must fit the attribute's type.
 *
 * Error codes and messages of the create route are the spec's own examples. For an unknown or
 * mistyped custom attribute on a contact the spec documents nothing; Intercom answers 400
 * `parameter_invalid` "… attribute 'x' does not exist" for conversations (intercom-node#349), and
 * the emulator answers contacts the same way.
 */
import { Hono } from "hono";
import { type EmulatorContext, readJson } from "./emulator-context.ts";
import { unixSeconds } from "./emulator-state.ts";
import { badRequest, IntercomHttpError } from "./intercom-error.ts";

/** The types a data attribute can have (`data_attribute.data_type`). */
export type DataAttributeType = "string" | "integer" | "float" | "boolean" | "date";
const DATA_TYPES: readonly string[] = ["string", "integer", "float", "boolean", "date"];

/** A data attribute as the API renders it. */
export interface DataAttribute {
	type: "data_attribute";
	id?: number;
	model: "contact" | "company";
	name: string;
	full_name: string;
	label: string;
	description: string;
	data_type: DataAttributeType;
	options?: string[];
	api_writable: boolean;
	messenger_writable: boolean;
	ui_writable: boolean;
	custom: boolean;
	archived: boolean;
	admin_id?: string;
	created_at?: number;
	updated_at?: number;
}

/** What a test seeds: a custom contact attribute. */
export interface SeedDataAttribute {
	name: string;
	dataType: DataAttributeType;
	model?: "contact" | "company";
	description?: string;
}

/** Intercom's standard contact attributes (a few of them; `custom: false`, no id). */
const STANDARD_CONTACT: [string, string, DataAttributeType, boolean][] = [
	["external_id", "User ID", "string", true],
	["email", "Email", "string", true],
	["name", "Name", "string", true],
	["phone", "Phone", "string", true],
	["role", "Role", "string", false],
	["signed_up_at", "Signed up", "date", true],
	["last_seen_at", "Last seen", "date", true],
	["unsubscribed_from_emails", "Unsubscribed from Emails", "boolean", true],
];

/** The standard attributes every workspace has. */
export function standardDataAttributes(): DataAttribute[] {
	return STANDARD_CONTACT.map(([name, label, dataType, writable]) => ({
		type: "data_attribute",
		model: "contact",
		name,
		full_name: name,
		label,
		description: "",
		data_type: dataType,
		api_writable: writable,
		messenger_writable: writable,
		ui_writable: writable,
		custom: false,
		archived: false,
	}));
}

/** Letters, digits, currency symbols, hyphens, underscores and spaces (the spec's examples use both). */
const VALID_NAME = /^[\p{L}\p{N}\p{Sc}_\- ]+$/u;

/** Creates a custom attribute on the state (the route and the seeding helper share it). */
export function createDataAttribute(ctx: EmulatorContext, input: SeedDataAttribute): DataAttribute {
	const model = input.model ?? "contact";
	if (!VALID_NAME.test(input.name) || input.name.trim() === "") {
		throw badRequest(
			"Your name for this attribute must only contain alphanumeric characters, currency symbols, and hyphens",
			"parameter_invalid",
		);
	}
	const taken = ctx.state.dataAttributes.find((a) => a.name.toLowerCase() === input.name.toLowerCase());
	if (taken) {
		const wanted = model === "contact" ? "people" : "company";
		const where = taken.model === "contact" ? "people" : "company";
		throw badRequest(
			`You already have '${taken.name}' in your ${where} data. To save this as new ${wanted} data, use a different name.`,
			"parameter_invalid",
		);
	}
	const nowSeconds = unixSeconds(ctx.options.now());
	const attribute: DataAttribute = {
		type: "data_attribute",
		id: ctx.state.nextDataAttributeId++,
		model,
		name: input.name,
		full_name: `custom_attributes.${input.name}`,
		label: input.name,
		description: input.description ?? "",
		data_type: input.dataType,
		api_writable: true,
		messenger_writable: false,
		ui_writable: true,
		custom: true,
		archived: false,
		admin_id: "991267",
		created_at: nowSeconds,
		updated_at: nowSeconds,
	};
	ctx.state.dataAttributes.push(attribute);
	return attribute;
}

function parseCreate(body: unknown): SeedDataAttribute {
	if (typeof body !== "object" || body === null || Array.isArray(body))
		throw badRequest("Request body must be a JSON object", "parameter_invalid");
	const b = body as Record<string, unknown>;
	if (b.model !== "contact" && b.model !== "company") {
		throw badRequest("The Data Attribute model field must be either contact or company", "parameter_invalid");
	}
	if (typeof b.name !== "string") throw badRequest("name is required", "parameter_missing");
	// `datetime` is accepted on create and stored as `date`; `options` lists are not emulated.
	const dataType = b.data_type === "datetime" ? "date" : b.data_type;
	if (typeof dataType !== "string" || !DATA_TYPES.includes(dataType)) {
		throw badRequest("Data Type isn't an option", "parameter_invalid");
	}
	if (b.description !== undefined && typeof b.description !== "string")
		throw badRequest("description must be a string", "parameter_invalid");
	return {
		name: b.name,
		model: b.model,
		dataType: dataType as DataAttributeType,
		...(typeof b.description === "string" && { description: b.description }),
	};
}

/** Whether `value` fits an attribute of `type` (null clears any attribute). */
function fitsType(type: DataAttributeType, value: unknown): boolean {
	if (value === null) return true;
	switch (type) {
		case "string":
			return typeof value === "string";
		case "integer":
		case "date":
			return Number.isInteger(value);
		case "float":
			return typeof value === "number" && Number.isFinite(value);
		case "boolean":
			return typeof value === "boolean";
	}
}

/**
 * Checks the `custom_attributes` of a contact write against the workspace's custom contact
 * attributes. @throws {IntercomHttpError} 400 `parameter_invalid` for an unknown or archived name
 * or a value of the wrong type.
 */
export function checkCustomAttributes(
	ctx: EmulatorContext,
	custom: Record<string, unknown> | null | undefined,
) {
	if (!custom) return;
	for (const [name, value] of Object.entries(custom)) {
		const attribute = ctx.state.dataAttributes.find(
			(a) => a.model === "contact" && a.custom && !a.archived && a.name === name,
		);
		if (!attribute) {
			throw badRequest(`Custom attribute '${name}' does not exist`, "parameter_invalid");
		}
		if (!fitsType(attribute.data_type, value)) {
			throw badRequest(
				`Custom attribute '${name}' expects a value of type ${attribute.data_type}, got ${JSON.stringify(value)}`,
				"parameter_invalid",
			);
		}
	}
}

/** The data attribute routes, to be mounted on a region's API base. */
export function dataAttributesRoutes(ctx: EmulatorContext): Hono {
	const app = new Hono();
	app.get("/data_attributes", (c) => {
		const model = c.req.query("model");
		if (model === "conversation") {
			throw new IntercomHttpError(
				422,
				"parameter_invalid",
				"model=conversation is no longer supported. Use GET /conversations/attributes instead",
			);
		}
		if (model !== undefined && model !== "contact" && model !== "company") {
			throw badRequest("model must be one of contact, company", "parameter_invalid");
		}
		const includeArchived = c.req.query("include_archived") === "true";
		const data = [...standardDataAttributes(), ...ctx.state.dataAttributes].filter(
			(a) => (model === undefined || a.model === model) && (includeArchived || !a.archived),
		);
		return c.json({ type: "list", data });
	});
	app.post("/data_attributes", async (c) =>
		c.json(createDataAttribute(ctx, parseCreate(await readJson(c.req.raw)))),
	);
	app.put("/data_attributes/:id", async (c) => {
		const id = Number(c.req.param("id"));
		const attribute = ctx.state.dataAttributes.find((a) => a.id === id);
		if (!Number.isInteger(id) || !attribute) {
			throw new IntercomHttpError(404, "field_not_found", "We couldn't find that data attribute to update");
		}
		const body = await readJson(c.req.raw);
		if (typeof body !== "object" || body === null || Array.isArray(body))
			throw badRequest("Request body must be a JSON object", "parameter_invalid");
		const b = body as Record<string, unknown>;
		if ("data_type" in b) {
			// The spec: "Updating the data type is not possible" through the API.
			throw badRequest(
				"The data type of an attribute cannot be changed through the API",
				"parameter_invalid",
			);
		}
		if (b.archived !== undefined && typeof b.archived !== "boolean")
			throw badRequest("archived must be a boolean", "parameter_invalid");
		if (b.description !== undefined && typeof b.description !== "string")
			throw badRequest("description must be a string", "parameter_invalid");
		if (b.messenger_writable !== undefined && typeof b.messenger_writable !== "boolean")
			throw badRequest("messenger_writable must be a boolean", "parameter_invalid");
		if (typeof b.archived === "boolean") attribute.archived = b.archived;
		if (typeof b.description === "string") attribute.description = b.description;
		if (typeof b.messenger_writable === "boolean") attribute.messenger_writable = b.messenger_writable;
		attribute.updated_at = unixSeconds(ctx.options.now());
		return c.json(attribute);
	});
	return app;
}
