// Invitations under concurrent requests: accepts, an accept against a cancel, creates.

import { beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, invitationsTo, invitationTrail, personToken, type Tenant } from "../harness";
import { answer, invitationRow, invite, inviteWithCode, membershipsOf, newEmail } from "./helpers";

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("invitations");
});

describe("races", () => {
  it("20 concurrent accepts of one invitation by its invitee make exactly one membership; the other 19 are 409", async () => {
    const { id, code, email } = await inviteWithCode(tenant);
    const token = await personToken({ email });
    const replies = await Promise.all(Array.from({ length: 20 }, () => answer("accept", code, token)));
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    expect(await membershipsOf(tenant, email)).toBe(1);
    expect((await invitationRow(id)).status).toBe("accepted");
    expect((await invitationTrail(tenant, id)).filter((event) => event.action === "invitation.accepted")).toHaveLength(
      1,
    );
  });

  it("an accept racing a cancel: exactly one of them wins", async () => {
    const { id, code, email } = await inviteWithCode(tenant);
    const [accepted, cancelled] = await Promise.all([
      answer("accept", code, await personToken({ email })),
      call("POST", `/v1/invitations/${id}:cancel`, { token: tenant.people.manager.token }),
    ]);
    expect([accepted.status, cancelled.status].sort()).toEqual([200, 409]);
    const row = await invitationRow(id);
    expect(row.status).toBe(accepted.status === 200 ? "accepted" : "cancelled");
    expect(await membershipsOf(tenant, email)).toBe(accepted.status === 200 ? 1 : 0);
  });

  it("10 concurrent creates for one invitee make one invitation; the others are 409 naming it", async () => {
    const email = newEmail("race");
    const replies = await Promise.all(Array.from({ length: 10 }, () => invite(tenant, { email, delivery: "none" })));
    const created = replies.filter((reply) => reply.status === 201);
    expect(created).toHaveLength(1);
    const conflicts = replies.filter((reply) => reply.status === 409);
    expect(conflicts).toHaveLength(9);
    for (const reply of conflicts) expect(reply.body.error.existing_id).toBe(created[0]!.body.id);
    expect(await invitationsTo(tenant, email)).toBe(1);
  });
});
