/**
 * `intercom-bridge/testing`: a local Intercom emulator for tests and demos.
 *
 * @example
 * import { createIntercomEmulator } from "intercom-bridge/testing";
 * const emulator = createIntercomEmulator({ tokens: ["test-token"] });
 * const { url, close } = await emulator.listen();
 */
export type { Contact, ContactInput } from "./contact-shape.ts";
export type { Conversation, ConversationPart, SeedConversationOptions } from "./conversation-shape.ts";
export {
	createIntercomEmulator,
	type EmulatorDataEvent,
	type EmulatorServer,
	type IntercomEmulator,
	type IntercomEmulatorOptions,
} from "./create-intercom-emulator.ts";
export { createSimulatorRoutes, type SimulatorOptions } from "./create-simulator-routes.ts";
export type { DataAttribute, DataAttributeType, SeedDataAttribute } from "./data-attributes.ts";
export { DEFAULT_APP_ID } from "./emulator-context.ts";
export type {
	EmulatorApp,
	EmulatorOAuthClient,
	EmulatorRegion,
	MessengerBoot,
	RecordedRequest,
} from "./emulator-state.ts";
export type { EmulatorFault } from "./faults.ts";
export { CODE_TTL_MS } from "./oauth-routes.ts";
export {
	hubSignature,
	type NotificationDelivery,
	type SeriesWebhook,
	type TopicDelivery,
	type WebhookSender,
} from "./webhook-sender.ts";
