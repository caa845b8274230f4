/**
 * Where an activity came from (docs/decisions/0027), kept in `activities.origin`. `site`: the
 * site's own code (`recordActivity`); `intercom-series`: a Series' log-activity webhook;
 * `intercom-notification`: a Developer Hub notification topic mapped to a type; `unknown`: logged
 * before origins were kept. Only `site` activities may be sent to Intercom: the others came from it
 * (or cannot be told apart).
 */
export const ACTIVITY_ORIGINS = ["site", "intercom-series", "intercom-notification", "unknown"] as const;
export type ActivityOrigin = (typeof ACTIVITY_ORIGINS)[number];

/** True for the origins whose activities came from Intercom, or may have: never send them back. */
export const cameFromIntercom = (origin: ActivityOrigin): boolean => origin !== "site";
