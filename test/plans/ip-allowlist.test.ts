// The IP allowlist, enforced (what is saved: ip-allowlist-saving.test.ts): PUT /v1/organisations/{id}/ip-allowlist saves a normalised list (400 naming a malformed entry,
// 409 for a list that would lock the caller out unless confirmed), and while it is not empty every request for the
// organisation, by people and service accounts alike, must come from a listed address (the one in
// CF-Connecting-IP, never X-Forwarded-For or X-Real-IP), or it is 403 ip_not_allowed. Only plans with the
// ip_allowlist feature enforce it; untenanted routes are never refused by it; a platform administrator lifts it.
import { describe, expect, it } from "vitest";
import { auditTrail, call, createTenant, uniqueSuffix } from "../harness";
import {
  ALSO_INSIDE,
  allow,
  expectAllowed,
  expectIpNotAllowed,
  from,
  getOrganisation,
  INSIDE,
  listMembers,
  OUTSIDE,
  setAllowlist,
  storedAllowlist,
} from "./ip-allowlist-helpers";

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
