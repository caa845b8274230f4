/**
 * The database schema, one for PGlite and PostgreSQL. The SQL migrations in `../../migrations/`
 * are generated from this file with `npm run db:generate` and then committed; the store runs
 * those files, never this schema, so the two must be kept in step (the store conformance suite
 * touches every table through these definitions and fails when they drift).
 *
 * Column lengths of contacts follow the reference (Kentico's contact columns): see
 * docs/reference-behaviour.md, "Webhook: update contact".
 */
import { sql } from "drizzle-orm";
import {
	bigint,
	bigserial,
	boolean,
	customType,
	date,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	serial,
	text,
	timestamp,
	unique,
	uniqueIndex,
	uuid,
	varchar,
} from "drizzle-orm/pg-core";
import type { ActivityOrigin } from "./activity-origin.ts";

/** bytea as a Uint8Array on both drivers. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => "bytea",
	fromDriver: (value) => new Uint8Array(value),
});

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const sites = pgTable("sites", {
	id: serial("id").primaryKey(),
	codeName: varchar("code_name", { length: 100 }).notNull().unique(),
	displayName: varchar("display_name", { length: 200 }).notNull(),
	createdAt: createdAt(),
});

/** Host names a site answers to; a host belongs to one site at most. */
export const siteHosts = pgTable("site_hosts", {
	host: varchar("host", { length: 253 }).primaryKey(),
	siteId: integer("site_id")
		.notNull()
		.references(() => sites.id, { onDelete: "cascade" }),
});

/**
 * One row per (site, key). Plain values live in `value`; secrets only in `secret`, encrypted with
 * AES-256-GCM (see crypto/secret-box.ts), never both.
 */
export const siteSettings = pgTable(
	"site_settings",
	{
		siteId: integer("site_id")
			.notNull()
			.references(() => sites.id, { onDelete: "cascade" }),
		key: varchar("key", { length: 100 }).notNull(),
		value: text("value"),
		secret: bytea("secret"),
		updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
		updatedBy: varchar("updated_by", { length: 254 }),
	},
	(t) => [primaryKey({ columns: [t.siteId, t.key] })],
);

/**
 * Who changed what and when; never the value. `kind` says what `key` names: a site's setting
 * (`setting`, with its site), or something every site shares, with a null site: an activity type
 * (`activity-type`, its code name), a consent (`consent`, its code name) or an administrator
 * (`admin`, their email).
 */
export const settingsAudit = pgTable(
	"settings_audit",
	{
		id: bigserial("id", { mode: "number" }).primaryKey(),
		siteId: integer("site_id").references(() => sites.id, { onDelete: "cascade" }),
		kind: varchar("kind", { length: 20 }).notNull().default("setting"),
		key: varchar("key", { length: 254 }).notNull(),
		action: varchar("action", { length: 20 }).notNull(),
		actor: varchar("actor", { length: 254 }).notNull(),
		at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		index("settings_audit_site_at_idx").on(t.siteId, t.at),
		index("settings_audit_shared_idx").on(t.id).where(sql`${t.siteId} is null`),
	],
);

export const contacts = pgTable(
	"contacts",
	{
		guid: uuid("guid").primaryKey(),
		email: varchar("email", { length: 254 }),
		firstName: varchar("first_name", { length: 100 }),
		middleName: varchar("middle_name", { length: 100 }),
		lastName: varchar("last_name", { length: 100 }),
		jobTitle: varchar("job_title", { length: 50 }),
		address1: varchar("address1", { length: 100 }),
		city: varchar("city", { length: 100 }),
		zip: varchar("zip", { length: 100 }),
		mobilePhone: varchar("mobile_phone", { length: 26 }),
		businessPhone: varchar("business_phone", { length: 26 }),
		notes: text("notes"),
		companyName: varchar("company_name", { length: 100 }),
		customFields: jsonb("custom_fields").$type<Record<string, unknown>>().notNull().default({}),
		createdAt: createdAt(),
		updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		uniqueIndex("contacts_email_lower_uq").on(sql`lower(${t.email})`),
		index("contacts_created_at_idx").on(t.createdAt),
	],
);

