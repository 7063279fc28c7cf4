// The test harness: requests through the real app inside workerd, tokens minted like an identity provider
// would, tenants seeded with every built-in role and a service account, and a database handle for assertions.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, asc, count, eq } from "drizzle-orm";
import { importJWK, type JWK, SignJWT } from "jose";
import { Webhook } from "standardwebhooks";
import { expect, inject } from "vitest";
import gateway from "../functions/gateway";
import { createDatabase, type Database } from "../functions/platform/db";
import type { Env } from "../functions/platform/env";
import { ID_PREFIX, parseTypeId, toTypeId } from "../functions/platform/ids";
import { BUILT_IN_ROLES, type BuiltInRoleKey, SCOPES } from "../functions/platform/permissions";
import {
  type AuditAction,
  auditEvents,
  invitations,
  memberships,
  organisations,
  roles,
  serviceAccountCredentials,
  serviceAccounts,
  users,
} from "../schema";
import { expectWithinContract } from "./contract-schemas";
import type { Quirk } from "./quirky-provider";

/** The test bindings (vitest.config.ts): every variable the suites read is set. */
export type TestEnv = Env &
  Required<
    Pick<
      Env,
      | "DATABASE_URL"
      | "AUTH_ISSUER"
      | "AUTH_AUDIENCE"
      | "AUTH_JWKS"
      | "API_ISSUER"
      | "API_SIGNING_KEYS"
      | "WEBHOOK_SECRET"
    >
  > & { TEST_IDP_PRIVATE_KEY: string; STRICT_RATE_LIMITER: RateLimit; MAX_BODY_BYTES: string };
export const testEnv = env as unknown as TestEnv;

export const BUILT_IN: readonly BuiltInRoleKey[] = BUILT_IN_ROLES.map((role) => role.key);
export type BuiltIn = BuiltInRoleKey;

export interface Reply<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (no JSON encoding, no content type unless given in headers). */
  rawBody?: BodyInit;
  headers?: Record<string, string>;
  /** Run the app with these bindings instead of the test environment's. */
  env?: Partial<TestEnv>;
  /**
   * Skip the check of the reply against the operation's declared responses. Only for a reply the test checks
   * itself against the contract, or one the contract cannot describe; say why beside it.
   */
  unchecked?: boolean;
}

export async function call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
  const headers = new Headers(options.headers);
  if (options.token !== undefined) headers.set("authorization", `Bearer ${options.token}`);
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const request = new Request(`https://api.test.muster${path}`, { method, headers, body });
  // Each request gets its own execution context, drained before the next (the pool is closed in waitUntil).
  const ctx = createExecutionContext();
  const response = await gateway.fetch!(request as never, { ...testEnv, ...options.env } as never, ctx);
  await waitOnExecutionContext(ctx);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const reply = { status: response.status, body: parsed as T, text, headers: response.headers };
  if (!options.unchecked) expectWithinContract(request.method, request.url, reply);
  return reply;
}

let signingKey: CryptoKey | undefined;
const identityProviderJwk = () => JSON.parse(testEnv.TEST_IDP_PRIVATE_KEY) as JWK;

export interface PersonTokenOptions {
  email: string;
  subject?: string;
  name?: string;
  scopes?: string[];
  claims?: Record<string, unknown>;
  issuer?: string;
  audience?: string;
  expiresIn?: string | number;
  notBefore?: string | number;
  kid?: string;
}

/** A person's token as the identity provider would sign it. */
export async function personToken(options: PersonTokenOptions): Promise<string> {
  const jwk = identityProviderJwk();
  signingKey ??= (await importJWK(jwk, "ES256")) as CryptoKey;
  const claims: Record<string, unknown> = {
    email: options.email,
    email_verified: true,
    name: options.name ?? options.email.split("@")[0],
    ...options.claims,
  };
  if (options.scopes) claims.scope = options.scopes.join(" ");
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", kid: options.kid ?? jwk.kid })
    .setIssuer(options.issuer ?? testEnv.AUTH_ISSUER)
    .setAudience(options.audience ?? testEnv.AUTH_AUDIENCE)
    .setSubject(options.subject ?? `test|${options.email}`)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "1h");
  if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
  return jwt.sign(signingKey);
}

