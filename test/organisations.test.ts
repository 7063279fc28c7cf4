import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ID_PREFIX, parseTypeId } from "../functions/platform/ids";
import { auditEvents, memberships, organisations, users } from "../schema";
import {
  addPerson,
  auditTrail,
  call,
  createTenant,
  expectOneWinner,
  personToken,
  RACE_ROUNDS,
  RACES_PER_ROUND,
  raceRounds,
  testEnv,
  uniqueSuffix,
  withDb,
} from "./harness";

/** A person with a token, created on first sight, and the organisations they create. */
async function founder(label = "founder") {
  const email = `${label}-${uniqueSuffix()}@example.test`;
  const token = await personToken({ email });
  const create = (exclusive: boolean, name = `${label} ${uniqueSuffix()}`) =>
    call("POST", "/v1/organisations", { token, body: { name, exclusive_membership: exclusive } });
  const makeExclusive = (organisationId: string) =>
    call("PATCH", `/v1/organisations/${organisationId}`, { token, body: { exclusive_membership: true } });
  return { email, token, create, makeExclusive };
}

/** What a person has written: their memberships and the audit events they are the actor of. */
async function footprint(email: string) {
  return withDb(async (db) => {
    const [user] = await db.select().from(users).where(eq(users.email, email));
    if (!user) throw new Error(`no user ${email}`);
    const [joined] = await db.select({ n: count() }).from(memberships).where(eq(memberships.userId, user.id));
    const [acted] = await db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.actorId, user.id));
    return { memberships: joined?.n ?? 0, auditEvents: acted?.n ?? 0 };
  });
}

describe("organisations", () => {
  it("a person is created on first sight by issuer and subject, with the token's email and name", async () => {
    const email = `first-${uniqueSuffix()}@example.test`;
    const token = await personToken({ email, name: "First Sight", subject: `sub-${email}` });
    expect((await call("GET", "/v1/organisations", { token })).status).toBe(200);
    const rows = await withDb((db) =>
      db
        .select()
        .from(users)
        .where(eq(users.subject, `sub-${email}`)),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ issuer: testEnv.AUTH_ISSUER, email, name: "First Sight", emailVerified: true });
  });

  it("the creator of an organisation becomes its owner and sees it in their list", async () => {
    const token = await personToken({ email: `founder-${uniqueSuffix()}@example.test` });
    const created = await call("POST", "/v1/organisations", { token, body: { name: "  Acme <b>Ltd</b> " } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: "organisation", name: "Acme Ltd", exclusive_membership: false });
    const mine = await call("GET", "/v1/organisations", { token });
    expect(mine.status).toBe(200);
    expect(mine.body.data.map((o: { id: string }) => o.id)).toEqual([created.body.id]);
    const members = await call("GET", `/v1/members?organisation_id=${created.body.id}`, { token });
    expect(members.body.data).toHaveLength(1);
    expect(members.body.data[0].role.key).toBe("owner");
  });

  it("a tenant has every built-in role", async () => {
    const tenant = await createTenant("smoke");
    const members = await call("GET", `/v1/members?organisation_id=${tenant.id}`, {
      token: tenant.people.viewer.token,
    });
    expect(members.status).toBe(200);
    expect(members.body.data.map((m: { role: { key: string } }) => m.role.key).sort()).toEqual([
      "admin",
      "manager",
      "member",
      "owner",
      "viewer",
    ]);
  });
});

