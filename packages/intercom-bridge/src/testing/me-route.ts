/**
 * `GET /me` (`admin_with_app`): the admin behind the token and its workspace. `app.id_code` is the
 * Messenger `app_id` and `app.region` (`"US"`, `"EU"` or `"AU"`, upper case as in the spec's
 * example) tells a client which regional bases to use (docs/intercom.md §1.3).
 */
import { Hono } from "hono";
import { bearerToken } from "./api-guard.ts";
import { type EmulatorContext, primaryApp } from "./emulator-context.ts";

/** The `/me` route, to be mounted on a region's API base. */
export function meRoute(ctx: EmulatorContext, startedAt: number): Hono {
	const app = new Hono();
	app.get("/me", (c) => {
		// A token issued through OAuth answers for the workspace it was authorized in.
		const appId = ctx.state.tokenApps.get(bearerToken(c.req.raw) ?? "");
		const workspace = ctx.options.apps.find((a) => a.appId === appId) ?? primaryApp(ctx);
		return c.json({
			type: "admin",
			id: "991267",
			email: "admin@example.com",
			name: "Emulator Admin",
			email_verified: true,
			job_title: "Support",
			away_mode_enabled: false,
			away_mode_reassign: false,
			has_inbox_seat: true,
			team_ids: [],
			avatar: { type: "avatar", image_url: null },
			app: {
				type: "app",
				id_code: workspace.appId,
				name: `Emulator workspace ${workspace.appId}`,
				created_at: Math.floor(startedAt / 1000),
				secure: Boolean(workspace.identitySecret),
				identity_verification: Boolean(workspace.identitySecret),
				timezone: workspace.timezone ?? "UTC",
				region: (workspace.region ?? "us").toUpperCase(),
			},
		});
	});
	return app;
}
