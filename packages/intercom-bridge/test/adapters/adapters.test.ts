import { adapterSuite } from "./adapter.suite.ts";
import type { AdapterName } from "./mount-adapters.ts";

for (const name of ["node", "express", "fastify", "hono", "next"] as AdapterName[]) adapterSuite(name);