describe("organisation settings, deletion and ownership", () => {
  it("a token's name with markup is stored inert, and an email claim that is no address is not kept", async () => {
    const subject = `sub-markup-${uniqueSuffix()}`;
    const token = await personToken({
      email: `${"x".repeat(250)}@example.test`,
      name: "<img src=x onerror=alert(1)>Mallory\u0007",
      subject,
    });
    expect((await call("GET", "/v1/organisations", { token })).status).toBe(200);
    const [row] = await withDb((db) => db.select().from(users).where(eq(users.subject, subject)));
    expect(row).toMatchObject({ name: "Mallory", email: null, emailVerified: false });
  });

  it("a token's name with tabs and line breaks is stored as one line", async () => {
    const subject = `sub-lines-${uniqueSuffix()}`;
    const token = await personToken({
      email: `lines-${uniqueSuffix()}@example.test`,
      name: "Ada\r\n\tLovelace\n",
      subject,
    });
    expect((await call("GET", "/v1/organisations", { token })).status).toBe(200);
    const [row] = await withDb((db) => db.select().from(users).where(eq(users.subject, subject)));
    expect(row?.name).toBe("Ada Lovelace");
  });

  it("a PATCH that changes nothing writes no audit event and keeps updated_at", async () => {
    const tenant = await createTenant("steady");
    const before = await auditTrail(tenant.uuid);
    const reply = await call("PATCH", `/v1/organisations/${tenant.id}`, {
      token: tenant.people.admin.token,
      body: { name: tenant.name, exclusive_membership: false },
    });
    expect(reply.status, reply.text).toBe(200);
    const current = await call("GET", `/v1/organisations/${tenant.id}`, { token: tenant.people.admin.token });
    expect(reply.body.updated_at).toBe(current.body.updated_at);
    expect(await auditTrail(tenant.uuid)).toHaveLength(before.length);
  });

  it("an admin renames the organisation and sets exclusive membership; the audit diff shows both", async () => {
    const tenant = await createTenant("settings");
    const reply = await call("PATCH", `/v1/organisations/${tenant.id}`, {
      token: tenant.people.admin.token,
      body: { name: "Renamed", exclusive_membership: true },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ name: "Renamed", exclusive_membership: true });
    const event = (await auditTrail(tenant.uuid)).at(-1)!;
    expect(event.action).toBe("organisation.updated");
    expect(event.changes).toEqual({
      name: { old: tenant.name, new: "Renamed" },
      exclusive_membership: { old: false, new: true },
    });
  });

  it("exclusive membership cannot be switched on while a member belongs to another exclusive organisation (409), and nothing changes", async () => {
    const first = await createTenant("exclusive-a");
    const second = await createTenant("exclusive-b");
    const exclusive = await call("PATCH", `/v1/organisations/${first.id}`, {
      token: first.people.owner.token,
      body: { exclusive_membership: true },
    });
    expect(exclusive.status, exclusive.text).toBe(200);
    // Someone in both: a member of the exclusive first, added to the second directly.
    const shared = await addPerson(first, "member", "shared");
    await withDb((db) =>
      db.insert(memberships).values({
        organisationId: second.uuid,
        userId: parseTypeId(ID_PREFIX.user, shared.userId) as string,
        roleId: parseTypeId(ID_PREFIX.role, second.roleIds.member) as string,
      }),
    );
    const before = await auditTrail(second.uuid);
    const refused = await call("PATCH", `/v1/organisations/${second.id}`, {
      token: second.people.owner.token,
      body: { exclusive_membership: true },
    });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error.code).toBe("user_in_other_organisation");
    expect(refused.body.error.member_id).toMatch(/^mem_/);
    const unchanged = await call("GET", `/v1/organisations/${second.id}`, { token: second.people.owner.token });
    expect(unchanged.body.exclusive_membership).toBe(false);
    expect(await auditTrail(second.uuid)).toHaveLength(before.length);
  });

  it("a member of an exclusive organisation cannot create another exclusive one (409 user_in_other_organisation); nothing is written", async () => {
    const person = await founder();
    expect((await person.create(true)).status).toBe(201);
    const before = await footprint(person.email);
    const name = `Second ${uniqueSuffix()}`;
    const refused = await person.create(true, name);
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error.code).toBe("user_in_other_organisation");
    const named = await withDb((db) => db.select().from(organisations).where(eq(organisations.name, name)));
    expect(named).toHaveLength(0);
    expect(await footprint(person.email)).toEqual(before);
  });

  it("the rule is about two exclusive organisations: creating a non-exclusive one beside an exclusive one, or an exclusive one beside non-exclusive ones, is allowed", async () => {
    const exclusiveFirst = await founder();
    expect((await exclusiveFirst.create(true)).status).toBe(201);
    expect((await exclusiveFirst.create(false)).status).toBe(201);
    const openFirst = await founder();
    expect((await openFirst.create(false)).status).toBe(201);
    expect((await openFirst.create(true)).status).toBe(201);
  });

  it("only the owner deletes the organisation; afterwards it is gone for everyone but its trail remains", async () => {
    const tenant = await createTenant("deleted");
    expect((await call("DELETE", `/v1/organisations/${tenant.id}`, { token: tenant.people.admin.token })).status).toBe(
      403,
    );
    expect((await call("DELETE", `/v1/organisations/${tenant.id}`, { token: tenant.people.owner.token })).status).toBe(
      204,
    );
    expect((await call("GET", `/v1/organisations/${tenant.id}`, { token: tenant.people.owner.token })).status).toBe(
      404,
    );
    const trail = await auditTrail(tenant.uuid);
    expect(trail.at(-1)!.action).toBe("organisation.deleted");
  });

  it("ownership moves only by transfer: the new owner gets the owner role and the old one becomes admin", async () => {
    const tenant = await createTenant("transfer");
    const byAdmin = await call("POST", `/v1/organisations/${tenant.id}:transfer-ownership`, {
      token: tenant.people.admin.token,
      body: { member_id: tenant.people.admin.memberId },
    });
    expect(byAdmin.status).toBe(403);
    const reply = await call("POST", `/v1/organisations/${tenant.id}:transfer-ownership`, {
      token: tenant.people.owner.token,
      body: { member_id: tenant.people.member.memberId },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: tenant.people.member.memberId, role: { key: "owner" } });
    const previous = await call("GET", `/v1/members/${tenant.people.owner.memberId}`, {
      token: tenant.people.member.token,
    });
    expect(previous.body.role.key).toBe("admin");
    const owners = await call("GET", `/v1/members?organisation_id=${tenant.id}&role_id=${tenant.roleIds.owner}`, {
      token: tenant.people.member.token,
    });
    expect(owners.body.data).toHaveLength(1);
    const event = (await auditTrail(tenant.uuid)).at(-1)!;
    expect(event.changes.owner_member_id).toEqual({
      old: tenant.people.owner.memberId,
      new: tenant.people.member.memberId,
    });
    const again = await call("POST", `/v1/organisations/${tenant.id}:transfer-ownership`, {
      token: tenant.people.owner.token,
      body: { member_id: tenant.people.owner.memberId },
    });
    expect(again.status).toBe(403);
  });

  it("two concurrent transfers leave exactly one owner", async () => {
    const tenant = await createTenant("race");
    const replies = await Promise.all(
      [tenant.people.admin.memberId, tenant.people.manager.memberId].map((memberId) =>
        call("POST", `/v1/organisations/${tenant.id}:transfer-ownership`, {
          token: tenant.people.owner.token,
          body: { member_id: memberId },
        }),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    const owners = await call("GET", `/v1/members?organisation_id=${tenant.id}&role_id=${tenant.roleIds.owner}`, {
      token: tenant.people.viewer.token,
    });
    expect(owners.body.data).toHaveLength(1);
  });
});

