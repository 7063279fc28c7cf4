import { z } from "@hono/zod-openapi";
import { fromUUID, TypeID } from "typeid-js";

/** TypeID prefix of every resource; ids are stored as UUIDs and shown as `<prefix>_<base32>`. */
export const ID_PREFIX = {
  organisation: "org",
  user: "usr",
  membership: "mem",
  role: "role",
  service_account: "sa",
  credential: "cred",
  audit_event: "evt",
  invitation: "inv",
  program: "prg",
  program_application: "papp",
  opportunity: "opp",
  payment_unit: "pu",
  deliver_unit: "du",
  delivery_type: "dt",
  skill: "skl",
  opportunity_interest: "oint",
  export: "exp",
  calendar_feed: "calf",
} as const;

export type IdPrefix = (typeof ID_PREFIX)[keyof typeof ID_PREFIX];

/** The prefix of each resource type named in audit events. */
export const RESOURCE_ID_PREFIX: Record<string, IdPrefix> = {
  organisation: ID_PREFIX.organisation,
  user: ID_PREFIX.user,
  member: ID_PREFIX.membership,
  role: ID_PREFIX.role,
  service_account: ID_PREFIX.service_account,
  service_account_credential: ID_PREFIX.credential,
  invitation: ID_PREFIX.invitation,
  program: ID_PREFIX.program,
  program_application: ID_PREFIX.program_application,
  opportunity: ID_PREFIX.opportunity,
  payment_unit: ID_PREFIX.payment_unit,
  deliver_unit: ID_PREFIX.deliver_unit,
  delivery_type: ID_PREFIX.delivery_type,
  skill: ID_PREFIX.skill,
  opportunity_interest: ID_PREFIX.opportunity_interest,
  export: ID_PREFIX.export,
  calendar_feed: ID_PREFIX.calendar_feed,
};

/** Any of our TypeIDs, whatever its prefix: its prefix and UUID, or null. */
export function parseAnyTypeId(value: string): { prefix: string; uuid: string } | null {
  try {
    const id = TypeID.fromString(value);
    return id.getType() ? { prefix: id.getType(), uuid: id.toUUID() } : null;
  } catch {
    return null;
  }
}

export function toTypeId(prefix: IdPrefix, uuid: string): string {
  return fromUUID(uuid, prefix).toString();
}

/** Parses `<prefix>_...`; returns the UUID, or null when malformed or of another prefix. */
export function parseTypeId(prefix: IdPrefix, value: string): string | null {
  try {
    const id = TypeID.fromString(value);
    return id.getType() === prefix ? id.toUUID() : null;
  } catch {
    return null;
  }
}

/** A TypeID in a path, query or body: validated against its prefix and turned into the stored UUID. */
export function typeIdSchema(prefix: IdPrefix) {
  return z
    .string()
    .max(90)
    .transform((value, ctx) => {
      const uuid = parseTypeId(prefix, value);
      if (uuid === null) {
        ctx.addIssue({ code: "custom", message: `must be an id starting with "${prefix}_"` });
        return z.NEVER;
      }
      return uuid;
    })
    .openapi({
      type: "string",
      maxLength: 90,
      example: `${prefix}_01h455vb4pex5vsknk084sn02q`,
      pattern: `^${prefix}_[0-7][0-9a-hjkmnp-tv-z]{25}$`,
    });
}

/** The response side of an id: a TypeID string. */
export function typeIdOut(prefix: IdPrefix) {
  return z
    .string()
    .max(90)
    .openapi({
      maxLength: 90,
      example: `${prefix}_01h455vb4pex5vsknk084sn02q`,
      pattern: `^${prefix}_[0-7][0-9a-hjkmnp-tv-z]{25}$`,
    });
}

/** An ISO 8601 UTC timestamp in a response. */
export const timestampOut = () => z.iso.datetime().openapi({ maxLength: 32, example: "2026-01-31T12:00:00.000Z" });

export function newRequestId(): string {
  return `req_${crypto.randomUUID().replaceAll("-", "")}`;
}
