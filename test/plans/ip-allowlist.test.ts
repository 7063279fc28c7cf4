// The IP allowlist: PUT /v1/organisations/{id}/ip-allowlist saves a normalised list (400 naming a malformed entry,
// 409 for a list that would lock the caller out unless confirmed), and while it is not empty every request for the
// organisation, by people and service accounts alike, must come from a listed address (the one in
// CF-Connecting-IP, never X-Forwarded-For or X-Real-IP), or it is 403 ip_not_allowed. Only plans with the
// ip_allowlist feature enforce it; untenanted routes are never refused by it; a platform administrator lifts it.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { organisations } from "../../schema";
import {
  auditTrail,
  call,
  createTenant,
  platformAdminToken,
  type Reply,
  type Tenant,
  uniqueSuffix,
  withDb,
} from "../harness";

const INSIDE = "203.0.113.7";
const ALSO_INSIDE = "203.0.113.99";
const OUTSIDE = "198.51.100.1";

/** The headers of a request Cloudflare saw coming from this address. */
const from = (address: string, extra: Record<string, string> = {}) => ({ "cf-connecting-ip": address, ...extra });

const setAllowlist = (
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
async function allow(tenant: Tenant, allowedIps: string[], callerAddress: string): Promise<Reply> {
  const reply = await setAllowlist(tenant, allowedIps, from(callerAddress));
  expect(reply.status, reply.text).toBe(200);
  return reply;
}

const getOrganisation = (tenant: Tenant, headers: Record<string, string>, token = tenant.people.owner.token) =>
  call("GET", `/v1/organisations/${tenant.id}`, { token, headers });

const listMembers = (tenant: Tenant, headers: Record<string, string>, token = tenant.people.owner.token) =>
  call("GET", `/v1/members?organisation_id=${tenant.id}`, { token, headers });

/** The list as stored, read past the API (which an allowlist may refuse). */
const storedAllowlist = (tenant: Tenant) =>
  withDb(async (db) => {
    const [row] = await db
      .select({ allowedIps: organisations.allowedIps })
      .from(organisations)
      .where(eq(organisations.id, tenant.uuid));
    return row?.allowedIps;
  });

const administer = async (tenant: Tenant, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
  const reply = await call("PATCH", `/v1/platform/organisations/${tenant.id}`, {
    token: await platformAdminToken(),
    body,
    headers,
  });
  expect(reply.status, reply.text).toBe(200);
  return reply;
};

const allowlistEvents = async (tenant: Tenant) =>
  (await auditTrail(tenant.uuid)).filter(
    (event) => event.action === "organisation.updated" && "allowed_ips" in (event.changes as object),
  );

function expectAllowed(reply: Reply) {
  expect(reply.status, reply.text).toBe(200);
}

/** 403 ip_not_allowed in the one error envelope, naming the address the request came from. */
function expectIpNotAllowed(reply: Reply, address: string | null) {
  expect(reply.status, reply.text).toBe(403);
  expect(Object.keys(reply.body)).toEqual(["error"]);
  expect(reply.body.error).toMatchObject({ code: "ip_not_allowed", ip_address: address });
  expect(reply.body.error.message).toEqual(expect.any(String));
  if (address !== null) expect(reply.body.error.message).toContain(address);
  expect(reply.body.error.request_id).toMatch(/^req_/);
  expect(reply.headers.get("content-type")).toMatch(/application\/json/);
}

function expectValidationError(reply: Reply, fields: string[]) {
  expect(reply.status, reply.text).toBe(400);
  expect(reply.body.error.code).toBe("validation_error");
  expect(Object.keys(reply.body.error.fields ?? {}).sort()).toEqual([...fields].sort());
}

describe("IPv4", () => {
  it("a /24 saved from inside it admits requests from anywhere in it and refuses the rest", async () => {
    const tenant = await createTenant("allow-v4");
    const saved = await allow(tenant, ["203.0.113.0/24"], INSIDE);
    expect(saved.body).toMatchObject({ id: tenant.id, object: "organisation", allowed_ips: ["203.0.113.0/24"] });
    expect(await storedAllowlist(tenant)).toEqual(["203.0.113.0/24"]);

    for (const address of [INSIDE, ALSO_INSIDE, "203.0.113.0", "203.0.113.255"]) {
      const organisation = await getOrganisation(tenant, from(address));
      expectAllowed(organisation);
      expect(organisation.body.allowed_ips).toEqual(["203.0.113.0/24"]);
      expectAllowed(await listMembers(tenant, from(address)));
    }
    for (const address of [OUTSIDE, "203.0.112.255", "203.0.114.0", "10.0.0.1"]) {
      expectIpNotAllowed(await getOrganisation(tenant, from(address)), address);
      expectIpNotAllowed(await listMembers(tenant, from(address)), address);
    }
  });

  it("refuses every role, and a request with no CF-Connecting-IP at all", async () => {
    const tenant = await createTenant("allow-v4-roles");
    await allow(tenant, ["203.0.113.0/24"], INSIDE);
    for (const role of ["owner", "admin", "manager", "member", "viewer"] as const) {
      const token = tenant.people[role].token;
      expectAllowed(await getOrganisation(tenant, from(ALSO_INSIDE), token));
      expectIpNotAllowed(await getOrganisation(tenant, from(OUTSIDE), token), OUTSIDE);
    }
    expectIpNotAllowed(await getOrganisation(tenant, {}), null);
    expectIpNotAllowed(await listMembers(tenant, {}), null);
  });

  it("refuses writes from outside too, and they change nothing", async () => {
    const tenant = await createTenant("allow-v4-writes");
    await allow(tenant, ["203.0.113.0/24"], INSIDE);
    const before = (await auditTrail(tenant.uuid)).length;
    const rename = await call("PATCH", `/v1/organisations/${tenant.id}`, {
      token: tenant.people.owner.token,
      headers: from(OUTSIDE),
      body: { name: `Renamed ${uniqueSuffix()}` },
    });
    expectIpNotAllowed(rename, OUTSIDE);
    // Nor can the list be changed, or emptied, from outside it.
    expectIpNotAllowed(await setAllowlist(tenant, [], from(OUTSIDE)), OUTSIDE);
    expectIpNotAllowed(await setAllowlist(tenant, [OUTSIDE], from(OUTSIDE)), OUTSIDE);
    expect(await storedAllowlist(tenant)).toEqual(["203.0.113.0/24"]);
    expect((await getOrganisation(tenant, from(INSIDE))).body.name).toBe(tenant.name);
    expect(await auditTrail(tenant.uuid)).toHaveLength(before);
  });
});

describe("IPv6", () => {
  it("a /32 and a single address admit what is inside them; an IPv4-mapped address matches an IPv4 entry", async () => {
    const tenant = await createTenant("allow-v6");
    const saved = await allow(
      tenant,
      ["2001:db8::/32", "2606:4700:0:0:0:0:0:1111", "203.0.113.0/24"],
      "2001:db8:1234::5",
    );
    expect(saved.body.allowed_ips).toEqual(["2001:db8::/32", "2606:4700::1111", "203.0.113.0/24"]);

    for (const address of [
      "2001:db8::1",
      "2001:DB8:ffff:ffff:ffff:ffff:ffff:ffff",
      "2001:0db8:0000::0001",
      "2606:4700::1111",
      "::ffff:203.0.113.7",
      "::ffff:cb00:7107", // 203.0.113.7 written in hex
      INSIDE,
    ]) {
      expectAllowed(await getOrganisation(tenant, from(address)));
    }
    for (const address of [
      "2001:db9::1",
      "2001:db7:ffff::1",
      "2606:4700::1112",
      "2606:4700::",
      "::ffff:198.51.100.1",
      "::cb00:7107", // IPv4-compatible 203.0.113.7, not IPv4-mapped
      "64:ff9b::cb00:7107", // NAT64 of 203.0.113.7
      "::1",
      OUTSIDE,
    ]) {
      expectIpNotAllowed(await getOrganisation(tenant, from(address)), address);
    }
  });

  it("an IPv4 client is not inside an IPv6 entry, nor an IPv6 client inside an IPv4 one", async () => {
    const tenant = await createTenant("allow-v6-only");
    await allow(tenant, ["::/0"], "2001:db8::1");
    expectAllowed(await getOrganisation(tenant, from("2a00:1450::1")));
    expectIpNotAllowed(await getOrganisation(tenant, from(INSIDE)), INSIDE);
    // A mapped IPv4 client is its IPv4 address, so not inside ::/0 either.
    expectIpNotAllowed(await getOrganisation(tenant, from("::ffff:203.0.113.7")), "::ffff:203.0.113.7");

    const v4 = await createTenant("allow-v4-only");
    await allow(v4, ["0.0.0.0/0"], INSIDE);
    expectAllowed(await getOrganisation(v4, from(OUTSIDE)));
    expectAllowed(await getOrganisation(v4, from("::ffff:198.51.100.1")));
    expectIpNotAllowed(await getOrganisation(v4, from("2001:db8::1")), "2001:db8::1");
  });

  it("an IPv4-mapped entry is kept as the IPv4 address or range it carries", async () => {
    const tenant = await createTenant("allow-mapped");
    const saved = await allow(tenant, ["::ffff:203.0.113.7", "::ffff:198.51.100.0/120"], INSIDE);
    expect(saved.body.allowed_ips).toEqual([INSIDE, "198.51.100.0/24"]);
    expectAllowed(await getOrganisation(tenant, from(OUTSIDE)));
    expectAllowed(await getOrganisation(tenant, from("::ffff:203.0.113.7")));
    expectIpNotAllowed(await getOrganisation(tenant, from(ALSO_INSIDE)), ALSO_INSIDE);
  });
});

describe("what is saved", () => {
  it("a range is kept from its network address and duplicates are dropped", async () => {
    const tenant = await createTenant("allow-normal");
    const saved = await allow(
      tenant,
      [
        "10.1.2.3/8",
        "10.200.0.0/8",
        "192.0.2.1",
        " 192.0.2.1 ",
        "::ffff:192.0.2.1",
        "2001:DB8::1",
        "2001:db8:0:0::1",
        "2001:db8:abcd:1234::9/32",
      ],
      "10.9.9.9",
    );
    const normal = ["10.0.0.0/8", "192.0.2.1", "2001:db8::1", "2001:db8::/32"];
    expect(saved.body.allowed_ips).toEqual(normal);
    expect(await storedAllowlist(tenant)).toEqual(normal);
    expect((await getOrganisation(tenant, from("10.255.255.255"))).body.allowed_ips).toEqual(normal);
    expectIpNotAllowed(await getOrganisation(tenant, from("11.0.0.0")), "11.0.0.0");
  });

  it("saving the same list again writes no audit event; a change records old and new lists", async () => {
    const tenant = await createTenant("allow-audit");
    await allow(tenant, ["203.0.113.0/24"], INSIDE);
    await allow(tenant, ["203.0.113.1/24"], INSIDE);
    await allow(tenant, ["203.0.113.0/24", "198.51.100.7"], INSIDE);
    await allow(tenant, [], INSIDE);
    const events = await allowlistEvents(tenant);
    expect(events.map((event) => (event.changes as Record<string, unknown>).allowed_ips)).toEqual([
      { old: [], new: ["203.0.113.0/24"] },
      { old: ["203.0.113.0/24"], new: ["203.0.113.0/24", "198.51.100.7"] },
      { old: ["203.0.113.0/24", "198.51.100.7"], new: [] },
    ]);
    for (const event of events) expect(Object.keys(event.changes as object)).toEqual(["allowed_ips"]);
    // Emptied: anyone may come in again.
    expectAllowed(await getOrganisation(tenant, from(OUTSIDE)));
    expectAllowed(await getOrganisation(tenant, {}));
  });

  it("a list of 101 entries is refused and nothing is saved", async () => {
    const tenant = await createTenant("allow-too-many");
    await allow(tenant, ["203.0.113.0/24"], INSIDE);
    const hundred = Array.from({ length: 100 }, (_, i) => `10.0.${Math.floor(i / 10)}.${i % 10}`);
    const refused = await setAllowlist(tenant, [INSIDE, ...hundred], from(INSIDE));
    expect(refused.status, refused.text).toBe(400);
    expect(refused.body.error.code).toBe("validation_error");
    expect(Object.keys(refused.body.error.fields ?? {}).some((field) => field.startsWith("allowed_ips"))).toBe(true);
    expect(await storedAllowlist(tenant)).toEqual(["203.0.113.0/24"]);
    // A hundred is the limit, not over it.
    const saved = await allow(tenant, [INSIDE, ...hundred.slice(1)], INSIDE);
    expect(saved.body.allowed_ips).toHaveLength(100);
  });

  it("each malformed entry is a 400 naming its index, and nothing is saved", async () => {
    const tenant = await createTenant("allow-malformed");
    await allow(tenant, ["203.0.113.0/24", "2001:db8::/32"], INSIDE);
    const before = (await allowlistEvents(tenant)).length;
    const malformed = [
      "300.1.1.1",
      "10.0.0.0/33",
      "example.com",
      "1.2.3",
      "fe80::1%eth0",
      "0x7f.1",
      "127.1",
      "010.0.0.1",
      "10.0.0.0/",
      "10.0.0.0/8/8",
      "10.0.0.0/-1",
      "10.0.0.0/ 8",
      "2001:db8::/129",
      "2001:db8:::1",
      "",
      "*",
    ];
    for (const entry of malformed) {
      const refused = await setAllowlist(tenant, ["198.51.100.7", INSIDE, entry], from(INSIDE));
      expectValidationError(refused, ["allowed_ips.2"]);
      expect(refused.body.error.fields["allowed_ips.2"]).toHaveLength(1);
    }
    // Every malformed entry is named, none skipped, whatever its place.
    const several = await setAllowlist(tenant, ["300.1.1.1", INSIDE, "example.com", "fe80::1%eth0"], from(INSIDE), {
      confirm_lockout: true,
    });
    expectValidationError(several, ["allowed_ips.0", "allowed_ips.2", "allowed_ips.3"]);
    const organisation = await getOrganisation(tenant, from(INSIDE));
    expectAllowed(organisation);
    expect(organisation.body.allowed_ips).toEqual(["203.0.113.0/24", "2001:db8::/32"]);
    expect(await allowlistEvents(tenant)).toHaveLength(before);
    // Still enforced as it was.
    expectIpNotAllowed(await getOrganisation(tenant, from("198.51.100.7")), "198.51.100.7");
  });
});

describe("forged client addresses", () => {
  it("X-Forwarded-For and X-Real-IP carrying an allowed address change nothing", async () => {
    const tenant = await createTenant("allow-forged");
    await allow(tenant, ["203.0.113.0/24"], INSIDE);
    const forgeries: Record<string, string>[] = [
      { "x-forwarded-for": INSIDE },
      { "x-forwarded-for": `${INSIDE}, ${ALSO_INSIDE}` },
      { "x-forwarded-for": `${OUTSIDE}, ${INSIDE}` },
      { "x-real-ip": INSIDE },
      { "x-forwarded-for": INSIDE, "x-real-ip": INSIDE, forwarded: `for=${INSIDE}`, "true-client-ip": INSIDE },
    ];
    for (const forged of forgeries) {
      expectIpNotAllowed(await getOrganisation(tenant, from(OUTSIDE, forged)), OUTSIDE);
      expectIpNotAllowed(await listMembers(tenant, from(OUTSIDE, forged)), OUTSIDE);
      expectIpNotAllowed(await getOrganisation(tenant, forged), null);
    }
    // Nor does a forged address outside the list refuse a request Cloudflare saw from inside it.
    expectAllowed(
      await getOrganisation(tenant, from(ALSO_INSIDE, { "x-forwarded-for": OUTSIDE, "x-real-ip": OUTSIDE })),
    );
  });

  it("the audit event of a write records the CF-Connecting-IP address, not the forged one", async () => {
    const tenant = await createTenant("allow-forged-audit");
    const saved = await setAllowlist(
      tenant,
      ["203.0.113.0/24"],
      from(INSIDE, { "x-forwarded-for": "198.51.100.9", "x-real-ip": "198.51.100.10" }),
    );
    expect(saved.status, saved.text).toBe(200);
    const renamed = await call("PATCH", `/v1/organisations/${tenant.id}`, {
      token: tenant.people.owner.token,
      headers: from(ALSO_INSIDE, { "x-forwarded-for": INSIDE, "x-real-ip": "198.51.100.10" }),
      body: { name: `Renamed ${uniqueSuffix()}` },
    });
    expect(renamed.status, renamed.text).toBe(200);
    const events = (await auditTrail(tenant.uuid)).filter((event) => event.action === "organisation.updated");
    expect(events.map((event) => [Object.keys(event.changes as object), event.ipAddress])).toEqual([
      [["allowed_ips"], INSIDE],
      [["name"], ALSO_INSIDE],
    ]);
    const listed = await call("GET", `/v1/audit-events?organisation_id=${tenant.id}&action=organisation.updated`, {
      token: tenant.people.owner.token,
      headers: from(INSIDE),
    });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.data.map((event: { ip_address: string }) => event.ip_address)).toEqual([ALSO_INSIDE, INSIDE]);
  });
});

