/**
 * The options the embedded store opens PGlite with (db/pglite.ts). Kept apart, with no imports,
 * so the bench's bare PGlite process (bench/bare-server.ts) opens it the same way.
 */
import type { PGliteOptions } from "@electric-sql/pglite";

/** PGlite's start options for the embedded store. */
export const PGLITE_OPTIONS: PGliteOptions = {};
