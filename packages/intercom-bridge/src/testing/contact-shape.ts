/**
 * The `contact` object exactly as Intercom 2.16 renders it (modelled on the spec's own example for
 * `POST /contacts`): every field present, nulls where unknown, `avatar` an object, list sub-objects
 * with relative `url`, unix-second timestamps.
 */

/** A list sub-object of a contact (`tags`, `notes`, `companies`, subscription types). */
export interface ContactSubList {
	type: "list";
	data: unknown[];
	url: string;
	total_count: number;
	has_more: boolean;
}

/** An Intercom contact (2.16 shape). */
export interface Contact {
	type: "contact";
	id: string;
	workspace_id: string;
	external_id: string | null;
	role: "user" | "lead";
	email: string;
	email_domain: string;
	phone: string | null;
	name: string | null;
	avatar: { type: "avatar"; image_url: string | null } | null;
	owner_id: string | null;
	social_profiles: { type: "list"; data: unknown[] };
	has_hard_bounced: boolean;
	marked_email_as_spam: boolean;
	unsubscribed_from_emails: boolean;
	created_at: number;
	updated_at: number;
	signed_up_at: number | null;
	last_seen_at: number | null;
	last_replied_at: number | null;
	last_contacted_at: number | null;
	last_email_opened_at: number | null;
	last_email_clicked_at: number | null;
	language_override: string | null;
	browser: string | null;
	browser_version: string | null;
	browser_language: string | null;
	os: string | null;
	location: {
		type: "location";
		country: string | null;
		region: string | null;
		city: string | null;
		country_code: string | null;
		continent_code: string | null;
	};
	custom_attributes: Record<string, unknown>;
	tags: ContactSubList;
	notes: ContactSubList;
	companies: ContactSubList;
	opted_out_subscription_types: ContactSubList;
	opted_in_subscription_types: ContactSubList;
	utm_campaign: string | null;
	utm_content: string | null;
	utm_medium: string | null;
	utm_source: string | null;
	utm_term: string | null;
	referrer: string | null;
	enabled_push_messaging: boolean | null;
	[mobileField: `android_${string}` | `ios_${string}`]: string | number | null;
}

const MOBILE_FIELDS = [
	"android_app_name",
	"android_app_version",
	"android_device",
	"android_os_version",
	"android_sdk_version",
	"android_last_seen_at",
	"ios_app_name",
	"ios_app_version",
	"ios_device",
	"ios_os_version",
	"ios_sdk_version",
	"ios_last_seen_at",
] as const;

const subList = (id: string, what: string): ContactSubList => ({
	type: "list",
	data: [],
	url: `/contacts/${id}/${what}`,
	total_count: 0,
	has_more: false,
});

/** A new contact with every field at its empty value. */
export function blankContact(id: string, workspaceId: string, nowSeconds: number): Contact {
	const contact: Contact = {
		type: "contact",
		id,
		workspace_id: workspaceId,
		external_id: null,
		role: "user",
		email: "",
		email_domain: "",
		phone: null,
		name: null,
		avatar: null,
		owner_id: null,
		social_profiles: { type: "list", data: [] },
		has_hard_bounced: false,
		marked_email_as_spam: false,
		unsubscribed_from_emails: false,
		created_at: nowSeconds,
		updated_at: nowSeconds,
		signed_up_at: null,
		last_seen_at: null,
		last_replied_at: null,
		last_contacted_at: null,
		last_email_opened_at: null,
		last_email_clicked_at: null,
		language_override: null,
		browser: null,
		browser_version: null,
		browser_language: null,
		os: null,
		location: {
			type: "location",
			country: null,
			region: null,
			city: null,
			country_code: null,
			continent_code: null,
		},
		custom_attributes: {},
		tags: subList(id, "tags"),
		notes: subList(id, "notes"),
		companies: subList(id, "companies"),
		opted_out_subscription_types: subList(id, "subscriptions"),
		opted_in_subscription_types: subList(id, "subscriptions"),
		utm_campaign: null,
		utm_content: null,
		utm_medium: null,
		utm_source: null,
		utm_term: null,
		referrer: null,
		enabled_push_messaging: null,
	};
	for (const field of MOBILE_FIELDS) contact[field] = null;
	return contact;
}