describe("service accounts", () => {
  it("are refused from outside the list the same way, and admitted from inside it", async () => {
    const tenant = await createTenant("allow-robot");
    const token = tenant.serviceAccount.token;
    expectAllowed(await getOrganisation(tenant, from(OUTSIDE), token));
    await allow(tenant, ["203.0.113.0/24", "2001:db8::/32"], INSIDE);

    expectAllowed(await getOrganisation(tenant, from(ALSO_INSIDE), token));
    expectAllowed(await listMembers(tenant, from("2001:db8::42"), token));
    expectAllowed(await call("GET", "/v1/members", { token, headers: from(ALSO_INSIDE) }));

    expectIpNotAllowed(await getOrganisation(tenant, from(OUTSIDE), token), OUTSIDE);
    expectIpNotAllowed(await listMembers(tenant, from(OUTSIDE), token), OUTSIDE);
    // The organisation a service account acts for is implied, and still refused.
    expectIpNotAllowed(await call("GET", "/v1/members", { token, headers: from(OUTSIDE) }), OUTSIDE);
    expectIpNotAllowed(
      await listMembers(tenant, from(OUTSIDE, { "x-forwarded-for": INSIDE, "x-real-ip": INSIDE }), token),
      OUTSIDE,
    );
    expectIpNotAllowed(await listMembers(tenant, {}, token), null);
    // A service account's writes too.
    const invite = await call("POST", "/v1/invitations", {
      token,
      headers: from(OUTSIDE),
      body: {
        organisation_id: tenant.id,
        email: `robot-${uniqueSuffix()}@example.test`,
        role_id: tenant.roleIds.member,
      },
    });
    expectIpNotAllowed(invite, OUTSIDE);
  });
});

