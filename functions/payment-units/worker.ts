import { buildApp, workerEntry } from "../platform/app";
import { paymentUnitsRouter } from ".";

export default workerEntry(buildApp([paymentUnitsRouter]));
