/**
 * Names for the Intercom 2.16 schemas the client reads and writes, taken from the types generated
 * from Intercom's OpenAPI description (`src/generated/intercom-openapi.ts`), so a spec update shows
 * up as a type error here rather than as a surprise at run time.
 */
import type { components } from "../generated/intercom-openapi.ts";

type Schemas = components["schemas"];

/** A contact (user or lead) as Intercom returns it. Every field is optional in the spec. */
export type Contact = Schemas["contact"];

/** A conversation from `GET /conversations/{id}`, with its `conversation_parts` (at most 500, newest). */
export type Conversation = Schemas["conversation"];

/**
 * A conversation as search returns it: the same fields as {@link Conversation} without
 * `conversation_parts`, so it is assignable to `Conversation`.
 */
export type ConversationListItem = Schemas["conversation_list_item"];

/** `GET /me`: the admin owning the token and its workspace (`app.id_code` is the Messenger app_id). */
export type AdminWithApp = NonNullable<Schemas["admin_with_app"]>;

/**
 * Body of `POST /contacts`: at least one of `email`, `external_id` or `role`. The spec says so with
 * an `anyOf` that openapi-typescript cannot render (the generator drops it), hence restated here.
 */
export type CreateContactBody = Schemas["create_contact_request"] &
	({ email: string } | { external_id: string } | { role: string });

/** Body of `PUT /contacts/{id}`; `custom_attributes` are merged by Intercom. */
export type UpdateContactBody = Schemas["update_contact_request"];

/** Answer of `DELETE /contacts/{id}`. */
export type ContactDeleted = Schemas["contact_deleted"];

/** Answer of `POST /contacts/{id}/archive`. */
export type ContactArchived = Schemas["contact_archived"];

/** Intercom's error body (`type: "error.list"`). */
export type IntercomErrorBody = Schemas["error"];

/** A data attribute (standard or custom) of contacts or companies. */
export type DataAttribute = Schemas["data_attribute"];

/** The types a custom data attribute can have (what `data_attribute.data_type` lists). */
export type DataAttributeType = NonNullable<DataAttribute["data_type"]>;

/** A contact after `POST /contacts/merge`: the user the lead went into. */
export type MergedContact = Contact & { enabled_push_messaging?: boolean | null };

/** One event of `GET /events` (without `summary`): the `data_event_list` schema's items. */
export type DataEvent = Schemas["data_event"];