describe("the lock-out guard", () => {
  it("409 for a list without your own address; confirmed, it locks you out until an administrator lifts it", async () => {
    const tenant = await createTenant("allow-lockout");
    const eventsBefore = (await auditTrail(tenant.uuid)).length;

    const refused = await setAllowlist(tenant, ["203.0.113.0/24"], from(OUTSIDE));
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "conflict", ip_address: OUTSIDE });
    expect(refused.body.error.message).toContain(OUTSIDE);
    // No address at all is never in the list.
    const anonymous = await setAllowlist(tenant, ["203.0.113.0/24"], {});
    expect(anonymous.status, anonymous.text).toBe(409);
    expect(anonymous.body.error).toMatchObject({ code: "conflict", ip_address: null });
    // A forged X-Forwarded-For does not make the list include you.
    const forged = await setAllowlist(tenant, ["203.0.113.0/24"], from(OUTSIDE, { "x-forwarded-for": INSIDE }));
    expect(forged.status, forged.text).toBe(409);
    const unconfirmed = await setAllowlist(tenant, ["203.0.113.0/24"], from(OUTSIDE), { confirm_lockout: false });
    expect(unconfirmed.status, unconfirmed.text).toBe(409);

    expect(await storedAllowlist(tenant)).toEqual([]);
    expect(await auditTrail(tenant.uuid)).toHaveLength(eventsBefore);
    expectAllowed(await getOrganisation(tenant, from(OUTSIDE)));

    // Confirmed: saved, and the very next request is refused.
    const confirmed = await setAllowlist(tenant, ["203.0.113.0/24"], from(OUTSIDE), { confirm_lockout: true });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body.allowed_ips).toEqual(["203.0.113.0/24"]);
    expectIpNotAllowed(await getOrganisation(tenant, from(OUTSIDE)), OUTSIDE);
    expectIpNotAllowed(await setAllowlist(tenant, [], from(OUTSIDE)), OUTSIDE);
    const saved = await allowlistEvents(tenant);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.ipAddress).toBe(OUTSIDE);

    // A platform administrator is not the organisation's caller: the list does not refuse them.
    const lifted = await administer(tenant, { allowed_ips: [] }, from(OUTSIDE));
    expect(lifted.body.allowed_ips).toEqual([]);
    expect(await storedAllowlist(tenant)).toEqual([]);
    expectAllowed(await getOrganisation(tenant, from(OUTSIDE)));
    expectAllowed(await listMembers(tenant, from(OUTSIDE)));
    expectAllowed(await getOrganisation(tenant, {}));
    const events = await allowlistEvents(tenant);
    expect(events.map((event) => (event.changes as Record<string, unknown>).allowed_ips)).toEqual([
      { old: [], new: ["203.0.113.0/24"] },
      { old: ["203.0.113.0/24"], new: [] },
    ]);
  });

  it("an empty list, or one that includes you, needs no confirmation", async () => {
    const tenant = await createTenant("allow-no-confirm");
    expectAllowed(await setAllowlist(tenant, [], {}));
    expectAllowed(await setAllowlist(tenant, ["198.51.100.0/24", "2001:db8::/32"], from("2001:db8::7")));
    expectAllowed(await setAllowlist(tenant, ["2001:db8::/32", "::ffff:203.0.113.7"], from("2001:db8::7")));
    expectAllowed(await setAllowlist(tenant, ["::ffff:203.0.113.7"], from("2001:db8::7"), { confirm_lockout: true }));
    expectAllowed(await getOrganisation(tenant, from(INSIDE)));
    expectAllowed(await setAllowlist(tenant, [], from(INSIDE)));
  });

  it("a platform administrator may set any list, and normalises it the same way", async () => {
    const tenant = await createTenant("allow-admin-set");
    const set = await administer(tenant, { allowed_ips: ["203.0.113.9/24", "203.0.113.0/24"] });
    expect(set.body.allowed_ips).toEqual(["203.0.113.0/24"]);
    expectIpNotAllowed(await getOrganisation(tenant, from(OUTSIDE)), OUTSIDE);
    expectAllowed(await getOrganisation(tenant, from(INSIDE)));
    const malformed = await call("PATCH", `/v1/platform/organisations/${tenant.id}`, {
      token: await platformAdminToken(),
      body: { allowed_ips: [INSIDE, "example.com"] },
    });
    expectValidationError(malformed, ["allowed_ips.1"]);
    expect(await storedAllowlist(tenant)).toEqual(["203.0.113.0/24"]);
  });
});

