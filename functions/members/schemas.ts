import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { type Membership, memberships, type Role, roles, type User, users } from "../../schema";
import type { Queryable } from "../platform/db";
import { notFound } from "../platform/errors";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { ACCESS_LIST_EXAMPLE, type AccessList, accessListFields, presentAccessPrograms } from "../programs/grants";
import { presentRoleSummary, RoleSummarySchema } from "../roles/schemas";

export const MemberSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.membership),
    object: z.literal("member"),
    organisation_id: typeIdOut(ID_PREFIX.organisation),
    user: z.object({
      id: typeIdOut(ID_PREFIX.user),
      email: z.string().max(254).nullable(),
      name: z.string().max(200).nullable(),
    }),
    role: RoleSummarySchema,
    created_at: timestampOut(),
    updated_at: timestampOut(),
  })
  .openapi("Member");

export const MemberIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.membership).openapi({ param: { name: "id", in: "path" } }),
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
  .object({ object: z.literal("access_list"), member_id: typeIdOut(ID_PREFIX.membership), ...accessListFields })
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
