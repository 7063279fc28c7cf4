import { beforeAll, describe, expect, it } from "vitest";
import {
  addPerson,
  call,
  createTenant,
  expectOneWinner,
  invitationsTo,
  mailFor,
  personToken,
  RACE_ROUNDS,
  RACES_PER_ROUND,
  raceRounds,
  type Tenant,
  uniqueSuffix,
} from "../harness";
import { answer, foundedOrganisation, invitationRow, invite, inviteWithCode, membershipsOf, newEmail } from "./helpers";

let _tenant: Tenant;

beforeAll(async () => {
  _tenant = await createTenant("invitations");
});

describe("exclusive membership", () => {
  let first: Tenant;
  let second: Tenant;
  let open: Tenant;

  beforeAll(async () => {
    [first, second, open] = await Promise.all([
      createTenant("exclusive-a"),
      createTenant("exclusive-b"),
      createTenant("open"),
    ]);
    for (const t of [first, second]) {
      const reply = await call("PATCH", `/v1/organisations/${t.id}`, {
        token: t.people.owner.token,
        body: { exclusive_membership: true },
      });
      if (reply.status !== 200 || reply.body.exclusive_membership !== true) throw new Error(reply.text);
    }
  });

  it("an exclusive organisation refuses to invite a member of another exclusive organisation (409 user_in_other_organisation)", async () => {
    const person = await addPerson(first, "member", "exclusive");
    const refused = await invite(second, { email: person.email });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("user_in_other_organisation");
    expect(await invitationsTo(second, person.email)).toBe(0);
    expect(await mailFor(person.email)).toHaveLength(0);

    const allowed = await invite(open, { email: person.email, delivery: "none" });
    expect(allowed.status).toBe(201);
  });

  it("an invitee who joined another exclusive organisation after being invited gets 409 user_in_other_organisation on accept; the invitation stays pending", async () => {
    const email = newEmail("exclusive");
    const toFirst = await inviteWithCode(first, email);
    const toSecond = await inviteWithCode(second, email);
    const token = await personToken({ email });
    expect((await answer("accept", toFirst.code, token)).status).toBe(200);

    const refused = await answer("accept", toSecond.code, token);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("user_in_other_organisation");
    expect((await invitationRow(toSecond.id)).status).toBe("pending");
    expect(await membershipsOf(second, email)).toBe(0);

    const declined = await answer("decline", toSecond.code, token);
    expect(declined.status).toBe(200);
  });

  it("an invitee accepting invitations into two exclusive organisations at once joins exactly one; the other accept is 409 user_in_other_organisation", async () => {
    const email = newEmail("exclusive");
    const toFirst = await inviteWithCode(first, email);
    const toSecond = await inviteWithCode(second, email);
    const token = await personToken({ email });
    const replies = await Promise.all([answer("accept", toFirst.code, token), answer("accept", toSecond.code, token)]);
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 409]);
    const refused = replies.find((reply) => reply.status === 409)!;
    expect(refused.body.error.code).toBe("user_in_other_organisation");
    expect((await membershipsOf(first, email)) + (await membershipsOf(second, email))).toBe(1);
    const [joined, left] = replies[0]!.status === 200 ? [toFirst, toSecond] : [toSecond, toFirst];
    expect((await invitationRow(joined.id)).status).toBe("accepted");
    expect((await invitationRow(left.id)).status).toBe("pending");
  });

  it(`an accept into an organisation racing its switch to exclusive membership: exactly one wins, and nobody is in two exclusive organisations (${RACE_ROUNDS}×${RACES_PER_ROUND} races)`, async () => {
    await raceRounds(
      async () => {
        const email = newEmail("exclusive-race");
        const token = await personToken({ email });
        expect((await answer("accept", (await inviteWithCode(first, email)).code, token)).status).toBe(200);
        const joining = await foundedOrganisation();
        return { email, token, joining, invitation: await joining.inviteWithCode(email) };
      },
      async ({ email, token, joining, invitation }) => {
        const [accepted, switched] = await Promise.all([
          answer("accept", invitation.code, token),
          call("PATCH", `/v1/organisations/${joining.id}`, {
            token: joining.token,
            body: { exclusive_membership: true },
          }),
        ]);
        expectOneWinner([accepted, switched], "user_in_other_organisation");
        const now = await call("GET", `/v1/organisations/${joining.id}`, { token: joining.token });
        expect({ joined: await membershipsOf(joining, email), exclusive: now.body.exclusive_membership }).toEqual(
          accepted.status === 200 ? { joined: 1, exclusive: false } : { joined: 0, exclusive: true },
        );
        expect((await invitationRow(invitation.id)).status).toBe(accepted.status === 200 ? "accepted" : "pending");
      },
    );
  });

  it(`an accept into an exclusive organisation racing the switch to exclusive membership of one the invitee belongs to: exactly one wins (${RACE_ROUNDS}×${RACES_PER_ROUND} races)`, async () => {
    await raceRounds(
      async () => {
        const email = newEmail("exclusive-race");
        const token = await personToken({ email });
        const own = await call("POST", "/v1/organisations", { token, body: { name: `own ${uniqueSuffix()}` } });
        expect(own.status).toBe(201);
        return { email, token, ownId: own.body.id as string, invitation: await inviteWithCode(first, email) };
      },
      async ({ email, token, ownId, invitation }) => {
        const [accepted, switched] = await Promise.all([
          answer("accept", invitation.code, token),
          call("PATCH", `/v1/organisations/${ownId}`, { token, body: { exclusive_membership: true } }),
        ]);
        expectOneWinner([accepted, switched], "user_in_other_organisation");
        expect(await membershipsOf(first, email)).toBe(accepted.status === 200 ? 1 : 0);
      },
    );
  });

  it(`an accept into an exclusive organisation racing the invitee's creation of another: exactly one wins (${RACE_ROUNDS}×${RACES_PER_ROUND} races)`, async () => {
    await raceRounds(
      async () => {
        const email = newEmail("exclusive-race");
        return { email, token: await personToken({ email }), invitation: await inviteWithCode(first, email) };
      },
      async ({ email, token, invitation }) => {
        const name = `own ${uniqueSuffix()}`;
        const [accepted, created] = await Promise.all([
          answer("accept", invitation.code, token),
          call("POST", "/v1/organisations", { token, body: { name, exclusive_membership: true } }),
        ]);
        expectOneWinner([accepted, created], "user_in_other_organisation");
        expect(await membershipsOf(first, email)).toBe(accepted.status === 200 ? 1 : 0);
      },
    );
  });

  it("a member of an exclusive organisation may still join a non-exclusive one", async () => {
    const email = newEmail("exclusive");
    const toFirst = await inviteWithCode(first, email);
    const toOpen = await inviteWithCode(open, email);
    const token = await personToken({ email });
    expect((await answer("accept", toFirst.code, token)).status).toBe(200);
    expect((await answer("accept", toOpen.code, token)).status).toBe(200);
    expect(await membershipsOf(open, email)).toBe(1);
  });
});