describe("the plan gate", () => {
  it("on free, the PUT is 403 feature_not_in_plan and nothing is saved", async () => {
    const tenant = await createTenant("allow-free", { plan: "free" });
    const refused = await setAllowlist(tenant, ["203.0.113.0/24"], from(INSIDE));
    expect(refused.status, refused.text).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "feature_not_in_plan", feature: "ip_allowlist", plan: "free" });
    expect(refused.body.error.upgrade_url).toMatch(/^https:\/\//);
    const confirmed = await setAllowlist(tenant, ["203.0.113.0/24"], from(OUTSIDE), { confirm_lockout: true });
    expect(confirmed.status, confirmed.text).toBe(403);
    expect(confirmed.body.error.code).toBe("feature_not_in_plan");
    expect(await storedAllowlist(tenant)).toEqual([]);
    expect(await allowlistEvents(tenant)).toHaveLength(0);
    expectAllowed(await getOrganisation(tenant, from(OUTSIDE)));
  });

  it("a list saved on pro is kept but not enforced on free, and enforced again back on pro", async () => {
    const tenant = await createTenant("allow-downgrade", { plan: "pro" });
    await allow(tenant, ["203.0.113.0/24"], INSIDE);
    expectIpNotAllowed(await getOrganisation(tenant, from(OUTSIDE)), OUTSIDE);

    await administer(tenant, { plan: "free" });
    const onFree = await getOrganisation(tenant, from(OUTSIDE));
    expectAllowed(onFree);
    expect(onFree.body).toMatchObject({ plan: "free", allowed_ips: ["203.0.113.0/24"] });
    expectAllowed(await listMembers(tenant, from(OUTSIDE)));
    expectAllowed(await listMembers(tenant, {}, tenant.serviceAccount.token));
    // The list cannot be changed while the plan lacks the feature.
    const change = await setAllowlist(tenant, [], from(OUTSIDE));
    expect(change.status, change.text).toBe(403);
    expect(change.body.error).toMatchObject({ code: "feature_not_in_plan", feature: "ip_allowlist" });
    expect(await storedAllowlist(tenant)).toEqual(["203.0.113.0/24"]);

    await administer(tenant, { plan: "pro" });
    expectIpNotAllowed(await getOrganisation(tenant, from(OUTSIDE)), OUTSIDE);
    expectIpNotAllowed(await listMembers(tenant, from(OUTSIDE), tenant.serviceAccount.token), OUTSIDE);
    expectAllowed(await getOrganisation(tenant, from(ALSO_INSIDE)));
  });

  it("a feature override decides as the plan would: off stops enforcement, on starts it on free", async () => {
    const tenant = await createTenant("allow-override");
    await allow(tenant, ["203.0.113.0/24"], INSIDE);
    await administer(tenant, { overrides: { features: { ip_allowlist: false } } });
    expectAllowed(await getOrganisation(tenant, from(OUTSIDE)));
    await administer(tenant, { overrides: { features: { ip_allowlist: null } } });
    expectIpNotAllowed(await getOrganisation(tenant, from(OUTSIDE)), OUTSIDE);

    const free = await createTenant("allow-override-free", { plan: "free" });
    await administer(free, { overrides: { features: { ip_allowlist: true } } });
    await allow(free, ["203.0.113.0/24"], INSIDE);
    expectIpNotAllowed(await getOrganisation(free, from(OUTSIDE)), OUTSIDE);
  });
});

