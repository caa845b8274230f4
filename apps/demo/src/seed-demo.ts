/**
 * Demo data: fills only what is missing, so settings made with the CLI or the admin console
 * survive every restart. Secrets it needs are random and made once (stored encrypted).
 */
import { randomBytes } from "node:crypto";
import type { Store } from "intercom-bridge";

export const DEMO_CONSENT = "intercom-data-sharing";
export const DEMO_APP_ID = "coffeedemo";

export const DEMO_ACTIVITY_TYPES = [
	["intercom_chat_started", "Intercom chat started"],
	["intercom_demo_booked", "Intercom demo booked"],
	["intercom_tasting_requested", "Coffee tasting requested"],
	// Not from Intercom: the site's contact form keeps each message as an activity of the contact.
	["contact_form", "Contact form"],
] as const;

/**
 * Seeds the default site for the demo. With `emulator: true` it also fills the Intercom settings
 * the emulator needs (app id, client id and secret, identity secret, access token).
 * @returns the keys it set (empty on later starts).
 */
export async function seedDemo(store: Store, options: { emulator: boolean }): Promise<string[]> {
	const site = await store.requireSite("default");
	if (!(await store.getConsent(DEMO_CONSENT))) {
		await store
			.addConsent({
				codeName: DEMO_CONSENT,
				displayName: "Share my name and email with the chat",
				text: "Brew & Byte may send your name and email to Intercom, our chat provider, so we know who we are talking to. You can withdraw this at any time on the Privacy page.",
			})
			.catch((err: { code?: string }) => {
				if (err.code !== "CONFLICT") throw err;
			});
	}
	const types = new Set((await store.listActivityTypes()).map((t) => t.codeName));
	for (const [codeName, displayName] of DEMO_ACTIVITY_TYPES) {
		if (!types.has(codeName)) await store.addActivityType({ codeName, displayName }).catch(() => {});
	}
	// The first start only (the type is new): a started conversation logs "chat started", so the
	// simulator's signed notifications show at once; a choice made later in the console stays.
	if (!types.has("intercom_chat_started") && (await store.getActivityType("intercom_chat_started"))) {
		await store.setTopicActivityType(site.id, "conversation.user.created", "intercom_chat_started", {
			actor: "demo seed",
		});
	}
	const current = new Map<string, boolean>(
		(await store.describeSettings(site.id)).map((v) => [v.key, v.isSet]),
	);
	const wanted: [string, () => string][] = [
		["sendContactData", () => "consent"],
		["sendContactDataConsent", () => DEMO_CONSENT],
	];
	if (options.emulator) {
		wanted.push(
			["enabled", () => "true"],
			["appId", () => DEMO_APP_ID],
			["clientId", () => "coffee-demo-client"],
			["clientSecret", () => randomBytes(24).toString("base64url")],
			["identityVerificationSecret", () => randomBytes(24).toString("base64url")],
			["accessToken", () => `demo_${randomBytes(24).toString("base64url")}`],
		);
	}
	const set: string[] = [];
	for (const [key, value] of wanted) {
		if (current.get(key)) continue;
		await store.setSetting(site.id, key, value(), { actor: "demo seed" });
		set.push(key);
	}
	return set;
}
