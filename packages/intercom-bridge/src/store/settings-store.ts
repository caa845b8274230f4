/**
 * Per-site settings. Secrets are encrypted before they reach the database and decrypted only in
 * memory. Reads are cached per site for `cacheMaxAgeMs` (default 2 s), so a change made by another
 * process (the CLI, another instance on the same PostgreSQL) takes effect within that time, and a
 * page view costs no query. Concurrent reads of an expired entry share one query.
 */
import { randomBytes } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { sealedKeyId } from "../crypto/secret-box.ts";
import { ConflictError, IntercomBridgeError, ValidationError } from "../errors.ts";
import {
	checkSettingKey,
	DEFAULT_API_KEY_GRACE_PERIOD_MS,
	decodePreviousWebhookApiKeys,
	encodePreviousWebhookApiKeys,
	INTERNAL_KEYS,
	isInternalSecretKey,
	isSecretSetting,
	MAX_PREVIOUS_WEBHOOK_API_KEYS,
	maskSecret,
	parseSetting,
	SETTING_DEFINITIONS,
	SETTING_KEYS,
	type SettingKey,
	type SiteSettings,
	toSiteSettings,
} from "../settings/setting-keys.ts";
import { singleFlight } from "./cache-helpers.ts";
import type { Db, Tx } from "./database.ts";
import { consents, settingsAudit, siteSettings, sites } from "./schema.ts";
import { guard, type StoreContext } from "./store-context.ts";

/** What `describeSettings` shows for one key: secrets masked. */
export interface SettingView {
	key: SettingKey;
	secret: boolean;
	isSet: boolean;
	/** The value, or for secrets a mask such as "set, ends with …4f2a". */
	display: string;
	/**
	 * A secret is stored but this server's secret key cannot decrypt it (another key, or altered):
	 * `isSet` is false and `display` says to set it again.
	 */
	undecryptable: boolean;
	description: string;
	updatedAt: Date | null;
	updatedBy: string | null;
}

/** What {@link SettingsStore.checkSecretKey} finds: how many stored secrets the current key opens. */
export interface SecretKeyCheck {
	/** Id of the current key (not secret). */
	keyId: string;
	/** Secrets stored, over all sites. */
	stored: number;
	/** Of those, the ones sealed with another key: this server cannot read them. */
	otherKey: number;
	/** Ids of the other keys they were sealed with, to compare with a backup's (`keyId` of a store on it). */
	otherKeyIds: string[];
}

/**
 * The key ids of every stored secret, without needing the key (for start-up checks, before a key
 * is chosen). An empty list when the table does not exist yet.
 */
export async function storedSecretKeyIds(db: Db): Promise<string[]> {
	let rows: { secret: Uint8Array | null }[];
	try {
		rows = await db
			.select({ secret: siteSettings.secret })
			.from(siteSettings)
			.where(sql`${siteSettings.secret} is not null`);
	} catch (err) {
		// 42P01 (no such table): a database not migrated yet holds no secrets.
		for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
			if ((e as { code?: unknown }).code === "42P01") return [];
		}
		throw err;
	}
	return rows.map((row) => (row.secret ? (sealedKeyId(row.secret) ?? "unknown") : "unknown"));
}

const isKeyMismatch = (err: unknown) =>
	err instanceof IntercomBridgeError && err.code === "SECRET_KEY_MISMATCH";

/** Generates a webhook API key: 24 random bytes, base64url (32 characters). */
export function generateWebhookApiKey(): string {
	return randomBytes(24).toString("base64url");
}