describe("exclusive membership under concurrency", () => {
  it(`two organisations sharing a member switched to exclusive membership at once: exactly one wins (${RACE_ROUNDS}×${RACES_PER_ROUND} races)`, async () => {
    await raceRounds(
      async () => {
        const person = await founder("shared");
        const [first, second] = await Promise.all([person.create(false), person.create(false)]);
        return { person, ids: [first!.body.id as string, second!.body.id as string] };
      },
      async ({ person, ids }) => {
        expectOneWinner(await Promise.all(ids.map(person.makeExclusive)), "user_in_other_organisation");
        const now = await Promise.all(ids.map((id) => call("GET", `/v1/organisations/${id}`, { token: person.token })));
        expect(now.filter((reply) => reply.body.exclusive_membership)).toHaveLength(1);
      },
    );
  });

  it(`creating an exclusive organisation while one you belong to is switched to exclusive membership: exactly one wins (${RACE_ROUNDS}×${RACES_PER_ROUND} races)`, async () => {
    await raceRounds(
      async () => {
        const person = await founder("creating");
        return { person, existingId: (await person.create(false)).body.id as string };
      },
      async ({ person, existingId }) => {
        const name = `New ${uniqueSuffix()}`;
        const [created, switched] = await Promise.all([person.create(true, name), person.makeExclusive(existingId)]);
        expectOneWinner([created, switched], "user_in_other_organisation");
        const named = await withDb((db) => db.select().from(organisations).where(eq(organisations.name, name)));
        const now = await call("GET", `/v1/organisations/${existingId}`, { token: person.token });
        expect(named.length + (now.body.exclusive_membership ? 1 : 0)).toBe(1);
      },
    );
  });
});
