/**
 * The data attributes part of the client: list the workspace's contact attributes, create a custom
 * one. Custom attributes must exist before a contact's `custom_attributes` may name them
 * (docs/intercom.md §1.3), which is why a sync lists and creates them first.
 */
import type { Client } from "openapi-fetch";
import { IntercomApiError, ValidationError } from "../errors.ts";
import type { components, paths } from "../generated/intercom-openapi.ts";
import type { DataAttribute, DataAttributeType } from "./intercom-types.ts";
import type { Requester } from "./request.ts";

/** The types `dataAttributes.create` accepts (Intercom's list types are not offered). */
export const DATA_ATTRIBUTE_TYPES: readonly DataAttributeType[] = [
	"string",
	"integer",
	"float",
	"boolean",
	"date",
];

/** What `dataAttributes.create` takes. */
export interface CreateDataAttributeInput {
	/** The attribute's name, also its key in `custom_attributes`: letters, digits, currency symbols, `-`, `_`, spaces. */
	name: string;
	dataType: DataAttributeType;
	/** Shown in Intercom's UI beside the attribute. */
	description?: string;
	/** Whether the Messenger may set it too. Default: Intercom's (false). */
	messengerWritable?: boolean;
}

/** The data attributes API of an {@link IntercomClient}. */
export interface DataAttributesApi {
	/** `GET /data_attributes?model=contact`: standard and custom contact attributes (archived ones with `includeArchived`). */
	list(options?: { includeArchived?: boolean }): Promise<DataAttribute[]>;
	/**
	 * `POST /data_attributes` with `model: "contact"`, sent once and never retried (a second create
	 * of the same name is refused). @throws {ValidationError} for a name Intercom would refuse.
	 */
	create(input: CreateDataAttributeInput): Promise<DataAttribute>;
}

/** Intercom's rule for attribute names, as its 400 message states it (plus `_` and spaces, which its examples use). */
const VALID_NAME = /^[\p{L}\p{N}\p{Sc}_\- ]+$/u;

/** Checks a create input the way Intercom would; @throws {ValidationError} naming the problem. */
export function validateDataAttributeInput(input: CreateDataAttributeInput): void {
	if (typeof input.name !== "string" || input.name.trim() === "" || !VALID_NAME.test(input.name)) {
		throw new ValidationError(
			`Data attribute name ${JSON.stringify(input.name)} is not allowed: use letters, digits, currency symbols, hyphens, underscores and spaces.`,
			"name",
		);
	}
	if (!DATA_ATTRIBUTE_TYPES.includes(input.dataType)) {
		throw new ValidationError(
			`Data attribute type ${JSON.stringify(input.dataType)} is not one of ${DATA_ATTRIBUTE_TYPES.join(", ")}.`,
			"dataType",
		);
	}
}

/**
 * Builds the data attributes API over an openapi-fetch client and a requester.
 * @example const attrs = createDataAttributesApi(api, requester); await attrs.create({ name: "plan", dataType: "string" });
 */
export function createDataAttributesApi(api: Client<paths>, requester: Requester): DataAttributesApi {
	return {
		async list(options = {}) {
			const name = "GET /data_attributes";
			const res = await requester.run({
				name,
				repeatable: true,
				send: (init) =>
					api.GET("/data_attributes", {
						...init,
						params: {
							query: { model: "contact", ...(options.includeArchived && { include_archived: true }) },
						},
					}),
			});
			if (!res.data)
				throw new IntercomApiError(`Intercom ${name} answered ${res.status} without a list.`, {
					httpStatus: res.status,
				});
			return res.data.data ?? [];
		},

		async create(input) {
			validateDataAttributeInput(input);
			const name = "POST /data_attributes";
			const body: components["schemas"]["create_data_attribute_request"] = {
				name: input.name,
				model: "contact",
				data_type: input.dataType,
				...(input.description !== undefined && { description: input.description }),
				...(input.messengerWritable !== undefined && { messenger_writable: input.messengerWritable }),
			};
			const res = await requester.run({
				name,
				repeatable: false, // a repeated create is refused as "already have", hiding the first's success
				send: (init) => api.POST("/data_attributes", { ...init, body }),
			});
			if (!res.data)
				throw new IntercomApiError(`Intercom ${name} answered ${res.status} without an attribute.`, {
					httpStatus: res.status,
				});
			return res.data;
		},
	};
}
