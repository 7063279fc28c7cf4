import { buildApp, workerEntry } from "../platform/app";
import { oauthRouter } from ".";

export default workerEntry(buildApp([oauthRouter]));
