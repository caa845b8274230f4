import { pgliteFactory } from "../harness/databases.ts";
import { webhookCases } from "./webhook-cases.ts";

webhookCases({ label: "pglite", factory: pgliteFactory });
