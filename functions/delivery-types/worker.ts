import { buildApp, workerEntry } from "../platform/app";
import { deliveryTypesRouter } from ".";

export default workerEntry(buildApp([deliveryTypesRouter]));
