import { buildApp, workerEntry } from "../platform/app";
import { serviceAccountsRouter } from ".";

export default workerEntry(buildApp([serviceAccountsRouter]));
