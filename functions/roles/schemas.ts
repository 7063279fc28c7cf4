import { z } from "@hono/zod-openapi";
import type { Role } from "../../schema";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { OWNER_ONLY_PERMISSIONS, PERMISSIONS } from "../platform/permissions";

export const PermissionSchema = z.enum(PERMISSIONS).openapi("Permission", {
  description:
    "A permission from the catalogue. `organisations:delete` and `organisations:transfer` belong to the owner " +
    "role alone; no custom role may carry them.",
});

export const RoleSummarySchema = z
  .object({
    id: typeIdOut(ID_PREFIX.role).openapi({ description: "The role's id (`role_...`)." }),
    key: z.string().max(40).nullable().openapi({
      description: "The built-in role's key (`owner`, `admin`, `manager`, `member`, `viewer`); null for a custom role.",
    }),
    name: z.string().max(100).openapi({ description: "The role's display name." }),
    global_access: z.boolean().openapi({ description: "Access to every program without per-program grants." }),
  })
  .openapi("RoleSummary", {
    description: "The role a member or service account holds (GET /v1/roles/{id} has its permissions).",
    example: { id: "role_01h455vb4pex5vsknk084sn02q", key: "manager", name: "Manager", global_access: false },
  });

export const ROLE_EXAMPLE = {
  id: "role_01h455vb4pex5vsknk084sn02q",
  object: "role",
  organisation_id: "org_01h455vb4pex5vsknk084sn02q",
  key: null,
  name: "Coordinator",
  description: "Invites volunteers and runs opportunities.",
  permissions: ["invitations:write", "opportunities:write"],
  global_access: false,
  built_in: false,
  created_at: "2025-11-30T09:00:00.000Z",
  updated_at: "2025-11-30T09:00:00.000Z",
};

export const RoleSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.role).openapi({ description: "The role's id (`role_...`)." }),
    object: z.literal("role").openapi({ description: "Always `role`." }),
    organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({
      description: "The organisation the role belongs to.",
    }),
    key: z.string().max(40).nullable().openapi({ description: "Set on built-in roles (`owner`, `admin`, ...)." }),
    name: z.string().max(100).openapi({ description: "The role's display name, unique in the organisation." }),
    description: z.string().max(500).openapi({ description: "What the role is for; may be empty." }),
    permissions: z
      .array(PermissionSchema)
      .max(50)
      .openapi({ description: "What holders may do, each at most once; the token's scope may narrow it further." }),
    global_access: z.boolean().openapi({ description: "Access to every program without per-program grants." }),
    built_in: z
      .boolean()
      .openapi({ description: "One of the five roles every organisation starts with; read-only and never deleted." }),
    created_at: timestampOut().openapi({ description: "When the role was created." }),
    updated_at: timestampOut().openapi({ description: "When the role last changed." }),
  })
  .openapi("Role", {
    example: ROLE_EXAMPLE,
  });

export function presentRoleSummary(role: Pick<Role, "id" | "key" | "name" | "globalAccess">) {
  return { id: toTypeId(ID_PREFIX.role, role.id), key: role.key, name: role.name, global_access: role.globalAccess };
}

export function presentRole(role: Role) {
  return {
    id: toTypeId(ID_PREFIX.role, role.id),
    object: "role" as const,
    organisation_id: toTypeId(ID_PREFIX.organisation, role.organisationId),
    key: role.key,
    name: role.name,
    description: role.description,
    permissions: role.permissions as z.infer<typeof PermissionSchema>[],
    global_access: role.globalAccess,
    built_in: role.builtIn,
    created_at: role.createdAt.toISOString(),
    updated_at: role.updatedAt.toISOString(),
  };
}

export const RoleIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.role).openapi({
    param: { name: "id", in: "path" },
    description: "The role's id (`role_...`); one of another organisation is a 404.",
  }),
});

/** Permissions a custom role may carry: the catalogue minus what only the owner holds. */
export const GrantablePermission = PermissionSchema.refine(
  (permission) => !OWNER_ONLY_PERMISSIONS.includes(permission),
  "is held by the owner alone",
);
