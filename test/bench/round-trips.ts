// Database round trips per request, counted by a wrapper around the driver.
//
// How it counts: the Neon `Pool` hands every query (`pool.query` and Drizzle's transactions alike) to a
// `Client`, so wrapping `Client.prototype.query` sees each statement the app sends, exactly once. The driver
// sends one statement and waits for its result before the next (no pipelining of queries), so one `query`
// call is one round trip. `BEGIN`/`COMMIT`/`ROLLBACK` are statements too and are counted; they also tell
// whether a write ran in one transaction. Opening the connection (startup + password exchange, per request
// since the app makes one pool per request) is reported separately as `connects`, not against the budget.
import { Client } from "@neondatabase/serverless";
import { DEV_PLATFORM_ADMIN, signDevToken } from "../../db/local/keys";
import { PARTNER_OWNER } from "../../db/seed-data";
import type { Caller, Operation } from "./operation";
import { programOperations } from "./program-operations";
import { type BenchStack, call, type Section, table } from "./setup";

interface Count {
  statements: string[];
  connects: number;
}

let current: Count | null = null;

function installCounter(): void {
  const proto = Client.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const query = proto.query as (...args: unknown[]) => unknown;
  const connect = proto.connect as (...args: unknown[]) => unknown;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [first] = args;
    const text = typeof first === "string" ? first : ((first as { text?: string } | undefined)?.text ?? "");
    current?.statements.push(text);
    return query.apply(this, args);
  };
  proto.connect = function (this: unknown, ...args: unknown[]) {
    if (current) current.connects++;
    return connect.apply(this, args);
  };
}

async function counted<T>(run: () => Promise<T>): Promise<{ result: T; count: Count }> {
  const count: Count = { statements: [], connects: 0 };
  current = count;
  try {
    return { result: await run(), count };
  } finally {
    current = null;
  }
}

