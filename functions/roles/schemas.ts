import { z } from "@hono/zod-openapi";
import type { Role } from "../../schema";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { OWNER_ONLY_PERMISSIONS, PERMISSIONS } from "../platform/permissions";

export const PermissionSchema = z.enum(PERMISSIONS).openapi("Permission");

export const RoleSummarySchema = z
  .object({
    id: typeIdOut(ID_PREFIX.role),
    key: z.string().max(40).nullable(),
    name: z.string().max(100),
    global_access: z.boolean(),
  })
  .openapi("RoleSummary");

export const RoleSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.role),
    object: z.literal("role"),
    organisation_id: typeIdOut(ID_PREFIX.organisation),
    key: z.string().max(40).nullable().openapi({ description: "Set on built-in roles (`owner`, `admin`, ...)." }),
    name: z.string().max(100),
    description: z.string().max(500),
    permissions: z.array(PermissionSchema).max(50),
    global_access: z.boolean().openapi({ description: "Access to every program without per-program grants." }),
    built_in: z.boolean(),
    created_at: timestampOut(),
    updated_at: timestampOut(),
  })
  .openapi("Role");

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
  id: typeIdSchema(ID_PREFIX.role).openapi({ param: { name: "id", in: "path" } }),
});

/** Permissions a custom role may carry: the catalogue minus what only the owner holds. */
export const GrantablePermission = PermissionSchema.refine(
  (permission) => !OWNER_ONLY_PERMISSIONS.includes(permission),
  "is held by the owner alone",
);
