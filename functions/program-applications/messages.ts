import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { memberships, roles, users } from "../../schema";
import type { Queryable } from "../platform/db";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import type { NewOutboxMessage } from "../platform/outbox";
import { ADMIN_ROLE_KEY, OWNER_ROLE_KEY } from "../platform/permissions";
import type { ApplicationView } from "./schemas";

/** The verified email addresses of an organisation's owner and admins: who hears of its programs' applications. */
export async function adminEmails(tx: Queryable, organisationId: string): Promise<string[]> {
  const rows = await tx
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.organisationId, organisationId),
        inArray(roles.key, [OWNER_ROLE_KEY, ADMIN_ROLE_KEY]),
        isNotNull(users.email),
        eq(users.emailVerified, true),
      ),
    )
    .orderBy(users.email);
  return [...new Set(rows.map((row) => row.email as string))];
}

interface Letter {
  subject: string;
  lines: string[];
}

/** One plain-text email per recipient, filed under the recipients' organisation; no HTML to escape. */
function emails(organisationId: string, recipients: string[], letter: Letter): NewOutboxMessage[] {
  return recipients.map((recipient) => ({
    organisationId,
    invitationId: null,
    channel: "email" as const,
    recipient,
    subject: letter.subject.slice(0, 300),
    textBody: letter.lines.join("\n"),
    htmlBody: null,
    expiresAt: null,
  }));
}

/** To the invited organisation's admins: an invitation (or a renewed one) to a program. */
export function invitedMessages(
  view: ApplicationView,
  programOrganisationName: string,
  recipients: string[],
): NewOutboxMessage[] {
  const id = toTypeId(ID_PREFIX.program_application, view.application.id);
  return emails(view.application.organisationId, recipients, {
    subject: `${programOrganisationName} invited ${view.organisationName} to the program "${view.programName}"`,
    lines: [
      `${programOrganisationName} invited ${view.organisationName} to deliver opportunities in its program "${view.programName}" on Muster.`,
      "",
      `Apply: POST /v1/program-applications/${id}:apply`,
      `Decline: POST /v1/program-applications/${id}:decline`,
      "",
      "You receive this email as an owner or admin of your organisation.",
    ],
  });
}

/** To the program's organisation's admins: an application has arrived. */
export function appliedMessages(view: ApplicationView, recipients: string[]): NewOutboxMessage[] {
  const id = toTypeId(ID_PREFIX.program_application, view.application.id);
  return emails(view.programOrganisationId, recipients, {
    subject: `${view.organisationName} applied to the program "${view.programName}"`,
    lines: [
      `${view.organisationName} applied to deliver opportunities in your program "${view.programName}" on Muster.`,
      "",
      `Accept: POST /v1/program-applications/${id}:accept`,
      `Reject: POST /v1/program-applications/${id}:reject`,
      "",
      "You receive this email as an owner or admin of the program's organisation.",
    ],
  });
}
