// Accepting an invitation to an opportunity: access to it (never membership), matched by verified phone; the
// roster of who was invited and who accepted; the opportunities a person has access to.

import { beforeAll, describe, expect, it } from "vitest";
import { auditTrail, call, createTenant, insertOpportunity, type Made, type Tenant } from "../harness";
import { answer, lookup } from "../invitations/helpers";
import { invitationUuid, invitedWithCode, inviteTo, newPhone, phoneToken } from "./helpers";

let tenant: Tenant;
let opportunity: Made;

beforeAll(async () => {
  tenant = await createTenant("roster");
  opportunity = await insertOpportunity(tenant, { name: "Harvest helpers", endDate: "2099-12-31" });
});

const roster = (query = "", token = tenant.people.viewer.token) =>
  call("GET", `/v1/opportunities/${opportunity.id}/workers${query}`, { token });

describe("accepting an invitation to an opportunity", () => {
  it("the code looks up the opportunity's name; accepting by phone gives access, not membership", async () => {
    const phone = newPhone();
    const { invitationId, code } = await invitedWithCode(opportunity.id, phone.e164, tenant.people.owner.token);

    const preview = await lookup(code);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      organisation: { name: tenant.name },
      role: null,
      opportunity: { name: "Harvest helpers" },
    });

    const token = await phoneToken(phone.e164);
    const accepted = await answer("accept", code, token);
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body).toMatchObject({
      id: invitationId,
      object: "opportunity_worker",
      opportunity_id: opportunity.id,
      phone: phone.e164,
      status: "accepted",
    });
    expect(accepted.body.user_id).toMatch(/^usr_/);
    expect(accepted.body.joined_at).not.toBeNull();

    const listed = await roster();
    expect(listed.status).toBe(200);
    expect(listed.body.data.find((entry: { id: string }) => entry.id === invitationId)).toEqual(accepted.body);

    const mine = await call("GET", "/v1/users/me/opportunities", { token });
    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual([
      {
        id: opportunity.id,
        object: "my_opportunity",
        name: "Harvest helpers",
        organisation_id: tenant.id,
        status: "open",
        start_date: "2026-01-01",
        end_date: "2099-12-31",
        has_ended: false,
        joined_at: accepted.body.joined_at,
      },
    ]);

    // Not a member: the organisation is not theirs, its members do not list them.
    expect((await call("GET", "/v1/organisations", { token })).body.data).toEqual([]);
    expect((await call("GET", `/v1/organisations/${tenant.id}`, { token })).status).toBe(404);
    const members = await call("GET", `/v1/members?organisation_id=${tenant.id}&limit=100`, {
      token: tenant.people.owner.token,
    });
    expect(members.body.data.map((m: { user: { id: string } }) => m.user.id)).not.toContain(accepted.body.user_id);

    const accepts = (await auditTrail(tenant.uuid)).filter(
      (event) => event.resourceId === invitationUuid(invitationId) && event.action === "invitation.accepted",
    );
    expect(accepts).toHaveLength(1);
    expect(accepts[0]!.changes).toMatchObject({ status: { old: "pending", new: "accepted" } });

    // Now that they have access, inviting the number again says so.
    const again = await inviteTo(opportunity.id, { phone_numbers: [phone.typed] }, tenant.people.owner.token);
    expect(again.body.results).toEqual([
      { phone: phone.e164, status: "already_accepted", invitation_id: invitationId },
    ]);
  });

  it("another phone, an unverified phone or no phone at all is 409 invitee_mismatch and the invitation stays pending", async () => {
    const phone = newPhone();
    const { invitationId, code } = await invitedWithCode(opportunity.id, phone.e164, tenant.people.owner.token);
    for (const token of [
      await phoneToken(newPhone().e164),
      await phoneToken(phone.e164, { verified: false }),
      tenant.people.member.token,
    ]) {
      const refused = await answer("accept", code, token);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe("invitee_mismatch");
    }
    const listed = await roster("?status=invited&limit=100");
    expect(listed.body.data.map((entry: { id: string }) => entry.id)).toContain(invitationId);
  });

  it("a person who declines shows as declined, and gets no access", async () => {
    const phone = newPhone();
    const { invitationId, code } = await invitedWithCode(opportunity.id, phone.e164, tenant.people.owner.token);
    const token = await phoneToken(phone.e164);
    expect((await answer("decline", code, token)).status).toBe(200);
    const declined = await roster("?status=declined&limit=100");
    expect(declined.body.data.find((entry: { id: string }) => entry.id === invitationId)).toMatchObject({
      status: "declined",
      user_id: null,
      joined_at: null,
    });
    expect((await call("GET", "/v1/users/me/opportunities", { token })).body.data).toEqual([]);
  });

  it("the roster pages by cursor, oldest first, and filters by status; another organisation gets 404", async () => {
    const own = await insertOpportunity(tenant);
    const phones = [newPhone(), newPhone(), newPhone()].map((p) => p.e164);
    const invited = await inviteTo(own.id, { phone_numbers: phones }, tenant.people.owner.token);
    const ids = invited.body.results.map((r: { invitation_id: string }) => r.invitation_id);
    const first = await call("GET", `/v1/opportunities/${own.id}/workers?limit=2`, {
      token: tenant.people.viewer.token,
    });
    expect(first.body.data.map((entry: { id: string }) => entry.id)).toEqual(ids.slice(0, 2));
    expect(first.body.has_more).toBe(true);
    const rest = await call("GET", `/v1/opportunities/${own.id}/workers?limit=2&cursor=${first.body.next_cursor}`, {
      token: tenant.people.viewer.token,
    });
    expect(rest.body).toMatchObject({ has_more: false, next_cursor: null });
    expect(rest.body.data.map((entry: { phone: string }) => entry.phone)).toEqual([phones[2]]);
    expect(rest.body.data[0]).toMatchObject({ status: "invited", delivery_status: "pending", name: null });
    const accepted = await call("GET", `/v1/opportunities/${own.id}/workers?status=accepted`, {
      token: tenant.people.viewer.token,
    });
    expect(accepted.body.data).toEqual([]);

    const outsider = await createTenant("outsider");
    const hidden = await call("GET", `/v1/opportunities/${own.id}/workers`, { token: outsider.people.owner.token });
    expect(hidden.status).toBe(404);
  });

  it("my opportunities are a person's own: empty for someone with none, 403 for a service account", async () => {
    const nobody = await phoneToken(newPhone().e164);
    const empty = await call("GET", "/v1/users/me/opportunities", { token: nobody });
    expect(empty.body).toEqual({ object: "list", data: [], has_more: false, next_cursor: null });
    const robot = await call("GET", "/v1/users/me/opportunities", { token: tenant.serviceAccount.token });
    expect(robot.status).toBe(403);
    expect(robot.body.error.code).toBe("permission_denied");
  });
});
