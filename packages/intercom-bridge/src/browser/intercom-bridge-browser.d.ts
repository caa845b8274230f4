/** Answer of `{basePath}/messenger/settings`. */
export type MessengerSettingsAnswer =
	| { enabled: false; reason: string }
	| { enabled: true; settings: Record<string, unknown>; widgetUrl: string; dataAllowed: boolean };

/** Starts the module and boots the Messenger from the bridge's settings endpoint. */
export function start(options?: { basePath?: string; nonce?: string }): Promise<MessengerSettingsAnswer>;
/**
 * Re-fetches settings; re-boots after sign-in or sign-out. In JWT mode it also runs by itself
 * before the token expires, so a page that stays open keeps a valid `intercom_user_jwt`.
 */
export function refresh(): Promise<MessengerSettingsAnswer>;
/** Ends the Messenger session. */
export function shutdown(): void;
/** Agrees to a consent, then refreshes. */
export function agree(code: string): Promise<{ consent: string; agreed: boolean; shutdown: boolean }>;
/** Revokes a consent, then refreshes. */
export function revoke(code: string): Promise<{ consent: string; agreed: boolean; shutdown: boolean }>;