/** A database handle for seeding what the API cannot (yet) do and for asserting what it wrote. */
export async function withDb<T>(use: (db: Database) => Promise<T>): Promise<T> {
  const { db, pool } = createDatabase(testEnv);
  try {
    return await use(db);
  } finally {
    await pool.end();
  }
}

export const uniqueSuffix = () => crypto.randomUUID().slice(0, 8);

export interface Person {
  email: string;
  memberId: string;
  userId: string;
  token: string;
}

export interface Tenant {
  id: string;
  uuid: string;
  name: string;
  roleIds: Record<BuiltIn, string>;
  people: Record<BuiltIn, Person>;
  serviceAccount: { id: string; roleId: string; clientId: string; clientSecret: string; token: string };
  /** A token for the person holding a built-in role, optionally with only some scopes. */
  tokenFor(role: BuiltIn, scopes?: string[]): Promise<string>;
}

/** An organisation with a person in every built-in role and a service account (manager role) with a credential. */
export async function createTenant(label: string): Promise<Tenant> {
  const suffix = uniqueSuffix();
  const emailFor = (role: BuiltIn) => `${role}-${suffix}@${label}.test`;
  const ownerToken = await personToken({ email: emailFor("owner") });
  const created = await call("POST", "/v1/organisations", { token: ownerToken, body: { name: `${label} ${suffix}` } });
  if (created.status !== 201) throw new Error(`tenant creation failed: ${created.status} ${created.text}`);
  const id: string = created.body.id;
  const uuid = parseTypeId(ID_PREFIX.organisation, id) as string;

  const people = {} as Record<BuiltIn, Person>;
  const roleIds = {} as Record<BuiltIn, string>;
  await withDb(async (db) => {
    const orgRoles = await db.select().from(roles).where(eq(roles.organisationId, uuid));
    for (const role of BUILT_IN) {
      const row = orgRoles.find((r) => r.key === role);
      if (!row) throw new Error(`missing role ${role}`);
      roleIds[role] = toTypeId(ID_PREFIX.role, row.id);
    }
    const [owner] = await db
      .select({ membership: memberships, user: users })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.organisationId, uuid));
    if (!owner) throw new Error("owner membership missing");
    people.owner = {
      email: emailFor("owner"),
      memberId: toTypeId(ID_PREFIX.membership, owner.membership.id),
      userId: toTypeId(ID_PREFIX.user, owner.user.id),
      token: ownerToken,
    };
    for (const role of BUILT_IN.filter((r) => r !== "owner")) {
      const email = emailFor(role);
      const [user] = await db
        .insert(users)
        .values({ issuer: testEnv.AUTH_ISSUER, subject: `test|${email}`, email, emailVerified: true, name: role })
        .returning();
      const [membership] = await db
        .insert(memberships)
        .values({ organisationId: uuid, userId: user!.id, roleId: parseTypeId(ID_PREFIX.role, roleIds[role])! })
        .returning();
      people[role] = {
        email,
        memberId: toTypeId(ID_PREFIX.membership, membership!.id),
        userId: toTypeId(ID_PREFIX.user, user!.id),
        token: await personToken({ email }),
      };
    }
  });

  const account = await call("POST", "/v1/service-accounts", {
    token: ownerToken,
    body: { organisation_id: id, name: `robot ${suffix}`, role_id: roleIds.manager },
  });
  if (account.status !== 201) throw new Error(`service account creation failed: ${account.text}`);
  const credential = await call("POST", `/v1/service-accounts/${account.body.id}/credentials`, {
    token: ownerToken,
    body: { name: "test", scopes: SCOPES },
  });
  if (credential.status !== 201) throw new Error(`credential creation failed: ${credential.text}`);
  const token = await serviceToken(credential.body.client_id, credential.body.client_secret);

  return {
    id,
    uuid,
    name: created.body.name,
    roleIds,
    people,
    serviceAccount: {
      id: account.body.id,
      roleId: roleIds.manager,
      clientId: credential.body.client_id,
      clientSecret: credential.body.client_secret,
      token,
    },
    tokenFor: (role, scopes) => personToken({ email: emailFor(role), scopes }),
  };
}