describe("untenanted routes", () => {
  it("are not refused by an organisation's allowlist, nor are the person's other organisations", async () => {
    const tenant = await createTenant("allow-untenanted");
    const token = tenant.people.owner.token;
    const other = await call("POST", "/v1/organisations", {
      token,
      headers: from(INSIDE),
      body: { name: `Elsewhere ${uniqueSuffix()}` },
    });
    expect(other.status, other.text).toBe(201);
    await allow(tenant, ["203.0.113.0/24"], INSIDE);
    expectIpNotAllowed(await getOrganisation(tenant, from(OUTSIDE)), OUTSIDE);

    for (const headers of [from(OUTSIDE), {}]) {
      const listed = await call("GET", "/v1/organisations", { token, headers });
      expectAllowed(listed);
      const ids = listed.body.data.map((organisation: { id: string }) => organisation.id);
      expect(ids).toEqual(expect.arrayContaining([tenant.id, other.body.id]));
      expectAllowed(await call("GET", "/v1/users/me", { token, headers }));
      // Another organisation of the same person, without a list, is not refused.
      expectAllowed(await call("GET", `/v1/organisations/${other.body.id}`, { token, headers }));
    }
    const created = await call("POST", "/v1/organisations", {
      token,
      headers: from(OUTSIDE),
      body: { name: `Another ${uniqueSuffix()}` },
    });
    expect(created.status, created.text).toBe(201);
  });
});
