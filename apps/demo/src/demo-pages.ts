/**
 * The coffee-shop site: home, products, contact form (identifies the visitor and keeps the message
 * as a "Contact form" activity), privacy page and a consent banner (agree / "No thanks", which is
 * remembered in a first-party cookie), with the Messenger on every page through the Hono adapter.
 * On a phone the banner sits in the page under the header instead of floating over buttons.
 * Pages carry a strict nonce CSP, as a careful site would.
 */
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { IntercomBridge } from "intercom-bridge";
import { type IntercomHonoVariables, intercomHono } from "intercom-bridge/hono";
import { DEMO_CONSENT } from "./seed-demo.ts";

type Env = { Variables: IntercomHonoVariables & { nonce: string } };
type Content = HtmlEscapedString | Promise<HtmlEscapedString>;

const PRODUCTS = [
	["Ethiopia Yirgacheffe", "Floral, bergamot, bright", "€14"],
	["Colombia Huila", "Caramel, red apple, round", "€12"],
	["Sumatra Mandheling", "Cedar, dark chocolate, heavy", "€13"],
] as const;

const CSS = `:root{--ink:#2d1e16;--bean:#6f4e37;--cream:#fbf6ef;--line:#e7dccf}
*{box-sizing:border-box}body{margin:0;font:16px/1.55 system-ui,sans-serif;color:var(--ink);background:var(--cream)}
header{background:var(--bean);color:#fff}nav{max-width:60rem;margin:auto;display:flex;gap:1.25rem;align-items:center;padding:.9rem 1rem}
nav a{color:#fff;text-decoration:none}nav a:hover,nav a:focus-visible{text-decoration:underline}nav .brand{font-weight:700;font-size:1.2rem;margin-right:auto}
main{max-width:60rem;margin:2rem auto;padding:0 1rem 12rem}.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:1rem}
.card{background:#fff;border:1px solid var(--line);border-radius:.75rem;padding:1rem 1.25rem}
label{display:block;margin:.6rem 0 .2rem}input,textarea{font:inherit;width:100%;max-width:28rem;padding:.45rem .6rem;border:1px solid #b9a99a;border-radius:.4rem}
button{font:inherit;padding:.5rem 1rem;border:0;border-radius:.4rem;background:var(--bean);color:#fff;cursor:pointer}
button.secondary{background:#fff;color:var(--ink);border:1px solid #b9a99a}
:focus-visible{outline:3px solid #f0b429;outline-offset:2px}
.banner{position:fixed;left:1rem;bottom:1rem;max-width:26rem;background:#fff;border:1px solid var(--line);border-radius:.75rem;padding:1rem 1.25rem;box-shadow:0 6px 24px rgba(0,0,0,.12);z-index:10}
.banner p{margin-top:0}.banner form{display:inline}.notice{background:#e3f8e8;border:1px solid #9fd8ad;padding:.6rem 1rem;border-radius:.5rem}
@media (max-width:40rem){nav{gap:.75rem;flex-wrap:wrap}nav .brand{font-size:1.05rem}main{padding-bottom:6rem}
.banner{position:static;max-width:none;margin:0;border-radius:0;border-width:0 0 1px;box-shadow:none}}`;

/** First-party cookie that remembers "No thanks", so the banner does not ask on every page. */
export const DECLINED_COOKIE = "bb_consent_declined";

/** The type of the activity the contact form records (seeded by seedDemo). */
export const CONTACT_FORM_ACTIVITY = "contact_form";

/** Longest contact-form message kept. */
const MAX_MESSAGE = 4000;

const READABLE = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });

/** A date as a person reads it ("2 December 2026 at 19:40 UTC"), machine-readable in `datetime`. */
function readableDate(d: Date) {
	return html`<time datetime="${d.toISOString()}">${READABLE.format(d)} UTC</time>`;
}

export interface DemoPagesOptions {
	/** Records the contact form's message as an activity of the contact (never fails the form). */
	recordMessage?: (contactGuid: string, message: string) => Promise<void>;
}