export async function roundTrips(stack: BenchStack): Promise<Section> {
  installCounter();
  const org = stack.organisationId;
  let memberId = "";
  /** A member without global access (the seeded "member"), whose access list the benchmark replaces. */
  let limitedMemberId = "";
  let roleId = "";
  let viewerRoleId = "";
  let invitationId = "";
  let deliveryTypeId = "";
  let programManager = false;
  const tokens: Record<Caller, string | null> = {
    owner: stack.token,
    admin: await signDevToken(stack.keys, { email: DEV_PLATFORM_ADMIN }),
    partner: await signDevToken(stack.keys, { email: PARTNER_OWNER.email }),
    anonymous: null,
  };
  const operations: Operation[] = [
    { name: "GET /v1/organisations", kind: "read", method: "GET", path: () => "/v1/organisations", expect: 200 },
    {
      name: "GET /v1/organisations/{id}",
      kind: "read",
      method: "GET",
      path: () => `/v1/organisations/${org}`,
      expect: 200,
      after: (body) => {
        programManager = body.program_manager;
      },
    },
    {
      name: "GET /v1/members?organisation_id=",
      kind: "read",
      method: "GET",
      path: () => `/v1/members?organisation_id=${org}`,
      expect: 200,
      after: (body) => {
        memberId = body.data[0].id;
        limitedMemberId = body.data.find(
          (member: { role: { key: string | null } }) => member.role.key === "member",
        )?.id;
      },
    },
    { name: "GET /v1/members/{id}", kind: "read", method: "GET", path: () => `/v1/members/${memberId}`, expect: 200 },
    {
      name: "GET /v1/organisations/{id}/plan",
      kind: "read",
      method: "GET",
      path: () => `/v1/organisations/${org}/plan`,
      expect: 200,
    },
    {
      name: "GET /v1/analytics/dashboard",
      kind: "read",
      method: "GET",
      path: () => `/v1/analytics/dashboard?organisation_id=${org}&interval=week`,
      expect: 200,
    },
    {
      name: "GET /v1/members/{id}/access",
      kind: "read",
      method: "GET",
      path: () => `/v1/members/${limitedMemberId}/access`,
      expect: 200,
    },
    {
      name: "PUT /v1/members/{id}/access",
      kind: "write",
      method: "PUT",
      path: () => `/v1/members/${limitedMemberId}/access`,
      body: () => ({ programs: [] }),
      expect: 200,
    },
    {
      name: "GET /v1/roles?organisation_id=",
      kind: "read",
      method: "GET",
      path: () => `/v1/roles?organisation_id=${org}`,
      expect: 200,
      after: (body) => {
        viewerRoleId = body.data.find((role: { key: string | null }) => role.key === "viewer").id;
      },
    },
    {
      name: "GET /v1/audit-events?organisation_id=",
      kind: "read",
      method: "GET",
      path: () => `/v1/audit-events?organisation_id=${org}`,
      expect: 200,
    },
    {
      name: "POST /v1/roles",
      kind: "write",
      method: "POST",
      path: () => "/v1/roles",
      body: () => ({ organisation_id: org, name: "Bench role", permissions: ["members:write"] }),
      expect: 201,
      after: (body) => {
        roleId = body.id;
      },
    },
    {
      name: "PATCH /v1/roles/{id}",
      kind: "write",
      method: "PATCH",
      path: () => `/v1/roles/${roleId}`,
      body: () => ({ description: "Changed by the benchmark" }),
      expect: 200,
    },
    { name: "DELETE /v1/roles/{id}", kind: "write", method: "DELETE", path: () => `/v1/roles/${roleId}`, expect: 204 },
    {
      name: "POST /v1/invitations (delivery none)",
      kind: "write",
      method: "POST",
      path: () => "/v1/invitations",
      body: () => ({
        organisation_id: org,
        email: `bench-${Date.now()}@example.com`,
        role_id: viewerRoleId,
        delivery: "none",
      }),
      expect: 201,
      after: (body) => {
        invitationId = body.id;
      },
    },
    {
      name: "GET /v1/invitations?organisation_id=",
      kind: "read",
      method: "GET",
      path: () => `/v1/invitations?organisation_id=${org}`,
      expect: 200,
    },
    {
      name: "POST /v1/invitations/{id}:cancel",
      kind: "write",
      method: "POST",
      path: () => `/v1/invitations/${invitationId}:cancel`,
      expect: 200,
    },
    { name: "GET /v1/currencies (public)", kind: "read", method: "GET", path: () => "/v1/currencies", expect: 200 },
    {
      name: "POST /v1/delivery-types (admin)",
      kind: "write",
      method: "POST",
      path: () => "/v1/delivery-types",
      body: () => ({ slug: `bench-${Date.now()}`, name: "Bench" }),
      expect: 201,
      as: "admin",
      after: (body) => {
        deliveryTypeId = body.id;
      },
    },
    {
      name: "GET /v1/delivery-types (public)",
      kind: "read",
      method: "GET",
      path: () => "/v1/delivery-types",
      expect: 200,
    },
    {
      name: "GET /v1/delivery-types/{id} (public)",
      kind: "read",
      method: "GET",
      path: () => `/v1/delivery-types/${deliveryTypeId}`,
      expect: 200,
    },
    {
      name: "PATCH /v1/delivery-types/{id} (admin)",
      kind: "write",
      method: "PATCH",
      path: () => `/v1/delivery-types/${deliveryTypeId}`,
      body: () => ({ name: "Bench, renamed" }),
      expect: 200,
      as: "admin",
    },
    {
      name: "DELETE /v1/delivery-types/{id} (admin)",
      kind: "write",
      method: "DELETE",
      path: () => `/v1/delivery-types/${deliveryTypeId}`,
      expect: 204,
      as: "admin",
    },
    {
      name: "PATCH /v1/platform/organisations/{id} (admin)",
      kind: "write",
      method: "PATCH",
      path: () => `/v1/platform/organisations/${org}`,
      body: () => ({ program_manager: !programManager }),
      expect: 200,
      as: "admin",
    },
    {
      name: "PATCH /v1/platform/organisations/{id} (admin, back)",
      kind: "write",
      method: "PATCH",
      path: () => `/v1/platform/organisations/${org}`,
      body: () => ({ program_manager: programManager }),
      expect: 200,
      as: "admin",
    },
    ...programOperations(org),
  ];

  await call(stack, "GET", "/v1/organisations"); // warm-up: module-level caches (key sets, routes)

  const rows: (string | number)[][] = [
    ["operation", "status", "round trips", "connects", "BEGIN/COMMIT", "budget", "verdict", "statements in order"],
  ];
  for (const op of operations) {
    const token = tokens[op.as ?? "owner"];
    const { result, count } = await counted(() => call(stack, op.method, op.path(), op.body?.(), token));
    if (result.status === op.expect) op.after?.(result.body);
    const statements = count.statements.map((s) => s.trim().toLowerCase());
    const begins = statements.filter((s) => s.startsWith("begin")).length;
    const commits = statements.filter((s) => s.startsWith("commit")).length;
    const roundTrips = statements.length;
    const within = op.kind === "read" ? roundTrips <= 2 && begins === 0 : begins === 1 && commits === 1;
    const verdict = result.status !== op.expect ? `ERROR (expected ${op.expect})` : within ? "PASS" : "OVER";
    rows.push([
      op.name,
      result.status,
      roundTrips,
      count.connects,
      `${begins}/${commits}`,
      op.kind === "read" ? "<= 2 round trips" : "1 transaction",
      verdict,
      statements.map((s) => s.split(/\s/, 1)[0]).join(" "),
    ]);
  }
  return {
    title: "Database round trips per request (app.request in Node, seeded owner's token)",
    lines: [
      ...table(rows),
      "",
      "round trips = statements sent (Client.prototype.query calls), BEGIN and COMMIT included;",
      "connects = connections opened (one pool per request), not counted against the budget.",
    ],
  };
}