/** "2026-12-02 10:00 UTC", rounded up to the minute (a time to wait for is never early). */
function utcMinute(ms: number): string {
	return `${new Date(Math.ceil(ms / 60_000) * 60_000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** The rows that hold a site's webhook API keys: the current one and those replaced. */
const WEBHOOK_KEY_ROWS = [
	"webhookApiKey",
	INTERNAL_KEYS.previousWebhookApiKeys,
	INTERNAL_KEYS.legacyPreviousWebhookApiKey,
];

export function createSettingsStore(ctx: StoreContext) {
	const { db, secretBox } = ctx;
	const cache = new Map<number, { at: number; settings: SiteSettings }>();
	// Reads in flight, shared by concurrent callers: when the cache expires under load (webhooks,
	// the console), the requests waiting share one query instead of each making its own.
	const loads = new Map<string, Promise<SiteSettings>>();
	// Bumped by every write: a read that started before one is neither shared nor cached after it.
	let generation = 0;
	const forget = (siteId: number) => {
		generation++;
		cache.delete(siteId);
		loads.delete(String(siteId));
	};
	const context = (siteId: number, key: string) => `site:${siteId}/${key}`;

	/**
	 * A site's stored values, secrets decrypted. A secret the key cannot open (sealed with another
	 * key, or altered) is left out and named in `undecryptable`: one lost secret must not take the
	 * site's other settings, the console or the webhooks' clear answer down with it.
	 */
	async function loadRaw(siteId: number) {
		const rows = await db.select().from(siteSettings).where(eq(siteSettings.siteId, siteId));
		const values = new Map<string, { value: string; updatedAt: Date; updatedBy: string | null }>();
		const undecryptable: string[] = [];
		for (const row of rows) {
			let value = row.value;
			if (row.secret) {
				try {
					value = secretBox.open(row.secret, context(siteId, row.key));
				} catch (err) {
					if (!isKeyMismatch(err)) throw err;
					undecryptable.push(row.key);
					continue;
				}
			}
			if (value !== null) values.set(row.key, { value, updatedAt: row.updatedAt, updatedBy: row.updatedBy });
		}
		return { values, undecryptable };
	}

	/** A stored secret decrypted, or null when the key cannot open it (it is being replaced anyway). */
	function openOrNull(sealed: Uint8Array, siteId: number, key: string): string | null {
		try {
			return secretBox.open(sealed, context(siteId, key));
		} catch (err) {
			if (isKeyMismatch(err)) return null;
			throw err;
		}
	}

	async function writeValue(
		tx: Tx,
		siteId: number,
		key: string,
		value: string,
		actor: string,
		/** The audit action, or null for an internal row written as part of an audited change. */
		action: string | null,
	) {
		const secret = isSecretSetting(key) || isInternalSecretKey(key);
		const columns = secret
			? { value: null, secret: secretBox.seal(value, context(siteId, key)) }
			: { value, secret: null };
		await tx
			.insert(siteSettings)
			.values({ siteId, key, ...columns, updatedBy: actor })
			.onConflictDoUpdate({
				target: [siteSettings.siteId, siteSettings.key],
				set: { ...columns, updatedBy: actor, updatedAt: sql`now()` },
			});
		if (action !== null) await tx.insert(settingsAudit).values({ siteId, key, action, actor });
	}

	/**
	 * Moves the site's current webhook API key into the replaced keys (each accepted for the grace
	 * period after its own replacement), dropping those whose grace is over. Runs inside the
	 * transaction that writes the next key, under a lock on the site row, so two rotations cannot
	 * both build on the same list. Does nothing when `next` is already the current key. Writes no
	 * audit row: the caller's write of the key records the change.
	 * @throws ConflictError when MAX_PREVIOUS_WEBHOOK_API_KEYS keys are still in their grace.
	 */
	async function retireWebhookApiKey(
		tx: Tx,
		siteId: number,
		actor: string,
		next: string,
		gracePeriodMs = DEFAULT_API_KEY_GRACE_PERIOD_MS,
	): Promise<void> {
		await tx.select({ id: sites.id }).from(sites).where(eq(sites.id, siteId)).for("update");
		const rows = await tx
			.select()
			.from(siteSettings)
			.where(and(eq(siteSettings.siteId, siteId), inArray(siteSettings.key, WEBHOOK_KEY_ROWS)));
		// A key this server cannot decrypt is not kept: nobody could send it, and it is being replaced.
		const open = (key: string) => {
			const row = rows.find((r) => r.key === key);
			const value = row?.secret ? openOrNull(row.secret, siteId, key) : null;
			return row && value !== null ? { value, row } : null;
		};
		const current = open("webhookApiKey");
		if (current?.value === next) return;
		const legacy = open(INTERNAL_KEYS.legacyPreviousWebhookApiKey);
		const at = ctx.now();
		const kept = decodePreviousWebhookApiKeys(open(INTERNAL_KEYS.previousWebhookApiKeys)?.value);
		if (legacy) kept.push({ key: legacy.value, replacedAt: legacy.row.updatedAt });
		const inGrace = kept
			.filter((k) => at - k.replacedAt.getTime() <= gracePeriodMs)
			.sort((a, b) => b.replacedAt.getTime() - a.replacedAt.getTime());
		if (current) {
			const oldest = inGrace[MAX_PREVIOUS_WEBHOOK_API_KEYS - 1];
			if (oldest) {
				throw new ConflictError(
					`${inGrace.length} replaced webhook API keys are still accepted, the most there may be. ` +
						`The oldest stops being accepted at ${utcMinute(oldest.replacedAt.getTime() + gracePeriodMs)}: ` +
						"generate a new key after that, or keep using the current one.",
				);
			}
			inGrace.unshift({ key: current.value, replacedAt: new Date(at) });
		}
		await writeValue(
			tx,
			siteId,
			INTERNAL_KEYS.previousWebhookApiKeys,
			encodePreviousWebhookApiKeys(inGrace),
			actor,
			null,
		);
		if (legacy) {
			// Folded into the list above; older versions' single row goes.
			await tx
				.delete(siteSettings)
				.where(
					and(
						eq(siteSettings.siteId, siteId),
						eq(siteSettings.key, INTERNAL_KEYS.legacyPreviousWebhookApiKey),
					),
				);
		}
	}

	return {
		/**
		 * The typed settings of a site, decrypted, with defaults. Cached for `cacheMaxAgeMs`, unless
		 * `fresh` asks for what the database holds now (another instance may have just written it).
		 * A secret the secret key cannot decrypt reads as null and is named in `undecryptable`.
		 */
		async getSettings(siteId: number, options: { fresh?: boolean } = {}): Promise<SiteSettings> {
			if (options.fresh) {
				const { values, undecryptable } = await guard(() => loadRaw(siteId));
				return toSiteSettings(values, undecryptable);
			}
			const hit = cache.get(siteId);
			if (hit && ctx.now() - hit.at <= ctx.cacheMaxAgeMs) return hit.settings;
			const started = generation;
			return singleFlight(loads, String(siteId), async () => {
				const { values, undecryptable } = await guard(() => loadRaw(siteId));
				const settings = toSiteSettings(values, undecryptable);
				if (generation === started) cache.set(siteId, { at: ctx.now(), settings });
				return settings;
			});
		},

		/** Every setting of a site for display, secrets masked. Never cached. */
		async describeSettings(siteId: number): Promise<SettingView[]> {
			const { values, undecryptable } = await guard(() => loadRaw(siteId));
			return SETTING_KEYS.map((key) => {
				const stored = values.get(key);
				const secret = SETTING_DEFINITIONS[key].secret;
				const value = stored?.value ?? null;
				const unreadable = undecryptable.includes(key);
				return {
					key,
					secret,
					isSet: value !== null,
					undecryptable: unreadable,
					display: unreadable
						? "cannot decrypt: set it again"
						: secret
							? maskSecret(value)
							: (value ?? "not set"),
					description: SETTING_DEFINITIONS[key].description,
					updatedAt: stored?.updatedAt ?? null,
					updatedBy: stored?.updatedBy ?? null,
				};
			});
		},

		/**
		 * Validates and saves one setting; writes an audit row (key and actor, never the value).
		 * @throws ValidationError for an unknown key or a bad value, naming what is allowed.
		 */
		async setSetting(siteId: number, key: string, rawValue: string, options: { actor?: string } = {}) {
			const parsed = parseSetting(key, rawValue);
			const actor = options.actor ?? "system";
			await guard(() =>
				db.transaction(async (tx) => {
					if (parsed.key === "sendContactDataConsent") {
						const [found] = await tx
							.select({ id: consents.id })
							.from(consents)
							.where(eq(consents.codeName, parsed.value));
						if (!found) {
							const names = (await tx.select({ codeName: consents.codeName }).from(consents)).map(
								(c) => c.codeName,
							);
							throw new ValidationError(
								`No consent "${parsed.value}". ${names.length ? `Consents: ${names.join(", ")}.` : "Add one first (intercom-bridge consents add)."}`,
								"sendContactDataConsent",
							);
						}
					}
					if (parsed.key === "clientSecret") {
						// The secret being replaced keeps verifying signatures for the grace period.
						const [current] = await tx
							.select()
							.from(siteSettings)
							.where(and(eq(siteSettings.siteId, siteId), eq(siteSettings.key, "clientSecret")))
							.for("update");
						// One the key cannot open is not kept: nothing could verify with it.
						const old = current?.secret ? openOrNull(current.secret, siteId, "clientSecret") : null;
						if (old && old !== parsed.value) {
							await writeValue(tx, siteId, INTERNAL_KEYS.previousClientSecret, old, actor, "rotate");
						}
					}
					if (parsed.key === "webhookApiKey") {
						// A key set by hand replaces the current one like a rotation: it keeps its grace.
						await retireWebhookApiKey(tx, siteId, actor, parsed.value);
					}
					await writeValue(tx, siteId, parsed.key, parsed.value, actor, "set");
				}),
			);
			forget(siteId);
		},

		/** Removes a setting (it falls back to its default). Audited. */
		async clearSetting(siteId: number, key: string, options: { actor?: string } = {}) {
			checkSettingKey(key);
			await guard(() =>
				db.transaction(async (tx) => {
					// A cleared client secret or API key takes its predecessors with it: nothing verifies any
					// more, and a key generated later does not bring them back.
					const keys =
						key === "clientSecret"
							? [key, INTERNAL_KEYS.previousClientSecret]
							: key === "webhookApiKey"
								? WEBHOOK_KEY_ROWS
								: [key];
					await tx
						.delete(siteSettings)
						.where(and(eq(siteSettings.siteId, siteId), inArray(siteSettings.key, keys)));
					await tx
						.insert(settingsAudit)
						.values({ siteId, key, action: "clear", actor: options.actor ?? "system" });
				}),
			);
			forget(siteId);
		},

		/**
		 * Saves the App ID and region an OAuth token's workspace reports (`GET /me`). With
		 * `onlyEmpty`, only keys the site has not stored are written (the fill after "Get token");
		 * without, both are replaced (the admin chose "Use these"). A fill writes nothing when the
		 * stored App ID names another workspace. Checked and written in one
		 * transaction, under a lock on the site row, so a concurrent save is never overwritten by a
		 * fill that read it as empty. One audit row per written key, action `oauth-fill`.
		 * @returns the keys written.
		 * @throws ValidationError when a value is not a valid appId or region.
		 */
		async applyWorkspace(
			siteId: number,
			workspace: { appId: string; region: string },
			options: { actor: string; onlyEmpty: boolean },
		): Promise<SettingKey[]> {
			const wanted = [parseSetting("appId", workspace.appId), parseSetting("region", workspace.region)];
			const written = await guard(() =>
				db.transaction(async (tx) => {
					await tx.select({ id: sites.id }).from(sites).where(eq(sites.id, siteId)).for("update");
					const rows = await tx
						.select({ key: siteSettings.key, value: siteSettings.value })
						.from(siteSettings)
						.where(and(eq(siteSettings.siteId, siteId), inArray(siteSettings.key, ["appId", "region"])));
					const stored = new Map(rows.map((r) => [r.key, r.value]));
					// A stored App ID of another workspace: this token's region says nothing about it.
					const otherApp = stored.has("appId") && stored.get("appId") !== wanted[0]?.value;
					if (options.onlyEmpty && otherApp) return [];
					const keys: SettingKey[] = [];
					for (const { key, value } of wanted) {
						if (stored.get(key) === value || (options.onlyEmpty && stored.has(key))) continue;
						await writeValue(tx, siteId, key, value, options.actor, "oauth-fill");
						keys.push(key);
					}
					return keys;
				}),
			);
			forget(siteId);
			return written;
		},

		/**
		 * Replaces the webhook API key with a new random one and returns it (show it once). The old
		 * key joins the replaced keys, each accepted for `gracePeriodMs` after its own replacement
		 * (default 24 h; pass the grace the webhooks enforce), so a second rotation within the grace
		 * does not cut off the key a Series still sends. Replaced keys whose grace is over are
		 * dropped. One audit row (`webhookApiKey`, `rotate`), never the key.
		 * @throws ConflictError when {@link MAX_PREVIOUS_WEBHOOK_API_KEYS} replaced keys are still
		 *   within their grace; the message says when the oldest expires. Nothing is changed.
		 */
		async rotateWebhookApiKey(
			siteId: number,
			options: { actor?: string; gracePeriodMs?: number } = {},
		): Promise<string> {
			const actor = options.actor ?? "system";
			const next = generateWebhookApiKey();
			await guard(() =>
				db.transaction(async (tx) => {
					await retireWebhookApiKey(tx, siteId, actor, next, options.gracePeriodMs);
					await writeValue(tx, siteId, "webhookApiKey", next, actor, "rotate");
				}),
			);
			forget(siteId);
			return next;
		},

		/** Gives every site that lacks one a webhook API key. Safe to race. Returns how many were made. */
		async ensureWebhookApiKeys(): Promise<number> {
			const missing = await guard(() =>
				db
					.select({ id: sites.id })
					.from(sites)
					.where(
						sql`not exists (select 1 from ${siteSettings} s where s.site_id = ${sites.id} and s.key = 'webhookApiKey')`,
					),
			);
			let made = 0;
			for (const { id } of missing) {
				const inserted = await guard(() =>
					db.transaction(async (tx) => {
						const rows = await tx
							.insert(siteSettings)
							.values({
								siteId: id,
								key: "webhookApiKey",
								secret: secretBox.seal(generateWebhookApiKey(), context(id, "webhookApiKey")),
								updatedBy: "system",
							})
							.onConflictDoNothing()
							.returning({ key: siteSettings.key });
						if (rows.length > 0) {
							await tx
								.insert(settingsAudit)
								.values({ siteId: id, key: "webhookApiKey", action: "generate", actor: "system" });
						}
						return rows.length;
					}),
				);
				made += inserted;
				forget(id);
			}
			return made;
		},

		/**
		 * How many stored secrets (all sites) were sealed with a key other than this store's: those
		 * cannot be read until the right key is back, or until each is set again.
		 */
		async checkSecretKey(): Promise<SecretKeyCheck> {
			const ids = await guard(() => storedSecretKeyIds(db));
			const other = ids.filter((id) => id !== secretBox.keyId);
			return {
				keyId: secretBox.keyId,
				stored: ids.length,
				otherKey: other.length,
				otherKeyIds: [...new Set(other)].sort(),
			};
		},

		/** Audit rows of a site, newest first. */
		async listSettingsAudit(siteId: number, limit = 100) {
			return guard(() =>
				db
					.select()
					.from(settingsAudit)
					.where(eq(settingsAudit.siteId, siteId))
					.orderBy(sql`${settingsAudit.id} desc`)
					.limit(limit),
			);
		},
	};
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
