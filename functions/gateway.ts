import { app } from "./api";
import { queue, scheduled } from "./background";
import { workerEntry } from "./platform/app";

/** Every resource in one Worker, plus outbox delivery (queue) and the cron: what `wrangler dev` runs. */
export default workerEntry(app, { queue, scheduled });

/** Every Worker's rate-limit buckets live here (the resource Workers bind to this class by script name). */
export { RateLimiter } from "./platform/rate-limiter";