export async function serviceToken(clientId: string, clientSecret: string, scope?: string): Promise<string> {
  const reply = await call("POST", "/v1/oauth/token", {
    body: {
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
      ...(scope ? { scope } : {}),
    },
  });
  if (reply.status !== 200) throw new Error(`token exchange failed: ${reply.status} ${reply.text}`);
  return reply.body.access_token;
}

export async function auditCount(organisationUuid: string, action?: AuditAction): Promise<number> {
  return withDb(async (db) => {
    const conditions = [eq(auditEvents.organisationId, organisationUuid)];
    if (action) conditions.push(eq(auditEvents.action, action));
    const [row] = await db
      .select({ n: count() })
      .from(auditEvents)
      .where(and(...conditions));
    return row?.n ?? 0;
  });
}

/** Audit events of an organisation, oldest first. */
export async function auditTrail(organisationUuid: string) {
  return withDb((db) =>
    db.select().from(auditEvents).where(eq(auditEvents.organisationId, organisationUuid)).orderBy(asc(auditEvents.id)),
  );
}

/** Adds a person to a tenant directly (invitations come later), returning their membership and token. */
export async function addPerson(tenant: Tenant, role: BuiltIn | string, label = "extra"): Promise<Person> {
  const email = `${label}-${uniqueSuffix()}@${tenant.uuid.slice(0, 8)}.test`;
  const roleId = parseTypeId(ID_PREFIX.role, (tenant.roleIds as Record<string, string>)[role] ?? role);
  if (!roleId) throw new Error(`unknown role ${role}`);
  return withDb(async (db) => {
    const [user] = await db
      .insert(users)
      .values({ issuer: testEnv.AUTH_ISSUER, subject: `test|${email}`, email, emailVerified: true, name: label })
      .returning();
    const [membership] = await db
      .insert(memberships)
      .values({ organisationId: tenant.uuid, userId: user!.id, roleId })
      .returning();
    return {
      email,
      memberId: toTypeId(ID_PREFIX.membership, membership!.id),
      userId: toTypeId(ID_PREFIX.user, user!.id),
      token: await personToken({ email }),
    };
  });
}

/** Row counts of everything a tenant owns, to show that a refused request changed nothing. */
export async function snapshot(organisationUuid: string): Promise<Record<string, number>> {
  return withDb(async (db) => {
    const tables = {
      memberships,
      roles,
      serviceAccounts,
      serviceAccountCredentials,
      invitations,
      auditEvents,
    } as const;
    const counts: Record<string, number> = {};
    for (const [name, table] of Object.entries(tables)) {
      const [row] = await db.select({ n: count() }).from(table).where(eq(table.organisationId, organisationUuid));
      counts[name] = row?.n ?? 0;
    }
    const [organisation] = await db
      .select({ name: organisations.name, updated: organisations.updatedAt })
      .from(organisations)
      .where(eq(organisations.id, organisationUuid));
    counts.organisation = organisation ? 1 : 0;
    counts.organisationUpdatedAt = organisation?.updated.getTime() ?? 0;
    return counts;
  });
}

/** Of two racing requests exactly one succeeded, and the other was refused with this 409 code. */
export function expectOneWinner(replies: Reply[], loserCode: string) {
  const won = (reply: Reply) => reply.status >= 200 && reply.status < 300;
  expect(replies.filter(won), JSON.stringify(replies.map((reply) => reply.status))).toHaveLength(1);
  const loser = replies.find((reply) => !won(reply))!;
  expect(loser.status, loser.text).toBe(409);
  expect(loser.body.error.code).toBe(loserCode);
}

export const RACE_ROUNDS = 8;
export const RACES_PER_ROUND = 3;

