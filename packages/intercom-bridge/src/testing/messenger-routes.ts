/**
 * The Messenger's server side: the widget script (`GET /widget/{app_id}`) and the ping its boots
 * and updates post to `{api_base}/messenger/web/ping`. Both answer with CORS so a page on another
 * origin can use them. An app with an identity secret rejects identified users whose `user_hash`
 * or JWT does not verify (enforced identity verification); accepted identified boots upsert the
 * contact (role user, external_id = user_id) as the real Messenger does.
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import { upsertMessengerUser } from "./contact-operations.ts";
import type { EmulatorContext } from "./emulator-context.ts";
import type { MessengerBoot } from "./emulator-state.ts";
import { errorBody, errorResponse } from "./intercom-error.ts";
import { identityVerdict, receivedFields, verifyBootIdentity } from "./messenger-identity.ts";
import { messengerWidgetScript } from "./messenger-widget-script.ts";

/** `GET /widget/{app_id}`: the stand-in script. `usApiBase` gives the default `api_base` for a request. */
export function widgetRoutes(ctx: EmulatorContext, usApiBase: (request: Request) => string): Hono {
	const app = new Hono();
	app.use("/widget/*", cors());
	app.get("/widget/:appId", (c) => {
		const appId = c.req.param("appId");
		if (!ctx.options.apps.some((a) => a.appId === appId)) {
			return c.text(`/* Intercom emulator: unknown app_id ${JSON.stringify(appId)} */`, 404, {
				"Content-Type": "text/javascript; charset=utf-8",
			});
		}
		return c.body(messengerWidgetScript(appId, usApiBase(c.req.raw)), 200, {
			"Content-Type": "text/javascript; charset=utf-8",
			"Cache-Control": "no-store",
		});
	});
	return app;
}

/** `POST /messenger/web/ping`, mounted on a region's Messenger base. */
export function messengerPingRoutes(ctx: EmulatorContext): Hono {
	const app = new Hono();
	app.use("*", cors());
	app.post("/messenger/web/ping", async (c) => {
		let body: unknown;
		try {
			body = await c.req.json();
		} catch {
			return errorResponse(400, "bad_request", "Request body is not valid JSON");
		}
		const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
		const settings = (typeof b.settings === "object" && b.settings !== null ? b.settings : b) as Record<
			string,
			unknown
		>;
		const appId = String(b.app_id ?? settings.app_id ?? "");
		const app = ctx.options.apps.find((a) => a.appId === appId);
		if (!app) return errorResponse(404, "not_found", `Unknown app_id ${appId}`);
		const now = ctx.options.now();
		const identity = await verifyBootIdentity(settings, app.identitySecret, now);
		const identified = identity.userId !== undefined || identity.email !== undefined;
		const boot: MessengerBoot = {
			kind: b.kind === "update" ? "update" : "boot",
			appId,
			userId: identity.userId,
			email: identity.email,
			name: identity.name,
			verified: identity.verified,
			method: identity.method,
			accepted: true,
			at: now,
		};
		// What the widget stand-in shows the developer: the verdict and the fields Intercom got.
		const shown = {
			identity: identityVerdict(identity, app.identitySecret !== undefined),
			received: receivedFields(settings),
		};
		// A proof that fails (even a JWT whose claims could not be read) is refused, not downgraded to a visitor.
		if ((identified || identity.method !== "none") && app.identitySecret && !identity.verified) {
			boot.accepted = false;
			boot.error =
				identity.error ?? "identity verification is enforced and the boot carries no user_hash or JWT";
			ctx.state.messengerBoots.push(boot);
			return c.json({ ...errorBody("identity_verification_failed", boot.error), ...shown }, 403);
		}
		if (identified) {
			const user: { userId?: string; email?: string; name?: string } = {};
			if (identity.userId) user.userId = identity.userId;
			if (identity.email) user.email = identity.email;
			if (identity.name) user.name = identity.name;
			boot.contactId = upsertMessengerUser(ctx, user).id;
		}
		ctx.state.messengerBoots.push(boot);
		return c.json({
			type: "ping",
			app_id: appId,
			verified: boot.verified,
			method: boot.method,
			user: boot.contactId ? { type: "user", id: boot.contactId, user_id: boot.userId ?? null } : null,
			...shown,
		});
	});
	return app;
}
