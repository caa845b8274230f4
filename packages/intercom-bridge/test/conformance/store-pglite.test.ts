import { pgliteFactory } from "../harness/databases.ts";
import { storeSuite } from "./store.suite.ts";

storeSuite(pgliteFactory);