/** A race run often enough to be lost: each round arranges fresh set-ups, then races them all at once. */
export async function raceRounds<T>(arrange: () => Promise<T>, race: (arranged: T) => Promise<void>): Promise<void> {
  for (let round = 0; round < RACE_ROUNDS; round++) {
    const arranged = await Promise.all(Array.from({ length: RACES_PER_ROUND }, arrange));
    await Promise.all(arranged.map(race));
  }
}

/** Standard Webhooks headers for a body, signed with the test secret (or another one, to be refused). */
export function signWebhook(
  body: unknown,
  options: { id?: string; timestamp?: Date; secret?: string } = {},
): Record<string, string> {
  const id = options.id ?? `msg_${uniqueSuffix()}${uniqueSuffix()}`;
  const timestamp = options.timestamp ?? new Date();
  const signature = new Webhook(options.secret ?? testEnv.WEBHOOK_SECRET!).sign(id, timestamp, JSON.stringify(body));
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": signature,
  };
}

export type { MailboxMessage } from "../db/local/mailbox";

/** What the email/SMS provider (the mailbox) received for one recipient; it is shared, so use unique addresses. */
export async function mailFor(recipient: string): Promise<import("../db/local/mailbox").MailboxMessage[]> {
  const response = await fetch(`${testEnv.EMAIL_PROVIDER_URL}/api/messages`);
  if (!response.ok) throw new Error(`mailbox answered ${response.status}`);
  const { messages } = (await response.json()) as { messages: import("../db/local/mailbox").MailboxMessage[] };
  return messages.filter((message) => message.to.includes(recipient));
}

/** The code in a message's invitation link. */
export function codeIn(message: { text: string }): string {
  const match = /\/invitations\/([A-Za-z0-9_-]+)/.exec(message.text);
  if (!match?.[1]) throw new Error(`no invitation link in: ${message.text}`);
  return match[1];
}

/** How many invitations a tenant holds for an email, whatever their status. */
export async function invitationsTo(tenant: Tenant, email: string): Promise<number> {
  const [row] = await withDb((db) =>
    db
      .select({ n: count() })
      .from(invitations)
      .where(and(eq(invitations.organisationId, tenant.uuid), eq(invitations.email, email))),
  );
  return row?.n ?? 0;
}

/** The audit events about one invitation, oldest first. */
export async function invitationTrail(tenant: Tenant, invitationId: string) {
  const uuid = parseTypeId(ID_PREFIX.invitation, invitationId);
  return (await auditTrail(tenant.uuid)).filter((event) => event.resourceId === uuid);
}

/** Provider URLs for a test-only provider that misbehaves as asked (test/quirky-provider.ts), for `call`'s env. */
export function quirkyProvider(quirk: Quirk): { EMAIL_PROVIDER_URL: string; SMS_PROVIDER_URL: string } {
  const url = `${inject("quirkyProviderUrl")}/${quirk}`;
  return { EMAIL_PROVIDER_URL: url, SMS_PROVIDER_URL: url };
}

/** How many sends for one recipient reached the quirky provider (counted on arrival, whatever it then answered). */
export async function quirkyReceived(recipient: string): Promise<number> {
  const response = await fetch(`${inject("quirkyProviderUrl")}/received?to=${encodeURIComponent(recipient)}`);
  if (!response.ok) throw new Error(`quirky provider answered ${response.status}`);
  return ((await response.json()) as { count: number }).count;
}

/** Lets the quirky provider answer the sends it is holding for a recipient (`slow-503`). */
export async function releaseQuirky(recipient: string): Promise<void> {
  const response = await fetch(`${inject("quirkyProviderUrl")}/release?to=${encodeURIComponent(recipient)}`, {
    method: "POST",
  });
  if (!response.ok) throw new Error(`quirky provider answered ${response.status}`);
}

/** Waits until a send for the recipient has reached the quirky provider (it is then in flight, if held). */
export async function untilQuirkyReceived(recipient: string): Promise<void> {
  for (let poll = 0; poll < 200; poll++) {
    if ((await quirkyReceived(recipient)) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no send for ${recipient} reached the quirky provider`);
}
