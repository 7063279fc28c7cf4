// What the invitation suites share: invitees, invitations made and answered through the API, the rows behind
// them, and the clock moved for their messages and expiry. The email/SMS providers are the shared dev mailbox
// (never paused here); an outage is the quirky provider (test/quirky-provider.ts) answering as asked.

import { and, asc, count, eq, sql } from "drizzle-orm";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { invitations, memberships, outboxMessages, users } from "../../schema";
import { call, personToken, quirkyProvider, type Reply, type Tenant, testEnv, uniqueSuffix, withDb } from "../harness";

/** The provider is down: every send is answered 503 (retryable), so nothing goes out until it is back. */
export const DEAD_PROVIDER = quirkyProvider("down-503");
/** The provider cannot be reached: it never answers, so the send gives up on its timeout (provider unreachable). */
export const UNREACHABLE_PROVIDER = quirkyProvider("no-answer");
/** The cron with no queue: it sweeps due messages and delivers them inline. */
export const cronEnv = () => ({ ...testEnv, OUTBOX_QUEUE: undefined });

export const newEmail = (label = "invitee") => `${label}-${uniqueSuffix()}@example.test`;
/** A UK mobile number, as typed (with spaces) and in E.164. */
export function newPhone(): { typed: string; e164: string } {
  const digits = String(Math.floor(Math.random() * 100_000)).padStart(5, "0");
  return { typed: `+44 7400 1${digits.slice(0, 2)} ${digits.slice(2)}`, e164: `+4474001${digits}` };
}

export const uuidOf = (id: string) => parseTypeId(ID_PREFIX.invitation, id) as string;

export async function invitationRow(id: string) {
  const [row] = await withDb((db) =>
    db
      .select()
      .from(invitations)
      .where(eq(invitations.id, uuidOf(id))),
  );
  if (!row) throw new Error(`no invitation ${id}`);
  return row;
}

export async function outboxOf(id: string) {
  return withDb((db) =>
    db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.invitationId, uuidOf(id)))
      .orderBy(asc(outboxMessages.id)),
  );
}

/** Makes an invitation's pending messages due for the sweep, as if their backoff had passed. */
export async function makeDue(id: string) {
  await withDb((db) =>
    db
      .update(outboxMessages)
      .set({ nextAttemptAt: sql`now() - interval '5 minutes'` })
      .where(and(eq(outboxMessages.invitationId, uuidOf(id)), eq(outboxMessages.status, "pending"))),
  );
}

/** Past its expiry, as if the scheduled job had not run yet. */
/** Time passes for the invitation and for the messages that carry its code. */
export async function makeOverdue(id: string) {
  await withDb(async (db) => {
    await db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(invitations.id, uuidOf(id)));
    await db
      .update(outboxMessages)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(outboxMessages.invitationId, uuidOf(id)));
  });
}

export async function membershipsOf(tenant: Pick<Tenant, "uuid">, email: string): Promise<number> {
  const [row] = await withDb((db) =>
    db
      .select({ n: count() })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organisationId, tenant.uuid), eq(users.email, email))),
  );
  return row?.n ?? 0;
}

export function invite(
  tenant: Tenant,
  body: Record<string, unknown>,
  options: { token?: string; env?: Record<string, string> } = {},
): Promise<Reply> {
  return call("POST", "/v1/invitations", {
    token: options.token ?? tenant.people.manager.token,
    body: { organisation_id: tenant.id, role_id: tenant.roleIds.member, ...body },
    ...(options.env ? { env: options.env } : {}),
  });
}

/** A pending invitation whose code comes back in the response (by the manager, to the member role, unless given). */
export async function inviteWithCode(tenant: Tenant, email = newEmail(), by: { roleId?: string; token?: string } = {}) {
  const reply = await invite(
    tenant,
    { email, delivery: "none", ...(by.roleId ? { role_id: by.roleId } : {}) },
    by.token ? { token: by.token } : {},
  );
  if (reply.status !== 201) throw new Error(`invite failed: ${reply.status} ${reply.text}`);
  return { id: reply.body.id as string, code: reply.body.code as string, email };
}

/** An organisation with only its founder in it: lighter than a tenant, for races run many times. */
export async function foundedOrganisation() {
  const token = await personToken({ email: newEmail("founder") });
  const created = await call("POST", "/v1/organisations", { token, body: { name: `founded ${uniqueSuffix()}` } });
  if (created.status !== 201) throw new Error(created.text);
  const id: string = created.body.id;
  const roles = await call("GET", `/v1/roles?organisation_id=${id}`, { token });
  const memberRoleId: string = roles.body.data.find((role: { key: string }) => role.key === "member").id;
  return {
    id,
    uuid: parseTypeId(ID_PREFIX.organisation, id) as string,
    token,
    async inviteWithCode(email: string) {
      const reply = await call("POST", "/v1/invitations", {
        token,
        body: { organisation_id: id, role_id: memberRoleId, email, delivery: "none" },
      });
      if (reply.status !== 201) throw new Error(`invite failed: ${reply.status} ${reply.text}`);
      return { id: reply.body.id as string, code: reply.body.code as string };
    },
  };
}

export const lookup = (code: string) => call("POST", "/v1/invitations:lookup", { body: { code } });
export const answer = async (verb: "accept" | "decline", code: string, token: string) =>
  call("POST", `/v1/invitations:${verb}`, { token, body: { code } });
