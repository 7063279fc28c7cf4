import { queue, scheduled } from "../background";
import { buildApp, workerEntry } from "../platform/app";
import { webhooksRouter } from "../webhooks";
import { invitationsRouter } from ".";

/** Invitations and their webhook, with the outbox consumer and the cron that deliver and expire them. */
export default workerEntry(buildApp([invitationsRouter, webhooksRouter]), { queue, scheduled });