/** The fields of `create_contact_request` / `update_contact_request`. */
export interface ContactInput {
	role?: string;
	external_id?: string;
	email?: string;
	email_verified?: boolean | null;
	phone?: string | null;
	name?: string | null;
	avatar?: string | null;
	signed_up_at?: number | null;
	last_seen_at?: number | null;
	owner_id?: string | null;
	unsubscribed_from_emails?: boolean | null;
	custom_attributes?: Record<string, unknown> | null;
}

/**
 * Checks a create/update body; returns the typed input or a message for a 400. Intercom's own
 * messages for these cases are not documented, so ours only need to be clear.
 */
export function parseContactInput(body: unknown): ContactInput | string {
	if (typeof body !== "object" || body === null || Array.isArray(body))
		return "Request body must be a JSON object";
	const b = body as Record<string, unknown>;
	const str = (k: string, nullable: boolean) =>
		b[k] === undefined || typeof b[k] === "string" || (nullable && b[k] === null)
			? undefined
			: `${k} must be a string`;
	const checks = [
		str("role", false),
		str("external_id", false),
		str("email", false),
		str("phone", true),
		str("name", true),
		str("avatar", true),
		str("owner_id", true),
	];
	for (const k of ["signed_up_at", "last_seen_at"]) {
		if (b[k] !== undefined && b[k] !== null && !Number.isInteger(b[k]))
			checks.push(`${k} must be unix seconds`);
	}
	for (const k of ["email_verified", "unsubscribed_from_emails"]) {
		if (b[k] !== undefined && b[k] !== null && typeof b[k] !== "boolean")
			checks.push(`${k} must be a boolean`);
	}
	const ca = b.custom_attributes;
	if (ca !== undefined && ca !== null && (typeof ca !== "object" || Array.isArray(ca))) {
		checks.push("custom_attributes must be an object");
	}
	const problem = checks.find((c) => c !== undefined);
	if (problem) return problem;
	if (b.role !== undefined && b.role !== "user" && b.role !== "lead") return "role must be one of user, lead";
	// 2.16: email_verified only makes sense with the email it verifies.
	if (b.email_verified !== undefined && b.email === undefined)
		return "email_verified must be sent together with email";
	return b as ContactInput;
}

/** Applies input to a contact in place: custom attributes merge, the avatar URL becomes an object. */
export function applyContactInput(contact: Contact, input: ContactInput, nowSeconds: number): void {
	if (input.role !== undefined) contact.role = input.role as Contact["role"];
	if (input.external_id !== undefined) contact.external_id = input.external_id;
	if (input.email !== undefined) {
		contact.email = input.email;
		contact.email_domain = input.email.includes("@") ? (input.email.split("@").pop() ?? "") : "";
	}
	if (input.phone !== undefined) contact.phone = input.phone;
	if (input.name !== undefined) contact.name = input.name;
	if (input.avatar !== undefined) {
		contact.avatar = input.avatar === null ? null : { type: "avatar", image_url: input.avatar };
	}
	if (input.signed_up_at !== undefined) contact.signed_up_at = input.signed_up_at;
	if (input.last_seen_at !== undefined) contact.last_seen_at = input.last_seen_at;
	if (input.owner_id !== undefined) contact.owner_id = input.owner_id;
	if (input.unsubscribed_from_emails !== undefined && input.unsubscribed_from_emails !== null) {
		contact.unsubscribed_from_emails = input.unsubscribed_from_emails;
	}
	if (input.custom_attributes) {
		contact.custom_attributes = { ...contact.custom_attributes, ...input.custom_attributes };
	}
	contact.updated_at = nowSeconds;
}