/** The demo's pages as a Hono app (the bridge's own routes are answered by the adapter). */
export function createDemoPages(bridge: IntercomBridge, options: DemoPagesOptions = {}): Hono<Env> {
	const app = new Hono<Env>();

	app.use(async (c, next) => {
		const nonce = randomBytes(16).toString("base64");
		c.set("nonce", nonce);
		await next();
		if ((c.res.headers.get("content-type") ?? "").includes("text/html")) {
			c.res.headers.set(
				"Content-Security-Policy",
				`script-src 'nonce-${nonce}' 'strict-dynamic'; object-src 'none'; base-uri 'none'`,
			);
			c.res.headers.set("Cache-Control", "private, no-store");
		}
	});
	app.use(intercomHono(bridge));

	const layout = async (
		c: {
			get(key: "nonce"): string;
			get(key: "intercomScripts"): IntercomHonoVariables["intercomScripts"];
			req: { raw: Request; query(k: string): string | undefined; header(k: string): string | undefined };
		},
		title: string,
		body: Content,
	) => {
		const nonce = c.get("nonce");
		const agreed = await bridge.consents.isAgreed(c.req.raw, DEMO_CONSENT);
		const declined = new RegExp(`(?:^|;\\s*)${DECLINED_COOKIE}=1(?:;|$)`).test(c.req.header("cookie") ?? "");
		const revoked = c.req.query("revoked") === "1";
		// Escaped HTML, or a promise of it: hono/html takes either as it is.
		const messenger = c.get("intercomScripts")({ nonce });
		return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · Brew &amp; Byte</title><style>${raw(CSS)}</style></head><body>
<header><nav aria-label="Main"><a class="brand" href="/">Brew &amp; Byte</a><a href="/products">Products</a><a href="/contact">Contact</a><a href="/privacy">Privacy</a></nav></header>
${
	agreed || declined
		? ""
		: html`<aside class="banner" aria-label="Data sharing consent"><p><strong>May our chat know who you are?</strong> We'd like to share your name and email with Intercom, our chat provider. You can change your mind on the <a href="/privacy">Privacy</a> page.</p>
<form method="post" action="/consent/agree"><button type="submit" id="consent-agree">Yes, share</button></form>
<form method="post" action="/consent/revoke"><button type="submit" class="secondary" id="consent-decline">No thanks</button></form></aside>`
}
<main id="main">${body}</main>
${revoked ? raw(bridge.messenger.shutdownScript({ nonce })) : ""}${messenger}
</body></html>`;
	};

	app.get("/", async (c) =>
		c.html(
			await layout(
				c,
				"Home",
				html`<h1>Fresh coffee, roasted in small batches</h1>
<p>Browse our <a href="/products">coffees</a>, or ask us anything in the chat at the bottom right.</p>
${c.req.query("thanks") ? html`<p class="notice" role="status">Thanks, we'll be in touch!</p>` : ""}`,
			),
		),
	);

	app.get("/products", async (c) =>
		c.html(
			await layout(
				c,
				"Products",
				html`<h1>Our coffees</h1><div class="cards">${PRODUCTS.map(
					([name, notes, price]) =>
						html`<article class="card"><h2>${name}</h2><p>${notes}</p><p><strong>${price}</strong> / 250 g</p></article>`,
				)}</div>`,
			),
		),
	);

	app.get("/contact", async (c) =>
		c.html(
			await layout(
				c,
				"Contact",
				html`<h1>Contact us</h1><form method="post" action="/contact">
<label for="firstName">First name</label><input id="firstName" name="firstName" autocomplete="given-name" maxlength="100">
<label for="lastName">Last name</label><input id="lastName" name="lastName" autocomplete="family-name" maxlength="100">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" required maxlength="254">
<label for="message">Message</label><textarea id="message" name="message" rows="4" maxlength="${MAX_MESSAGE}"></textarea>
<p><button type="submit" id="contact-send">Send</button></p></form>`,
			),
		),
	);

	app.post("/contact", async (c) => {
		const form = await c.req.parseBody();
		const text = (k: string) => (typeof form[k] === "string" ? (form[k] as string).slice(0, 254) : undefined);
		const result = await bridge.contacts
			.identify(c.req.raw, { firstName: text("firstName"), lastName: text("lastName"), email: text("email") })
			.catch((err: { status?: number; message: string }) => {
				if (err.status && err.status < 500)
					return { error: err.message.replace(/^\[intercom-bridge\] /, "") };
				throw err;
			});
		if ("error" in result)
			return c.html(
				await layout(
					c,
					"Contact",
					html`<h1>Contact us</h1><p role="alert">${result.error}</p><p><a href="/contact">Try again</a></p>`,
				),
				400,
			);
		const message =
			typeof form.message === "string"
				? form.message.replace(/\r\n?/g, "\n").trim().slice(0, MAX_MESSAGE)
				: "";
		if (message && result.contact && options.recordMessage)
			await options.recordMessage(result.contact.guid, message);
		const res = c.redirect("/?thanks=1", 303);
		if (result.setCookie) res.headers.append("Set-Cookie", result.setCookie);
		return res;
	});

	app.get("/privacy", async (c) => {
		const { states, history } = await bridge.consents.list(c.req.raw);
		const state = states.find((s) => s.consent.codeName === DEMO_CONSENT);
		return c.html(
			await layout(
				c,
				"Privacy",
				html`<h1>Privacy</h1><p>${state?.consent.text ?? ""}</p>
<p>You have <strong id="consent-state">${state?.agreed ? "agreed" : "not agreed"}</strong> to share your name and email with the chat.</p>
${state?.agreed ? html`<form method="post" action="/consent/revoke"><button type="submit" id="consent-revoke">Withdraw my consent</button></form>` : html`<form method="post" action="/consent/agree"><button type="submit">Agree</button></form>`}
${history.length ? html`<h2>History</h2><ul>${history.map((h) => html`<li>${h.action === "agree" ? "Agreed" : "Withdrawn"} on ${readableDate(h.at)}</li>`)}</ul>` : ""}`,
			),
		);
	});

	for (const action of ["agree", "revoke"] as const) {
		app.post(`/consent/${action}`, async (c) => {
			// Forms of this site only (the bridge's own consent endpoints check the same way).
			const site = c.req.header("sec-fetch-site");
			if (site && site !== "same-origin" && site !== "none")
				return c.text("Cross-site request refused.", 403);
			const result = await (action === "agree"
				? bridge.consents.agree(c.req.raw, DEMO_CONSENT)
				: bridge.consents.revoke(c.req.raw, DEMO_CONSENT));
			const back = c.req.header("referer");
			const target =
				back && new URL(back).origin === new URL(c.req.url).origin ? new URL(back).pathname : "/";
			const res = c.redirect(result?.shutdown ? `${target}?revoked=1` : target, 303);
			if (result?.setCookie) res.headers.append("Set-Cookie", result.setCookie);
			// "No thanks" (or a withdrawal) is remembered for a year, so the banner stops asking;
			// agreeing forgets it. The Privacy page still offers both.
			res.headers.append(
				"Set-Cookie",
				action === "revoke"
					? `${DECLINED_COOKIE}=1; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax`
					: `${DECLINED_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`,
			);
			return res;
		});
	}

	return app;
}
