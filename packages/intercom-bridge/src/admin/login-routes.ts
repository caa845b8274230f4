/**
 * Sign-in and sign-out. One message and one status for an unknown email and a wrong password (the
 * store checks a dummy hash for unknown emails, so timing matches too); throttling per email and
 * IP answers 429 with Retry-After; a new session (new token, new CSRF secret) at every sign-in;
 * sign-out deletes the session server-side. Every attempt is recorded for the audit page.
 */

import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { hashSessionToken } from "../store/session-store.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { formFields, postRoute } from "./admin-routing.ts";
import { isSameSiteRequest, newLoginNonce, safeEqual } from "./csrf.ts";
import { documentShell, notice } from "./layout.ts";
import { clientIp, safeNextPath } from "./request-info.ts";
import { allowedOrigins } from "./require-admin.ts";
import {
	clearLoginCookie,
	clearSessionCookie,
	readLoginCookie,
	readSessionCookie,
	writeLoginCookie,
	writeSessionCookie,
} from "./session-cookie.ts";

const BAD_CREDENTIALS = "Email or password is incorrect.";

function loginPage(
	c: Context<AdminEnv>,
	deps: AdminDeps,
	input: { nonce: string; next: string; email?: string; error?: string },
) {
	const body = html`<main class="login" id="main">
	<div class="card">
		<p class="brand"><span class="brand-mark" aria-hidden="true">ib</span> intercom-bridge</p>
		<h1>Sign in</h1>
		<p class="lead">Administration console</p>
		${input.error ? notice("error", input.error) : ""}
		<form method="post" action="${deps.basePath}/login">
			<input type="hidden" name="_login" value="${input.nonce}">
			<input type="hidden" name="next" value="${input.next}">
			<div class="field"><label class="label" for="email">Email</label>
				<input id="email" name="email" type="email" autocomplete="username" required value="${input.email ?? ""}" autofocus></div>
			<div class="field"><label class="label" for="password">Password</label>
				<input id="password" name="password" type="password" autocomplete="current-password" required></div>
			<div class="actions"><button class="btn primary" type="submit">Sign in</button></div>
		</form>
	</div>
</main>`;
	return documentShell(c, deps, "Sign in", body);
}

/** Adds GET/POST `/login`; they run before the session check. */
export function registerLoginRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
	const home = deps.basePath;

	app.get("/login", async (c) => {
		const next = safeNextPath(c.req.query("next"), deps.basePath, home, deps.returnPaths);
		if (await deps.sessions.load(readSessionCookie(c, deps))) return c.redirect(next, 302);
		const nonce = newLoginNonce();
		writeLoginCookie(c, deps, nonce);
		return c.html(loginPage(c, deps, { nonce, next }));
	});

	app.post("/login", async (c) => {
		if (!isSameSiteRequest(c, allowedOrigins(c, deps))) return c.text("Forbidden: cross-site request.", 403);
		// Before the body, the database and the password hash: a flood from one address stops here.
		const busy = deps.throttle.admit(clientIp(c, deps));
		if (busy > 0) {
			c.header("Retry-After", String(busy));
			return c.text(`Too many sign-in attempts from your address. Try again in ${busy} s.`, 429);
		}
		const form = await formFields(c);
		const cookie = readLoginCookie(c, deps);
		if (!cookie || !safeEqual(cookie, form._login ?? "")) {
			return c.text("Forbidden: the sign-in form expired. Reload the page and try again.", 403);
		}
		const email = (form.email ?? "").slice(0, 254);
		const password = (form.password ?? "").slice(0, 1024);
		const next = safeNextPath(form.next, deps.basePath, home, deps.returnPaths);
		const ip = clientIp(c, deps);
		const again = (status: 401 | 429, error: string) => {
			const nonce = newLoginNonce();
			writeLoginCookie(c, deps, nonce);
			return c.html(loginPage(c, deps, { nonce, next, email, error }), status);
		};
		const wait = await deps.throttle.retryAfterSeconds(email, ip);
		if (wait > 0) {
			c.header("Retry-After", String(wait));
			return again(429, `Too many sign-in attempts. Try again in ${Math.ceil(wait / 60)} minute(s).`);
		}
		const user = email && password ? await deps.store.verifyAdminPassword(email, password) : null;
		await deps.throttle.record(email, ip, user !== null);
		if (!user) {
			deps.logger.warn({ ip }, "admin sign-in failed");
			return again(401, BAD_CREDENTIALS);
		}
		// Hashes made with older scrypt parameters are upgraded while the password is at hand.
		await deps.store.upgradeAdminPasswordHash(user.id, password);
		// A new session at every sign-in: a token planted before sign-in is worth nothing after it.
		const old = readSessionCookie(c, deps);
		if (old) await deps.sessions.destroy(hashSessionToken(old));
		const { token } = await deps.sessions.create(user.id);
		writeSessionCookie(c, deps, token);
		clearLoginCookie(c, deps);
		deps.logger.info({ userId: user.id, ip }, "admin signed in");
		return c.redirect(next, 303);
	});
}

/** Adds POST `/logout`; it runs after the session check (it needs the session and a form token). */
export function registerLogoutRoute(app: Hono<AdminEnv>, deps: AdminDeps): void {
	postRoute(app, "/logout", async (c) => {
		await deps.sessions.destroy(c.get("session").tokenHash);
		clearSessionCookie(c, deps);
		deps.logger.info({ userId: c.get("user").id }, "admin signed out");
		return c.redirect(`${deps.basePath}/login`, 303);
	});
}
