// What the IP allowlist suites share: saving a list from an address, reading it back past the API, the platform
// administrator's PATCH, and the shape of a refusal.
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { organisations } from "../../schema";
import { auditTrail, call, platformAdminToken, type Reply, type Tenant, withDb } from "../harness";
export const INSIDE = "203.0.113.7";
export const ALSO_INSIDE = "203.0.113.99";
export const OUTSIDE = "198.51.100.1";

/** The headers of a request Cloudflare saw coming from this address. */
export const from = (address: string, extra: Record<string, string> = {}) => ({
  "cf-connecting-ip": address,
  ...extra,
});

export const setAllowlist = (
  tenant: Tenant,
  allowedIps: string[],
  headers: Record<string, string>,
  options: { confirm_lockout?: boolean; token?: string } = {},
) => {
  const { token = tenant.people.owner.token, ...extra } = options;
  return call("PUT", `/v1/organisations/${tenant.id}/ip-allowlist`, {
    token,
    headers,
    body: { allowed_ips: allowedIps, ...extra },
  });
};

/** Saves a list from an address it includes, so no lock-out confirmation is needed. */
export async function allow(tenant: Tenant, allowedIps: string[], callerAddress: string): Promise<Reply> {
  const reply = await setAllowlist(tenant, allowedIps, from(callerAddress));
  expect(reply.status, reply.text).toBe(200);
  return reply;
}

export const getOrganisation = (tenant: Tenant, headers: Record<string, string>, token = tenant.people.owner.token) =>
  call("GET", `/v1/organisations/${tenant.id}`, { token, headers });

export const listMembers = (tenant: Tenant, headers: Record<string, string>, token = tenant.people.owner.token) =>
  call("GET", `/v1/members?organisation_id=${tenant.id}`, { token, headers });

/** The list as stored, read past the API (which an allowlist may refuse). */
export const storedAllowlist = (tenant: Tenant) =>
  withDb(async (db) => {
    const [row] = await db
      .select({ allowedIps: organisations.allowedIps })
      .from(organisations)
      .where(eq(organisations.id, tenant.uuid));
    return row?.allowedIps;
  });

export const administer = async (
  tenant: Tenant,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) => {
  const reply = await call("PATCH", `/v1/platform/organisations/${tenant.id}`, {
    token: await platformAdminToken(),
    body,
    headers,
  });
  expect(reply.status, reply.text).toBe(200);
  return reply;
};

export const allowlistEvents = async (tenant: Tenant) =>
  (await auditTrail(tenant.uuid)).filter(
    (event) => event.action === "organisation.updated" && "allowed_ips" in (event.changes as object),
  );

export function expectAllowed(reply: Reply) {
  expect(reply.status, reply.text).toBe(200);
}

/** 403 ip_not_allowed in the one error envelope, naming the address the request came from. */
export function expectIpNotAllowed(reply: Reply, address: string | null) {
  expect(reply.status, reply.text).toBe(403);
  expect(Object.keys(reply.body)).toEqual(["error"]);
  expect(reply.body.error).toMatchObject({ code: "ip_not_allowed", ip_address: address });
  expect(reply.body.error.message).toEqual(expect.any(String));
  if (address !== null) expect(reply.body.error.message).toContain(address);
  expect(reply.body.error.request_id).toMatch(/^req_/);
  expect(reply.headers.get("content-type")).toMatch(/application\/json/);
}

export function expectValidationError(reply: Reply, fields: string[]) {
  expect(reply.status, reply.text).toBe(400);
  expect(reply.body.error.code).toBe("validation_error");
  expect(Object.keys(reply.body.error.fields ?? {}).sort()).toEqual([...fields].sort());
}
