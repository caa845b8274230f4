/**
 * The bridge's live-site changes without HTTP: identify and consents. Page views and the Messenger
 * decision are create-page-view.ts's; `createIntercomBridge` wraps both with routes.
 */
import { RateLimitedError } from "../errors.ts";
import type { VisitorRequest } from "../http/request-info.ts";
import { getJobQueue } from "../jobs/job-queue.ts";
import { recordIntercomAction } from "../store/audit-store.ts";
import type { ContactFields } from "../store/contact-fields.ts";
import { type Contact, mergedGuids } from "../store/contact-store.ts";
import type { Tx } from "../store/database.ts";
import type { ResolvedBridgeOptions } from "./bridge-options.ts";
import type { Visit, VisitorTracker } from "./create-visitor-tracker.ts";

/** What a consent call from an address over its new-contact limit gets (see `newContactsPerMinute`). */
const tooManyNewContacts = (wait: number) =>
	new RateLimitedError(
		`Too many new visitors from this address in the last minute; try again in ${wait} s (the bridge's newContactsPerMinute option).`,
		wait,
	);

/** Creates the core over the bridge's visitor tracker (the page views share it, see create-page-view.ts). */
export function createBridgeCore(options: ResolvedBridgeOptions, tracker: VisitorTracker) {
	const { store, messenger } = options;

	/**
	 * What must happen with a withdrawal, in its transaction, when the consent withdrawn is the one
	 * that allows sending the contact's data (docs/reliability.md P2, decision 0026): with
	 * `onWithdrawal=delete` or `scrub` a job that deletes or scrubs the person in the site's
	 * workspace is queued; with `stop` nothing more is sent. Each is an audit row of the site, on
	 * the contact's page. Either all of it commits with the withdrawal or none.
	 */
	function withdrawalEffects(visit: Visit, code: string) {
		const { site, settings } = visit;
		if (!site || settings?.sendContactData !== "consent" || settings.sendContactDataConsent !== code) {
			return {};
		}
		const action = settings.onWithdrawal;
		return {
			needsQueue: action !== "stop",
			onWithdrawn: async (tx: Tx, guid: string) => {
				if (action !== "stop") {
					const externalIds = [guid, ...(await mergedGuids(tx, guid))];
					await getJobQueue(store, options.logger).enqueueContactErasure(tx, {
						externalIds,
						withdrawal: { siteId: site.id, guid, consent: code, action },
					});
				}
				await recordIntercomAction(tx, {
					siteId: site.id,
					guid,
					action: action === "stop" ? "stop" : `${action}-queued`,
					actor: "visitor",
				});
			},
		};
	}

	/** Re-reads the visitor after a change of contact or consent, keeping a pending Set-Cookie. */
	async function refreshed(
		request: VisitorRequest,
		visit: Visit,
		contact: Contact,
		setCookie: string | null,
	): Promise<Visit> {
		tracker.forget(contact.guid, visit.contact?.guid, tracker.cookie.read(request.headers.get("cookie")));
		const codes = visit.settings ? tracker.consentCodes(visit.settings) : [];
		const found = await store.getVisitorContact(contact.guid, codes);
		const next: Visit = {
			...visit,
			contact: found?.contact ?? contact,
			agreed: found?.agreed ?? visit.agreed,
			setCookie,
		};
		tracker.remember(request, next);
		return next;
	}

	return {
		options,
		cookie: tracker.cookie,
		visit: tracker.visit,
		newContactsRefused: tracker.newContactsRefused,

		/**
		 * Updates the current visitor's contact (creating one if needed). When another contact already
		 * has the email: with `verified: true` (your site checked the address, e.g. a signed-in user)
		 * the visitor is merged into it and the cookie follows; otherwise the email is not taken over
		 * and `emailConflict` is true — so nobody can claim someone else's contact by typing an email.
		 */
		async identify(request: VisitorRequest, fields: ContactFields, opts: { verified?: boolean } = {}) {
			const visit = await tracker.visit(request, { create: false });
			let contact = visit.contact;
			let setCookie = visit.setCookie;
			let merged = false;
			let emailConflict = false;
			const email = typeof fields.email === "string" ? fields.email.trim() : null;
			const owner = email ? await store.findContactByEmail(email) : null;
			const rest: ContactFields = { ...fields };
			if (owner && owner.guid !== contact?.guid) {
				if (opts.verified) {
					contact = contact ? await store.mergeContacts(contact.guid, owner.guid) : owner;
					merged = true;
					setCookie = tracker.cookie.write(owner.guid, visit.secure);
				} else {
					emailConflict = true;
					delete rest.email;
				}
			}
			if (!contact) {
				contact = await store.createContact(rest);
				setCookie = tracker.cookie.write(contact.guid, visit.secure);
			} else if (Object.keys(rest).length > 0) {
				contact = await store.updateContact(contact.guid, rest);
			}
			const next = await refreshed(request, visit, contact, setCookie);
			return { contact: next.contact as Contact, setCookie, merged, emailConflict };
		},

		/**
		 * Agrees to or revokes a consent for the current visitor. Agreeing creates the contact when
		 * there is none (the visitor acted; with tracking after consent this is where tracking starts).
		 * Returns null for an unknown consent. `shutdown` says the Messenger must end its session.
		 */
		async setConsent(request: VisitorRequest, code: string, action: "agree" | "revoke") {
			const consent = await store.getConsent(code);
			if (!consent) return null;
			const visit = await tracker.visit(request, { create: false });
			let contact = visit.contact;
			let setCookie = visit.setCookie;
			if (!contact) {
				if (action === "revoke") return { agreed: false, shutdown: false, setCookie };
				const wait = tracker.newContactWait(request);
				if (wait > 0) throw tooManyNewContacts(wait);
				contact = await store.createContact();
				setCookie = tracker.cookie.write(contact.guid, visit.secure);
			}
			if (action === "agree") await store.agree(contact.guid, code);
			else {
				const effects = withdrawalEffects(visit, code);
				// The queue's schema, before the transaction: on PGlite, creating it inside would wait for it.
				if (effects.needsQueue) await getJobQueue(store, options.logger).ensure();
				await store.revoke(contact.guid, code, effects);
			}
			await refreshed(request, visit, contact, setCookie);
			const gates = [messenger.loadAfterConsent, visit.settings?.sendContactDataConsent].filter(Boolean);
			return { agreed: action === "agree", shutdown: action === "revoke" && gates.includes(code), setCookie };
		},
	};
}

export type BridgeCore = ReturnType<typeof createBridgeCore>;
