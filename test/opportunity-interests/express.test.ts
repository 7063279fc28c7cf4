import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { opportunityInterests } from "../../schema";
import { auditEventsOf, auditTrail, createTenant, insertOpportunity, type Tenant, withDb } from "../harness";
import { newPerson } from "../users/helpers";
import { expressInterest, type Volunteer, volunteer } from "./helpers";

let tenant: Tenant;
let dana: Volunteer;

beforeAll(async () => {
  [tenant, dana] = await Promise.all([createTenant("interest"), volunteer("dana", "Dana Okafor")]);
});

const interestsIn = (opportunityUuid: string) =>
  withDb((db) => db.select().from(opportunityInterests).where(eq(opportunityInterests.opportunityId, opportunityUuid)));

describe("POST /v1/opportunities/{id}:express-interest", () => {
  it("someone without a profile is 409 and nothing is recorded", async () => {
    const opportunity = await insertOpportunity(tenant);
    const stranger = await newPerson("no-profile");
    const reply = await expressInterest(opportunity.id, stranger.token, { message: "hello" });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("conflict");
    expect(reply.body.error.message).toContain("PATCH /v1/users/me");
    expect(await interestsIn(opportunity.uuid)).toEqual([]);
  });

  it("a volunteer: 201 with their name, email and practice area, audited once in the delivering organisation's trail", async () => {
    const opportunity = await insertOpportunity(tenant);
    const reply = await expressInterest(opportunity.id, dana.token, { message: "  Mondays suit me.\nDana " });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body).toMatchObject({
      object: "opportunity_interest",
      opportunity_id: opportunity.id,
      user_id: dana.userId,
      name: "Dana Okafor",
      email: dana.email,
      practice_area: "engineering",
      message: "Mondays suit me.\nDana",
    });
    expect(reply.body.id).toMatch(/^oint_/);
    const [event, ...rest] = await auditEventsOf(reply);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      action: "opportunity_interest.expressed",
      organisationId: tenant.uuid,
      actorType: "user",
      actorId: parseTypeId(ID_PREFIX.user, dana.userId),
      actorEmail: null,
      resourceType: "opportunity_interest",
      resourceId: parseTypeId(ID_PREFIX.opportunity_interest, reply.body.id),
    });
    expect(event!.changes.message).toEqual({ old: null, new: "Mondays suit me.\nDana" });
    expect(JSON.stringify(event)).not.toContain(dana.email);
  });

  it("a second call answers the interest already there with 200: the first message stands, no second event", async () => {
    const opportunity = await insertOpportunity(tenant);
    const first = await expressInterest(opportunity.id, dana.token, { message: "first" });
    const trail = (await auditTrail(tenant.uuid)).length;
    const second = await expressInterest(opportunity.id, dana.token, { message: "second" });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await auditEventsOf(second)).toEqual([]);
    expect((await auditTrail(tenant.uuid)).length).toBe(trail);
    expect(await interestsIn(opportunity.uuid)).toHaveLength(1);
  });

  it("calls at once make one interest and one event", async () => {
    const opportunity = await insertOpportunity(tenant);
    const replies = await Promise.all(Array.from({ length: 4 }, () => expressInterest(opportunity.id, dana.token)));
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(replies.map((reply) => reply.body.id)).size).toBe(1);
    const events = (await auditTrail(tenant.uuid)).filter(
      (e) => e.resourceId === parseTypeId(ID_PREFIX.opportunity_interest, replies[0]!.body.id),
    );
    expect(events).toHaveLength(1);
  });

  it("the body may be left out: no message", async () => {
    const opportunity = await insertOpportunity(tenant);
    const reply = await expressInterest(opportunity.id, dana.token);
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body.message).toBe("");
  });

  it("an opportunity outside the public catalog is 404, as it is to anyone browsing (its organisation's owner too)", async () => {
    const hidden = await Promise.all([
      insertOpportunity(tenant, { status: "draft" }),
      insertOpportunity(tenant, { status: "on_hold" }),
      insertOpportunity(tenant, { status: "closed" }),
      insertOpportunity(tenant, { status: "filled" }),
      insertOpportunity(tenant, { visibility: "organisation" }),
    ]);
    for (const opportunity of hidden) {
      for (const token of [dana.token, tenant.people.owner.token]) {
        const reply = await expressInterest(opportunity.id, token);
        expect(reply.status, reply.text).toBe(404);
      }
      expect(await interestsIn(opportunity.uuid)).toEqual([]);
    }
    const none = await expressInterest("opp_01h455vb4pex5vsknk084sn02q", dana.token);
    expect(none.status).toBe(404);
  });

  it("an opportunity that has ended is 400 opportunity_ended", async () => {
    const ended = await insertOpportunity(tenant, { startDate: "2020-01-01", endDate: "2020-12-31" });
    const reply = await expressInterest(ended.id, dana.token);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("opportunity_ended");
  });

  it("refuses a service account (403), a message over 1000 characters and unknown fields (400)", async () => {
    const opportunity = await insertOpportunity(tenant);
    const robot = await expressInterest(opportunity.id, tenant.serviceAccount.token);
    expect(robot.status).toBe(403);
    const long = await expressInterest(opportunity.id, dana.token, { message: "x".repeat(1001) });
    expect(long.status).toBe(400);
    expect(Object.keys(long.body.error.fields)).toEqual(["message"]);
    const extra = await expressInterest(opportunity.id, dana.token, { email: "other@example.test" });
    expect(extra.status).toBe(400);
    expect(Object.keys(extra.body.error.fields)).toEqual(["email"]);
    expect(await interestsIn(opportunity.uuid)).toEqual([]);
  });
});
