import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { type Membership, memberships, type Role, roles, type User, users } from "../../schema";
import type { Queryable } from "../platform/db";
import { notFound } from "../platform/errors";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { ACCESS_LIST_EXAMPLE, type AccessList, accessListFields, presentAccessPrograms } from "../programs/grants";
import { presentRoleSummary, RoleSummarySchema } from "../roles/schemas";

export const MEMBER_EXAMPLE = {
  id: "mem_01h455vb4pex5vsknk084sn02q",
  object: "member",
  organisation_id: "org_01h455vb4pex5vsknk084sn02q",
  user: { id: "usr_01h455vb4pex5vsknk084sn02q", email: "alice@example.com", name: "Alice Example" },
  role: { id: "role_01h455vb4pex5vsknk084sn02q", key: "manager", name: "Manager", global_access: false },
  created_at: "2025-11-30T09:00:00.000Z",
  updated_at: "2026-01-15T14:30:00.000Z",
};

export const MemberSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.membership).openapi({ description: "The membership's id (`mem_...`)." }),
    object: z.literal("member").openapi({ description: "Always `member`." }),
    organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({
      description: "The organisation it is a membership of.",
    }),
    user: z
      .object({
        id: typeIdOut(ID_PREFIX.user).openapi({ description: "The person's user id." }),
        email: z
          .string()
          .max(254)
          .nullable()
          .openapi({ description: "Their email, as their sign-in token last carried it; null if it carried none." }),
        name: z.string().max(200).nullable().openapi({
          description: "The name they chose (PATCH /v1/users/me), else their sign-in token's; null if neither.",
        }),
      })
      .openapi({ description: "The person who is the member." }),
    role: RoleSummarySchema,
    created_at: timestampOut().openapi({ description: "When they joined the organisation." }),
    updated_at: timestampOut().openapi({ description: "When their membership (their role) last changed." }),
  })
  .openapi("Member", {
    example: MEMBER_EXAMPLE,
  });

export const MemberIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.membership).openapi({
    param: { name: "id", in: "path" },
    description: "The membership's id (`mem_...`); one in another organisation is a 404.",
  }),
});

export interface MemberRow {
  membership: Membership;
  user: User;
  role: Role;
}

export function presentMember({ membership, user, role }: MemberRow) {
  return {
    id: toTypeId(ID_PREFIX.membership, membership.id),
    object: "member" as const,
    organisation_id: toTypeId(ID_PREFIX.organisation, membership.organisationId),
    user: { id: toTypeId(ID_PREFIX.user, user.id), email: user.email, name: user.name },
    role: presentRoleSummary(role),
    created_at: membership.createdAt.toISOString(),
    updated_at: membership.updatedAt.toISOString(),
  };
}

/** A membership with its user and role, for presenting. */
/** The member list's filters: GET /v1/members and its export take the same ones. */
export const memberFilters = {
  organisation_id: typeIdSchema(ID_PREFIX.organisation)
    .optional()
    .openapi({ description: "Required for people; a service account's token implies it." }),
  role_id: typeIdSchema(ID_PREFIX.role).optional().openapi({ description: "Only members with this role." }),
};

export function selectMembers(db: Queryable) {
  return db
    .select({ membership: memberships, user: users, role: roles })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .$dynamic();
}

/** One member; `lock` holds the membership row for the rest of the transaction. */
export async function memberById(db: Queryable, id: string, options: { lock?: boolean } = {}): Promise<MemberRow> {
  const query = selectMembers(db).where(eq(memberships.id, id)).limit(1);
  const [row] = options.lock ? await query.for("update", { of: memberships }) : await query;
  if (!row) throw notFound("member");
  return row;
}

export const MemberAccessListSchema = z
  .object({
    object: z.literal("access_list").openapi({ description: "Always `access_list`." }),
    member_id: typeIdOut(ID_PREFIX.membership).openapi({ description: "The member whose list it is." }),
    ...accessListFields,
    organisation_id: accessListFields.organisation_id.openapi({ description: "The member's organisation." }),
  })
  .openapi("MemberAccessList", {
    example: { object: "access_list", member_id: "mem_01h455vb4pex5vsknk084sn02q", ...ACCESS_LIST_EXAMPLE },
  });

export function presentMemberAccess(memberId: string, organisationId: string, list: AccessList) {
  return {
    object: "access_list" as const,
    member_id: toTypeId(ID_PREFIX.membership, memberId),
    organisation_id: toTypeId(ID_PREFIX.organisation, organisationId),
    global_access: list.globalAccess,
    programs: presentAccessPrograms(list),
  };
}
