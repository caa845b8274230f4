import { postgresFactory } from "../harness/databases.ts";
import { storeSuite } from "./store.suite.ts";

storeSuite(postgresFactory);
