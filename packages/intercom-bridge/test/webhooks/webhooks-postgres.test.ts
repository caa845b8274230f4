import { postgresFactory } from "../harness/databases.ts";
import { webhookCases } from "./webhook-cases.ts";

webhookCases({ label: "postgres", factory: postgresFactory });