/** An old contact GUID that was merged into a surviving contact keeps resolving through here. */
export const contactMerges = pgTable(
	"contact_merges",
	{
		oldGuid: uuid("old_guid").primaryKey(),
		intoGuid: uuid("into_guid")
			.notNull()
			.references(() => contacts.guid, { onDelete: "cascade" }),
		mergedAt: timestamp("merged_at", { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index("contact_merges_into_idx").on(t.intoGuid)],
);

/**
 * Contacts erased on request (docs/reliability.md P3): a SHA-256 of each erased GUID and nothing else, so a
 * late webhook for one is acknowledged and ignored, never taken for a contact to create or update.
 */
export const erasedContacts = pgTable("erased_contacts", {
	guidHash: varchar("guid_hash", { length: 64 }).primaryKey(),
	erasedAt: timestamp("erased_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * What personal data went to which recipient, and on what basis (docs/reliability.md P5; GDPR 5(2), 19,
 * 30): the field *names*, never their values. Append-only: a trigger (migration 0005) refuses
 * UPDATE, DELETE and TRUNCATE. A contact is named by the SHA-256 of its GUID, as in
 * erased_contacts, so the record outlives an erasure without keeping the GUID. One row per
 * distinct disclosure (the first time it happened), not per page view.
 */
export const disclosures = pgTable(
	"disclosures",
	{
		id: bigserial("id", { mode: "number" }).primaryKey(),
		// No foreign keys: the rows must outlive the site's contacts and survive their erasure.
		siteId: integer("site_id").notNull(),
		guidHash: varchar("guid_hash", { length: 64 }).notNull(),
		/** `intercom` (the Messenger and the REST API are the same processor). */
		recipient: varchar("recipient", { length: 40 }).notNull(),
		/**
		 * `page` (script in a page), `settings` (the settings endpoint or API, for single-page apps),
		 * `api` (the REST API: contact sync).
		 */
		channel: varchar("channel", { length: 20 }).notNull(),
		/** Field names sent, sorted and comma-separated (`email,name,user_hash,user_id`). */
		fields: text("fields").notNull(),
		/** The site's data policy at the time: `always`, `consent` or `never`. */
		policy: varchar("policy", { length: 10 }).notNull(),
		/** With `consent`: the consent's code name the contact had agreed to; else empty. */
		consentCode: varchar("consent_code", { length: 100 }).notNull().default(""),
		at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		index("disclosures_site_at_idx").on(t.siteId, t.at),
		uniqueIndex("disclosures_uq").on(
			t.siteId,
			t.guidHash,
			t.recipient,
			t.channel,
			t.fields,
			t.policy,
			t.consentCode,
		),
	],
);

export const activityTypes = pgTable("activity_types", {
	id: serial("id").primaryKey(),
	codeName: varchar("code_name", { length: 100 }).notNull().unique(),
	displayName: varchar("display_name", { length: 200 }).notNull(),
	enabled: boolean("enabled").notNull().default(true),
	/**
	 * Whether the site's own activities of this type (`recordActivity`) go to Intercom as data
	 * events (docs/decisions/0023). Off until an operator opts the type in.
	 */
	sendToIntercom: boolean("send_to_intercom").notNull().default(false),
	createdAt: createdAt(),
});

/**
 * The activity types a site accepts (docs/decisions/0020). No row for a site: it accepts every
 * enabled type, as before there were rows. A disabled type is refused everywhere.
 */
export const siteActivityTypes = pgTable(
	"site_activity_types",
	{
		siteId: integer("site_id")
			.notNull()
			.references(() => sites.id, { onDelete: "cascade" }),
		typeId: integer("type_id")
			.notNull()
			.references(() => activityTypes.id, { onDelete: "cascade" }),
	},
	(t) => [primaryKey({ columns: [t.siteId, t.typeId] })],
);

export const activities = pgTable(
	"activities",
	{
		id: bigserial("id", { mode: "number" }).primaryKey(),
		contactGuid: uuid("contact_guid")
			.notNull()
			.references(() => contacts.guid, { onDelete: "cascade" }),
		// No foreign keys to sites and activity_types: each insert would lock the one site (and type)
		// row FOR KEY SHARE, and concurrent webhooks then queue on it (docs/decisions/0005). Neither
		// is ever deleted; the webhook statement takes both ids from rows it has just read.
		siteId: integer("site_id").notNull(),
		typeId: integer("type_id").notNull(),
		title: varchar("title", { length: 250 }).notNull(),
		value: text("value"),
		url: text("url"),
		/** SHA-256 (hex) of the URL, for indexed look-ups of long URLs. */
		urlHash: varchar("url_hash", { length: 64 }),
		comment: text("comment"),
		/** No default: every writer says where its activity came from (activity-origin.ts). */
		origin: varchar("origin", { length: 30 }).$type<ActivityOrigin>().notNull(),
		createdAt: createdAt(),
	},
	(t) => [
		index("activities_contact_created_idx").on(t.contactGuid, t.createdAt),
		index("activities_url_hash_idx").on(t.urlHash),
		// BRIN: the overview's "activities of the last 30 days" reads only the recent block ranges,
		// and rows arrive in time order, so keeping it costs an insert next to nothing
		// (docs/decisions/0022).
		index("activities_created_brin_idx").using("brin", t.createdAt),
	],
);

/**
 * Which activity type a Developer Hub notification topic logs on a site (docs/decisions/0027). No
 * row for a topic: its notifications are acknowledged and log nothing.
 */
export const siteTopicActivityTypes = pgTable(
	"site_topic_activity_types",
	{
		siteId: integer("site_id")
			.notNull()
			.references(() => sites.id, { onDelete: "cascade" }),
		topic: varchar("topic", { length: 100 }).notNull(),
		typeId: integer("type_id")
			.notNull()
			.references(() => activityTypes.id, { onDelete: "cascade" }),
	},
	(t) => [primaryKey({ columns: [t.siteId, t.topic] })],
);

export const consents = pgTable("consents", {
	id: serial("id").primaryKey(),
	codeName: varchar("code_name", { length: 100 }).notNull().unique(),
	displayName: varchar("display_name", { length: 200 }).notNull(),
	text: text("text").notNull().default(""),
	/** A disabled consent is no longer offered: nobody can newly agree; withdrawing stays possible. */
	enabled: boolean("enabled").notNull().default(true),
	createdAt: createdAt(),
});

/** Append-only history; a contact has agreed when its latest action for the consent is `agree`. */
export const consentAgreements = pgTable(
	"consent_agreements",
	{
		id: bigserial("id", { mode: "number" }).primaryKey(),
		contactGuid: uuid("contact_guid")
			.notNull()
			.references(() => contacts.guid, { onDelete: "cascade" }),
		consentId: integer("consent_id")
			.notNull()
			.references(() => consents.id, { onDelete: "cascade" }),
		action: varchar("action", { length: 10 }).$type<"agree" | "revoke">().notNull(),
		at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index("consent_agreements_contact_idx").on(t.contactGuid, t.consentId, t.id)],
);

export const adminUsers = pgTable(
	"admin_users",
	{
		id: serial("id").primaryKey(),
		email: varchar("email", { length: 254 }).notNull(),
		passwordHash: text("password_hash").notNull(),
		createdAt: createdAt(),
	},
	(t) => [uniqueIndex("admin_users_email_lower_uq").on(sql`lower(${t.email})`)],
);

/** A role on one site, or on every site when `site_id` is null. */
export const adminUserRoles = pgTable(
	"admin_user_roles",
	{
		id: serial("id").primaryKey(),
		userId: integer("user_id")
			.notNull()
			.references(() => adminUsers.id, { onDelete: "cascade" }),
		siteId: integer("site_id").references(() => sites.id, { onDelete: "cascade" }),
		role: varchar("role", { length: 10 }).$type<"read" | "modify">().notNull(),
	},
	(t) => [unique("admin_user_roles_user_site_uq").on(t.userId, t.siteId).nullsNotDistinct()],
);

/** Webhook deliveries, for idempotency (one row per delivery key) and audit. */
export const webhookDeliveries = pgTable(
	"webhook_deliveries",
	{
		id: bigserial("id", { mode: "number" }).primaryKey(),
		// No foreign key to sites, for the reason given at activities.siteId.
		siteId: integer("site_id").notNull(),
		endpoint: varchar("endpoint", { length: 40 }).notNull(),
		deliveryKey: varchar("delivery_key", { length: 200 }).notNull(),
		status: varchar("status", { length: 20 }).notNull(),
		responseStatus: integer("response_status"),
		detail: text("detail"),
		receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		uniqueIndex("webhook_deliveries_key_uq").on(t.siteId, t.endpoint, t.deliveryKey),
		index("webhook_deliveries_received_idx").on(t.receivedAt),
	],
);

/**
 * Webhook requests per site and UTC day, by outcome (docs/decisions/0022): counted in memory by the
 * webhook routes and added here every few seconds in one upsert, so the hot path writes nothing
 * more. `accepted`: answered 2xx and did its work (or was acknowledged and ignored); `duplicates`:
 * a delivery key seen before; `refused`: answered 4xx or 5xx once the site was known (401, 400,
 * 413, 415, 404 for an unknown contact, 503).
 */
export const webhookDayCounts = pgTable(
	"webhook_day_counts",
	{
		siteId: integer("site_id").notNull(),
		day: date("day", { mode: "string" }).notNull(),
		accepted: integer("accepted").notNull().default(0),
		duplicates: integer("duplicates").notNull().default(0),
		refused: integer("refused").notNull().default(0),
	},
	(t) => [primaryKey({ columns: [t.siteId, t.day] })],
);

/** Server-side admin sessions; the cookie holds a random token, the table only its SHA-256. */
export const adminSessions = pgTable(
	"admin_sessions",
	{
		tokenHash: varchar("token_hash", { length: 64 }).primaryKey(),
		userId: integer("user_id")
			.notNull()
			.references(() => adminUsers.id, { onDelete: "cascade" }),
		/** Secret for this session's CSRF tokens. */
		csrfSecret: varchar("csrf_secret", { length: 64 }).notNull(),
		createdAt: createdAt(),
		lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
		/** OAuth `state` bound to this session while "Get token" is under way. */
		oauthState: varchar("oauth_state", { length: 128 }),
		oauthSiteId: integer("oauth_site_id"),
		/**
		 * A new webhook API key waiting to be shown once on this session's next view of the site's
		 * "Webhook security" page: the site and the SHA-256 of the key (never the key itself).
		 */
		revealSiteId: integer("reveal_site_id"),
		revealKeyHash: varchar("reveal_key_hash", { length: 64 }),
	},
	(t) => [index("admin_sessions_user_idx").on(t.userId), index("admin_sessions_expires_idx").on(t.expiresAt)],
);

/** Sign-in attempts, for throttling (per email and address, per address) and the audit trail. */
export const adminLoginAttempts = pgTable(
	"admin_login_attempts",
	{
		id: bigserial("id", { mode: "number" }).primaryKey(),
		email: varchar("email", { length: 254 }).notNull(),
		/** The address as seen, for the audit trail. */
		ip: varchar("ip", { length: 64 }),
		/** The key limits count under: the IPv4 address, or the IPv6 /64 network (addressKey). */
		ipKey: varchar("ip_key", { length: 64 }),
		success: boolean("success").notNull(),
		/** False once an operator cleared the email's lock (`admin-users set-password`): kept for audit, not counted. */
		counted: boolean("counted").notNull().default(true),
		at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		index("admin_login_attempts_email_at_idx").on(t.email, t.at),
		index("admin_login_attempts_ip_key_at_idx").on(t.ipKey, t.at),
	],
);

/**
 * What the last check of a site's custom data attribute mapping found in its Intercom workspace
 * (docs/decisions/0029): one row per mapped attribute. `mapping_hash` is the hash of the mapping
 * checked, so a changed mapping is checked again; "Check again" deletes the rows.
 * `status`: `ok` (exists with the type), `created` (we created it), `mismatch` (exists with another
 * type: Intercom cannot change it through the API), `failed` (Intercom refused to create it).
 */
export const siteDataAttributes = pgTable(
	"site_data_attributes",
	{
		siteId: integer("site_id")
			.notNull()
			.references(() => sites.id, { onDelete: "cascade" }),
		attribute: varchar("attribute", { length: 190 }).notNull(),
		wantedType: varchar("wanted_type", { length: 20 }).notNull(),
		status: varchar("status", { length: 20 }).notNull(),
		intercomType: varchar("intercom_type", { length: 20 }),
		message: text("message"),
		mappingHash: varchar("mapping_hash", { length: 64 }).notNull(),
		checkedAt: timestamp("checked_at", { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [primaryKey({ columns: [t.siteId, t.attribute] })],
);

/**
 * Intercom's rate limit shared by every instance: one row per workspace budget (decision 0024),
 * counting the calls granted in the current 10-second window. Times are epoch milliseconds.
 */
export const intercomRateBudgets = pgTable("intercom_rate_budgets", {
	/** `app:<region>:<app id>` or `token:<sha-256 prefix>` (see intercom/rate-budget.ts). */
	budgetKey: varchar("budget_key", { length: 160 }).primaryKey(),
	/** Start of the window `used` counts in (a multiple of 10 s). */
	windowStart: bigint("window_start", { mode: "number" }).notNull(),
	/** Calls granted in that window (or seen by Intercom, when its headers say more). */
	used: integer("used").notNull().default(0),
	/** Calls per window, learned from `X-RateLimit-Limit`; null until the first answer. */
	windowLimit: integer("window_limit"),
	/** No call before this time: Intercom answered 429 and resets the window then. */
	blockedUntil: bigint("blocked_until", { mode: "number" }).notNull().default(0),
	updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The backfill of one site (decision 0031): every eligible contact sent to the site's workspace,
 * in GUID order, resumable from `cursorGuid` (the last contact done with all before it). One row
 * per site; `leaseOwner` runs it until `leaseUntil` (epoch ms), renewed while it works, so a dead
 * runner's backfill is taken over and two runners never both run it.
 */
export const syncBackfills = pgTable("sync_backfills", {
	siteId: integer("site_id")
		.primaryKey()
		.references(() => sites.id, { onDelete: "cascade" }),
	/** `running`, `paused`, `done` or `failed`. */
	state: varchar("state", { length: 16 }).notNull(),
	cursorGuid: uuid("cursor_guid"),
	total: integer("total").notNull().default(0),
	sent: integer("sent").notNull().default(0),
	skipped: integer("skipped").notNull().default(0),
	failed: integer("failed").notNull().default(0),
	leaseOwner: varchar("lease_owner", { length: 100 }),
	leaseUntil: bigint("lease_until", { mode: "number" }).notNull().default(0),
	lastError: text("last_error"),
	startedBy: varchar("started_by", { length: 200 }),
	startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
	finishedAt: timestamp("finished_at", { withTimezone: true }),
});
