// Who may invite to what: service accounts, global-access roles, the owner role, another organisation's role.

import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, parseTypeId, toTypeId } from "../../functions/platform/ids";
import { roles } from "../../schema";
import {
  call,
  codeIn,
  createTenant,
  invitationsTo,
  invitationTrail,
  mailFor,
  personToken,
  type Tenant,
  uniqueSuffix,
  withDb,
} from "../harness";
import { invitationRow, invite, inviteWithCode, lookup, newEmail } from "./helpers";

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("invitations");
});

describe("who may invite to what", () => {
  it("a service account invites to a role without global access; the invitation and its audit event name it", async () => {
    const email = newEmail();
    const created = await invite(tenant, { email }, { token: tenant.serviceAccount.token });
    expect(created.status).toBe(201);
    expect(created.body.inviter).toMatchObject({ type: "service_account", id: tenant.serviceAccount.id });
    const [event] = await invitationTrail(tenant, created.body.id);
    expect(event).toMatchObject({
      action: "invitation.created",
      actorType: "service_account",
      actorId: parseTypeId(ID_PREFIX.service_account, tenant.serviceAccount.id),
    });
    const [mail] = await mailFor(email);
    expect(mail!.subject).toContain(created.body.inviter.name);
  });

  it("a service account cannot invite to a global-access role (403) and nothing is stored", async () => {
    const email = newEmail();
    const reply = await invite(
      tenant,
      { email, role_id: tenant.roleIds.admin },
      { token: tenant.serviceAccount.token },
    );
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("permission_denied");
    expect(await invitationsTo(tenant, email)).toBe(0);
    expect(await mailFor(email)).toHaveLength(0);
  });

  it("an admin may invite to the admin role, but nobody invites to the owner role (403)", async () => {
    const admin = await invite(
      tenant,
      { email: newEmail(), role_id: tenant.roleIds.admin, delivery: "none" },
      {
        token: tenant.people.admin.token,
      },
    );
    expect(admin.status).toBe(201);
    const email = newEmail();
    const owner = await invite(tenant, { email, role_id: tenant.roleIds.owner }, { token: tenant.people.owner.token });
    expect(owner.status).toBe(403);
    expect(await invitationsTo(tenant, email)).toBe(0);
  });

  /** The owner's code-only invitation to the admin role (global access), which not every inviter may touch. */
  const ownersInvitationToAdmin = () =>
    inviteWithCode(tenant, newEmail(), { roleId: tenant.roleIds.admin, token: tenant.people.owner.token });

  it("a service account cannot :resend the owner's delivery-none invitation to a global-access role (403): no new code, nothing changes", async () => {
    const created = await ownersInvitationToAdmin();
    const before = await invitationRow(created.id);
    const reply = await call("POST", `/v1/invitations/${created.id}:resend`, {
      token: tenant.serviceAccount.token,
    });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("permission_denied");
    expect(reply.body.code).toBeUndefined();
    expect(reply.text).not.toMatch(/"code":"[A-Za-z0-9_-]{40,}"/);
    const after = await invitationRow(created.id);
    expect(after).toMatchObject({
      status: "pending",
      codeHash: before.codeHash,
      sendCount: before.sendCount,
      expiresAt: before.expiresAt,
    });
    expect((await lookup(created.code)).status).toBe(200);
    expect((await invitationTrail(tenant, created.id)).map((event) => event.action)).toEqual(["invitation.created"]);
  });

  it("a manager without global access cannot :cancel the owner's invitation to a global-access role (403), as for :resend: nothing changes", async () => {
    const created = await ownersInvitationToAdmin();
    const before = await invitationRow(created.id);
    for (const verb of ["resend", "cancel"]) {
      const reply = await call("POST", `/v1/invitations/${created.id}:${verb}`, {
        token: tenant.people.manager.token,
      });
      expect(reply.status, verb).toBe(403);
      expect(reply.body.error.code).toBe("permission_denied");
    }
    expect(await invitationRow(created.id)).toEqual(before);
    expect((await lookup(created.code)).status).toBe(200);
    expect((await invitationTrail(tenant, created.id)).map((event) => event.action)).toEqual(["invitation.created"]);
    // The owner, who could invite to the role, still cancels it.
    const cancelled = await call("POST", `/v1/invitations/${created.id}:cancel`, {
      token: tenant.people.owner.token,
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
  });

  it("a person whose token carries no name invites: the preview and the email name a neutral inviter, never their email", async () => {
    const inviterEmail = newEmail("nameless");
    const token = await personToken({ email: inviterEmail, claims: { name: undefined } });
    const organisation = await call("POST", "/v1/organisations", {
      token,
      body: { name: `Nameless ${uniqueSuffix()}` },
    });
    expect(organisation.status).toBe(201);
    const organisationUuid = parseTypeId(ID_PREFIX.organisation, organisation.body.id) as string;
    const [member] = await withDb((db) =>
      db
        .select({ id: roles.id })
        .from(roles)
        .where(and(eq(roles.organisationId, organisationUuid), eq(roles.key, "member"))),
    );
    const email = newEmail();
    const created = await call("POST", "/v1/invitations", {
      token,
      body: {
        organisation_id: organisation.body.id,
        role_id: toTypeId(ID_PREFIX.role, member!.id),
        email,
      },
    });
    expect(created.status).toBe(201);
    const inviterName = created.body.inviter.name as string;
    expect(inviterName.length).toBeGreaterThan(0);
    expect(inviterName).not.toContain("@");
    expect(inviterName).not.toContain(inviterEmail.split("@")[0]);

    const [mail] = await mailFor(email);
    const preview = await lookup(codeIn(mail!));
    expect(preview.status).toBe(200);
    expect(preview.body.inviter).toEqual({ name: inviterName });
    expect(JSON.stringify(preview.body)).not.toContain(inviterEmail);
    expect(mail!.subject).not.toContain(inviterEmail);
    expect(mail!.text).not.toContain(inviterEmail);
  });

  it("a role of another organisation is 400 naming role_id", async () => {
    const other = await createTenant("invitations-other");
    const reply = await invite(tenant, { email: newEmail(), role_id: other.roleIds.member });
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields).toHaveProperty("role_id");
  });
});
