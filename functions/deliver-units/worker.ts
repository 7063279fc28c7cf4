import { buildApp, workerEntry } from "../platform/app";
import { deliverUnitsRouter } from ".";

export default workerEntry(buildApp([deliverUnitsRouter]));
