// The round trips of the programs domain, on the demo seed: the demo organisation runs "Community Literacy",
// the partner organisation (pat@example.com) has an accepted application to it, and the catalog is not empty.
import type { Operation } from "./operation";

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export function programOperations(org: string): Operation[] {
  let seededProgramId = "";
  let partnerId = "";
  let programId = "";
  let applicationId = "";
  let standaloneId = "";
  let managedId = "";
  let paymentUnitId = "";
  const read = (name: string, path: () => string, as?: Operation["as"]): Operation => ({
    name,
    kind: "read",
    method: "GET",
    path,
    expect: 200,
    ...(as ? { as } : {}),
  });
  return [
    {
      ...read("GET /v1/programs?organisation_id=", () => `/v1/programs?organisation_id=${org}`),
      after: (body) => {
        seededProgramId = body.data[0].id;
      },
    },
    read("GET /v1/programs/{id}", () => `/v1/programs/${seededProgramId}`),
    {
      ...read(
        "GET /v1/program-applications?program_id=",
        () => `/v1/program-applications?program_id=${seededProgramId}`,
      ),
      after: (body) => {
        partnerId = body.data[0].organisation_id;
      },
    },
    {
      name: "POST /v1/programs",
      kind: "write",
      method: "POST",
      path: () => "/v1/programs",
      body: () => ({
        organisation_id: org,
        name: `Bench program ${Date.now()}`,
        delivery_type: "training",
        currency: "EUR",
        country: "DE",
        budget: "1000.00",
        start_date: day(-1),
        end_date: day(365),
      }),
      expect: 201,
      after: (body) => {
        programId = body.id;
      },
    },
    {
      name: "PATCH /v1/programs/{id}",
      kind: "write",
      method: "PATCH",
      path: () => `/v1/programs/${programId}`,
      body: () => ({ budget: "1500.00" }),
      expect: 200,
    },
    {
      name: "POST /v1/program-applications",
      kind: "write",
      method: "POST",
      path: () => "/v1/program-applications",
      body: () => ({ program_id: programId, organisation_id: partnerId }),
      expect: 201,
      after: (body) => {
        applicationId = body.id;
      },
    },
    {
      name: "POST /v1/program-applications/{id}:apply (partner)",
      kind: "write",
      method: "POST",
      path: () => `/v1/program-applications/${applicationId}:apply`,
      expect: 200,
      as: "partner",
    },
    {
      name: "POST /v1/program-applications/{id}:accept",
      kind: "write",
      method: "POST",
      path: () => `/v1/program-applications/${applicationId}:accept`,
      expect: 200,
    },
    read("GET /v1/opportunities (anonymous catalog)", () => "/v1/opportunities", "anonymous"),
    read("GET /v1/opportunities?q= (anonymous, ranked)", () => "/v1/opportunities?q=reading", "anonymous"),
    read("GET /v1/opportunities?organisation_id=", () => `/v1/opportunities?organisation_id=${org}`),
    {
      name: "POST /v1/opportunities (standalone)",
      kind: "write",
      method: "POST",
      path: () => "/v1/opportunities",
      body: () => ({
        organisation_id: org,
        name: "Bench standalone",
        start_date: day(0),
        work_environment: "remote",
        min_hours_per_week: 2,
      }),
      expect: 201,
      after: (body) => {
        standaloneId = body.id;
      },
    },
    read("GET /v1/opportunities/{id}", () => `/v1/opportunities/${standaloneId}`),
    {
      name: "DELETE /v1/opportunities/{id} (draft)",
      kind: "write",
      method: "DELETE",
      path: () => `/v1/opportunities/${standaloneId}`,
      expect: 204,
    },
    {
      name: "POST /v1/opportunities (managed, partner)",
      kind: "write",
      method: "POST",
      path: () => "/v1/opportunities",
      body: () => ({
        organisation_id: partnerId,
        program_id: programId,
        name: "Bench managed",
        visibility: "public",
        start_date: day(0),
        end_date: day(100),
        total_budget: "500.00",
        work_environment: "hybrid",
        min_hours_per_week: 3,
      }),
      expect: 201,
      as: "partner",
      after: (body) => {
        managedId = body.id;
      },
    },
    {
      name: "POST /v1/payment-units (program side)",
      kind: "write",
      method: "POST",
      path: () => "/v1/payment-units",
      body: () => ({ opportunity_id: managedId, name: "Visit", amount: "10.00", max_total: 5, max_daily: 1 }),
      expect: 201,
      after: (body) => {
        paymentUnitId = body.id;
      },
    },
    read("GET /v1/payment-units?opportunity_id=", () => `/v1/payment-units?opportunity_id=${managedId}`),
    read("GET /v1/payment-units/{id}", () => `/v1/payment-units/${paymentUnitId}`),
    {
      name: "PATCH /v1/payment-units/{id}",
      kind: "write",
      method: "PATCH",
      path: () => `/v1/payment-units/${paymentUnitId}`,
      body: () => ({ max_total: 8 }),
      expect: 200,
    },
    {
      name: "POST /v1/deliver-units",
      kind: "write",
      method: "POST",
      path: () => "/v1/deliver-units",
      body: () => ({
        opportunity_id: managedId,
        name: "Visit report",
        slug: "visit-report",
        payment_unit_id: paymentUnitId,
      }),
      expect: 201,
    },
    read("GET /v1/deliver-units?opportunity_id=", () => `/v1/deliver-units?opportunity_id=${managedId}`),
    {
      name: "PATCH /v1/opportunities/{id} (open)",
      kind: "write",
      method: "PATCH",
      path: () => `/v1/opportunities/${managedId}`,
      body: () => ({ status: "open" }),
      expect: 200,
      as: "partner",
    },
    {
      name: "POST /v1/opportunities/{id}:invite (2 numbers)",
      kind: "write",
      method: "POST",
      path: () => `/v1/opportunities/${managedId}:invite`,
      body: () => ({ phone_numbers: ["+4915112345678", "+4915112345679"] }),
      expect: 200,
      as: "partner",
    },
    read("GET /v1/opportunities/{id}/workers", () => `/v1/opportunities/${managedId}/workers`, "partner"),
    read("GET /v1/users/me/opportunities", () => "/v1/users/me/opportunities"),
  ];
}
