// Races across the program and its opportunities: a program change and an opportunity change sent at once must
// never leave the invariants broken (budgets add up, dates contain, currency fixed, an open managed
// opportunity keeps a payment unit). Each race runs a few rounds; any interleaving must end consistent.
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { opportunities, paymentUnits } from "../../schema";
import {
  call,
  createTenant,
  insertApplication,
  insertOpportunity,
  insertPaymentUnit,
  insertProgram,
  type Made,
  raceRounds,
  type Tenant,
  withDb,
} from "../harness";

let funder: Tenant;
let deliverer: Tenant;

beforeAll(async () => {
  [funder, deliverer] = await Promise.all([createTenant("race-funder"), createTenant("race-deliverer")]);
});

async function program(budget = "100.00") {
  const made = await insertProgram(funder, { budget, startDate: "2026-01-01", endDate: "2027-12-31" });
  await insertApplication(made.uuid, deliverer, "accepted");
  return made;
}

const managed = (under: Made, values: Parameters<typeof insertOpportunity>[1] = {}) =>
  insertOpportunity(deliverer, {
    programId: under.uuid,
    currency: "EUR",
    country: "DE",
    status: "draft",
    startDate: "2026-03-01",
    endDate: "2027-06-30",
    ...values,
  });

const patch = (token: string, path: string, body: unknown) => call("PATCH", path, { token, body });
const ok = (status: number) => status >= 200 && status < 300;

/** Whether the program's budget holds its opportunities' and its dates and currency contain them. */
async function state(programUuid: string) {
  return withDb(async (db) => {
    const [row] = await db
      .execute<{ fits: boolean; inside: boolean }>(sql`
      select p.budget >= coalesce((select sum(o.total_budget) from opportunities o where o.program_id = p.id), 0) as fits,
             not exists (select 1 from opportunities o where o.program_id = p.id
               and (o.start_date < p.start_date or o.end_date > p.end_date or o.currency <> p.currency)) as inside
      from programs p where p.id = ${programUuid}`)
      .then((result) => result.rows);
    return row;
  });
}

describe("the check itself", () => {
  it("sees a program overspent, or an opportunity outside its dates or currency", async () => {
    const made = await program("10.00");
    expect(await state(made.uuid)).toEqual({ fits: true, inside: true });
    await managed(made, { totalBudget: "10.01" });
    expect(await state(made.uuid)).toEqual({ fits: false, inside: true });
    const outside = await program();
    await managed(outside, { endDate: "2028-01-01" });
    expect(await state(outside.uuid)).toEqual({ fits: true, inside: false });
    const other = await program();
    await managed(other, { currency: "USD" });
    expect((await state(other.uuid))?.inside).toBe(false);
  });
});

describe("the program's side and the delivering side at once", () => {
  it("lowering the program's budget while an opportunity raises its own: the budget always holds", async () => {
    await raceRounds(
      async () => {
        const made = await program("100.00");
        return { made, opportunity: await managed(made, { totalBudget: "40.00" }) };
      },
      async ({ made, opportunity }) => {
        const [lowered, raised] = await Promise.all([
          patch(funder.people.owner.token, `/v1/programs/${made.id}`, { budget: "50.00" }),
          patch(deliverer.people.owner.token, `/v1/opportunities/${opportunity.id}`, { total_budget: "90.00" }),
        ]);
        expect([lowered.status, raised.status].filter(ok), `${lowered.text}\n${raised.text}`).toHaveLength(1);
        expect([lowered.status, raised.status].sort()).toEqual(ok(lowered.status) ? [200, 400] : [200, 409]);
        expect(await state(made.uuid)).toEqual({ fits: true, inside: true });
      },
    );
  });

  it("shrinking the program's dates while an opportunity extends its own: they always contain it", async () => {
    await raceRounds(
      async () => {
        const made = await program();
        return { made, opportunity: await managed(made, { endDate: "2026-06-30" }) };
      },
      async ({ made, opportunity }) => {
        const [shrunk, extended] = await Promise.all([
          patch(funder.people.owner.token, `/v1/programs/${made.id}`, { end_date: "2026-09-30" }),
          patch(deliverer.people.owner.token, `/v1/opportunities/${opportunity.id}`, { end_date: "2027-03-31" }),
        ]);
        expect([shrunk.status, extended.status].filter(ok), `${shrunk.text}\n${extended.text}`).toHaveLength(1);
        expect(await state(made.uuid)).toEqual({ fits: true, inside: true });
      },
    );
  });

  it("changing the program's currency while its first opportunity is created: never an opportunity in another one", async () => {
    await raceRounds(
      () => program(),
      async (made) => {
        const [changed, created] = await Promise.all([
          patch(funder.people.owner.token, `/v1/programs/${made.id}`, { currency: "USD" }),
          call("POST", "/v1/opportunities", {
            token: deliverer.people.owner.token,
            body: {
              organisation_id: deliverer.id,
              program_id: made.id,
              name: "first",
              start_date: "2026-03-01",
              end_date: "2026-06-30",
              work_environment: "remote",
              min_hours_per_week: 1,
            },
          }),
        ]);
        expect(ok(created.status), created.text).toBe(true);
        if (ok(changed.status)) expect(created.body.currency).toBe("USD");
        else expect(changed.status).toBe(409);
        expect(await state(made.uuid)).toEqual({ fits: true, inside: true });
      },
    );
  });

  it("opening a managed opportunity while its only payment unit is deleted: never open without one", async () => {
    await raceRounds(
      async () => {
        const made = await program();
        const opportunity = await managed(made);
        return { opportunity, unit: await insertPaymentUnit(opportunity.uuid) };
      },
      async ({ opportunity, unit }) => {
        const [opened, deleted] = await Promise.all([
          patch(funder.people.owner.token, `/v1/opportunities/${opportunity.id}`, { status: "open" }),
          call("DELETE", `/v1/payment-units/${unit.id}`, { token: deliverer.people.owner.token }),
        ]);
        expect([opened.status, deleted.status].filter(ok), `${opened.text}\n${deleted.text}`).toHaveLength(1);
        const [row] = await withDb((db) =>
          db
            .select({
              status: opportunities.status,
              // Qualified: a single-table select leaves columns unqualified, and the subquery would read its own.
              units: sql<number>`(select count(*)::int from ${paymentUnits} where ${paymentUnits.opportunityId} = "opportunities"."id")`,
            })
            .from(opportunities)
            .where(eq(opportunities.id, opportunity.uuid)),
        );
        expect(row!.status === "open" ? row!.units : 1).toBeGreaterThan(0);
      },
    );
  });

  it("two opportunities raising their budgets at once, each fitting alone: exactly one does", async () => {
    await raceRounds(
      async () => {
        const made = await program("100.00");
        return {
          made,
          first: await managed(made, { totalBudget: "10.00" }),
          second: await managed(made, { totalBudget: "10.00" }),
        };
      },
      async ({ made, first, second }) => {
        const replies = await Promise.all([
          patch(deliverer.people.owner.token, `/v1/opportunities/${first.id}`, { total_budget: "60.00" }),
          patch(funder.people.owner.token, `/v1/opportunities/${second.id}`, { total_budget: "60.00" }),
        ]);
        expect(replies.map((reply) => reply.status).sort()).toEqual([200, 400]);
        expect(await state(made.uuid)).toEqual({ fits: true, inside: true });
      },
    );
  });
});
