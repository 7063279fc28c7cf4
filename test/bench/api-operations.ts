// The requests the benchmarks send, in an order where each one finds what it needs (ids kept from earlier
// replies), and what each must answer. One pass is repeatable: what it creates it deletes or names afresh.
import { DEV_PLATFORM_ADMIN, signDevToken } from "../../db/local/keys";
import { PARTNER_OWNER } from "../../db/seed-data";
import type { Caller, Operation } from "./operation";
import { programOperations } from "./program-operations";
import type { BenchStack } from "./setup";

export async function apiOperations(
  stack: BenchStack,
): Promise<{ operations: Operation[]; tokens: Record<Caller, string | null> }> {
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
  return { operations, tokens };
}
