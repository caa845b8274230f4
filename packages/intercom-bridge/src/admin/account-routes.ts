/**
 * "Your account": the signed-in administrator changes their own password. The current password
 * is asked again (a session left open must not be enough), the attempts count against the
 * address's sign-in limit, and every other session of the user ends, so a password that leaked
 * stops working everywhere at once.
 */
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { publicMessage, ValidationError } from "../errors.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { formFields, postRoute } from "./admin-routing.ts";
import { csrfField, type Markup, notice, page } from "./layout.ts";
import { clientIp } from "./request-info.ts";
import { visibleSites } from "./roles.ts";

async function render(
	c: Context<AdminEnv>,
	deps: AdminDeps,
	notices: Markup[] = [],
	status: 200 | 400 | 429 = 200,
) {
	const user = c.get("user");
	const body = html`<h1>Your account</h1>
<p class="lead">Signed in as <strong>${user.email}</strong>.</p>
<section class="card" aria-labelledby="password-h"><h2 id="password-h">Change your password</h2>
<form method="post" action="${deps.basePath}/account/password">${csrfField(c)}
	<div class="field"><label class="label" for="current">Current password</label>
		<input id="current" name="current" type="password" autocomplete="current-password" required></div>
	<div class="field"><label class="label" for="password">New password</label>
		<input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required>
		<p class="hint">At least 12 characters. Your other sessions end when you change it.</p></div>
	<div class="field"><label class="label" for="confirm">New password again</label>
		<input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="12" required></div>
	<div class="actions"><button class="btn primary" type="submit">Change password</button></div>
</form>
</section>`;
	const sites = visibleSites(user, await deps.store.listSites());
	return c.html(page(c, deps, { title: "Your account", sites, notices, body }), status);
}

/** Adds GET `/account` and POST `/account/password`. */
export function registerAccountRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
	app.get("/account", (c) => render(c, deps));

	postRoute(app, "/account/password", async (c) => {
		const busy = deps.throttle.admit(clientIp(c, deps));
		if (busy > 0) {
			c.header("Retry-After", String(busy));
			return render(
				c,
				deps,
				[notice("error", `Too many attempts from your address. Try again in ${busy} s.`)],
				429,
			);
		}
		const user = c.get("user");
		const form = await formFields(c);
		const current = (form.current ?? "").slice(0, 1024);
		const password = (form.password ?? "").slice(0, 1024);
		const fail = (message: string) => render(c, deps, [notice("error", message)], 400);
		if (!(await deps.store.verifyAdminPassword(user.email, current))) {
			deps.logger.warn({ userId: user.id }, "admin password change: wrong current password");
			return fail("The current password is not right.");
		}
		if (password !== (form.confirm ?? "")) return fail("The new password and its repetition differ.");
		if (password === current) return fail("The new password is the same as the current one.");
		try {
			await deps.store.setAdminPassword(user.id, password);
		} catch (err) {
			if (err instanceof ValidationError) return fail(publicMessage(err));
			throw err;
		}
		await deps.store.endAdminSessions(user.id, c.get("session").tokenHash);
		await deps.store.recordAudit({ kind: "admin", key: user.email, action: "password", actor: user.email });
		deps.logger.info({ userId: user.id }, "admin changed their password");
		return render(c, deps, [notice("ok", "Your password was changed. Your other sessions have ended.")]);
	});
}
