/**
 * intercom-bridge: connects a website's contacts, activities and consents with Intercom.
 *
 * The database drivers live in subpath exports so the core imports neither:
 * `intercom-bridge/pglite` (embedded) and `intercom-bridge/postgres`.
 */
export type { IntercomBridgeOptions, TrackingOption } from "./bridge/bridge-options.ts";
export {
	createIntercomBridge,
	type IntercomBridge,
	type ScriptOptions,
} from "./bridge/create-intercom-bridge.ts";
export type { Visit } from "./bridge/create-visitor-tracker.ts";
export {
	ConfigError,
	ConflictError,
	DataDirLockedError,
	ERROR_CODES,
	type ErrorCode,
	IntercomBridgeError,
	NotFoundError,
	RateLimitedError,
	StoppedError,
	StoreUnavailableError,
	ValidationError,
} from "./errors.ts";
export { setClientAddress, type VisitorRequest } from "./http/request-info.ts";
export type { IntercomCallCounts } from "./intercom/create-call-counter.ts";
export {
	conversationUrl,
	type EndpointsResolver,
	type IntercomEndpoints,
	intercomEndpoints,
} from "./intercom/endpoints.ts";
export { createJobRunner, type JobRunner, type JobRunnerOptions } from "./jobs/create-job-runner.ts";
export {
	type DeadJob,
	getJobBacklog,
	type JobBacklog,
	listDeadJobs,
	redriveDeadJobs,
} from "./jobs/job-backlog.ts";
export { createLogger, type Logger } from "./logger.ts";
export type {
	IntercomSettings,
	MessengerDecision,
	MessengerDisclosure,
} from "./messenger/build-messenger-settings.ts";
export { userHash, userJwt } from "./messenger/identity.ts";
export type {
	MessengerAppearance,
	MessengerOptions,
	MessengerSettingsContext,
} from "./messenger/messenger-options.ts";
export type { MessengerPageSettings, MessengerSettingValue } from "./messenger/page-settings.ts";
export { type EraseResult, eraseContact, isErased } from "./privacy/erase-contact.ts";
export { KNOWN_TOPICS, type KnownTopic } from "./settings/notification-topics.ts";
export {
	checkSettingKey,
	IDENTITY_MODES,
	type IdentityMode,
	maskSecret,
	parseSetting,
	REGIONS,
	type Region,
	SEND_CONTACT_DATA,
	SETTING_DEFINITIONS,
	SETTING_KEYS,
	type SendContactData,
	type SettingKey,
	type SiteSettings,
} from "./settings/setting-keys.ts";
export { ACTIVITY_ORIGINS, type ActivityOrigin, cameFromIntercom } from "./store/activity-origin.ts";
export type { Activity, ActivityType } from "./store/activity-store.ts";
export type { AdminRole, AdminUser } from "./store/admin-user-store.ts";
export type { BackfillRun, BackfillState } from "./store/backfill-store.ts";
export type { Consent, ConsentHistoryEntry, ConsentState } from "./store/consent-store.ts";
export {
	CONTACT_FIELD_LIMITS,
	type ContactFieldName,
	type ContactFields,
	isValidEmail,
} from "./store/contact-fields.ts";
export { type Contact, isGuid } from "./store/contact-store.ts";
export { createStore, type Store, type StoreOptions } from "./store/create-store.ts";
export type { DataAttributeCheck, DataAttributeCheckStatus } from "./store/data-attribute-store.ts";
export type { Database } from "./store/database.ts";
export type { Disclosure, DisclosureInput } from "./store/disclosure-store.ts";
export { guidHash } from "./store/guid-hash.ts";
export type { SettingView } from "./store/settings-store.ts";
export { DEFAULT_SITE_CODE, normalizeHost, type Site } from "./store/site-store.ts";
export type { TopicActivityType } from "./store/topic-activity-store.ts";
export {
	checkDataAttributeMapping,
	type DataAttributeMapping,
	type DataAttributeTarget,
	type EnsuredDataAttributes,
	ensureDataAttributes,
	mappedCustomAttributes,
	type UsableAttribute,
} from "./sync/ensure-data-attributes.ts";
export {
	type FieldMismatch,
	type ReconcileClient,
	type ReconcileReport,
	reconcileContacts,
} from "./sync/reconcile-contacts.ts";
export {
	type ReconcileFix,
	type ReconcileSiteOptions,
	type ReconcileSiteResult,
	reconcileSite,
} from "./sync/reconcile-site.ts";
export {
	type BackfillOptions,
	type BackfillResult,
	runBackfill,
} from "./sync/run-backfill.ts";
export type { ContactAttributesHook } from "./sync/sync-contact.ts";
export type {
	CustomFieldMapping,
	NotificationEvent,
	UpdateContactEvent,
	WebhookOptions,
} from "./webhooks/webhook-options.ts";
