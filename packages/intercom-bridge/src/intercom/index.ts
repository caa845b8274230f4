/**
 * Intercom's REST API and OAuth: the typed client, the OAuth helpers and the region endpoints.
 *
 * @example
 * import { createIntercomClient, authorizationUrl, exchangeCode } from "./intercom/index.ts";
 */
export { IntercomApiError, IntercomAuthError, OAuthError } from "../errors.ts";
export type { ContactSearchOptions, ContactSearchResult, ContactsApi } from "./contacts.ts";
export type {
	ConversationSearchOptions,
	ConversationSearchResult,
	ConversationsApi,
} from "./conversations.ts";
export {
	createIntercomClient,
	INTERCOM_API_VERSION,
	type IntercomClient,
	type IntercomClientOptions,
} from "./create-intercom-client.ts";
export {
	type CreateDataAttributeInput,
	DATA_ATTRIBUTE_TYPES,
	type DataAttributesApi,
	validateDataAttributeInput,
} from "./data-attributes.ts";
export {
	conversationUrl,
	type EndpointsResolver,
	type IntercomEndpoints,
	intercomEndpoints,
	realIntercom,
} from "./endpoints.ts";
export {
	type CreateEventInput,
	type EventContact,
	type EventMetadataValue,
	type EventsApi,
	MAX_EVENT_METADATA_KEYS,
	validateEventMetadata,
} from "./events.ts";
export type {
	AdminWithApp,
	Contact,
	ContactArchived,
	ContactDeleted,
	Conversation,
	ConversationListItem,
	CreateContactBody,
	DataAttribute,
	DataAttributeType,
	DataEvent,
	IntercomErrorBody,
	MergedContact,
	UpdateContactBody,
} from "./intercom-types.ts";
export { authorizationUrl, type ExchangeCodeOptions, exchangeCode } from "./oauth.ts";
export {
	type CallPriority,
	createSharedRateBudget,
	type RateBudget,
	type RateBudgetGrant,
	type RateBudgetObservation,
	type RateBudgetStore,
	rateBudgetKey,
	type SharedRateBudgetOptions,
} from "./rate-budget.ts";
export { MAX_RATE_LIMIT_WAIT_MS, type RateLimitState, readRateLimit } from "./rate-limit.ts";
export type { CallOptions } from "./request.ts";
export { MAX_PAGES, MAX_PER_PAGE, type PageOptions } from "./search.ts";
export {
	SEARCH_LIMITS,
	type SearchFilter,
	type SearchGroup,
	type SearchOperator,
	type SearchQuery,
	validateSearchQuery,
} from "./search-query.ts";
