import { buildApp, workerEntry } from "../platform/app";
import { platformAdminRouter } from ".";

export default workerEntry(buildApp([platformAdminRouter]));
