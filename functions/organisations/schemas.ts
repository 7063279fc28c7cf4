import { z } from "@hono/zod-openapi";
import type { Organisation } from "../../schema";
import { effectiveWeights, MatchingWeightsSchema, type StoredWeights } from "../matching/weights";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";

export const OrganisationSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.organisation),
    object: z.literal("organisation"),
    name: z.string().max(100),
    exclusive_membership: z
      .boolean()
      .openapi({ description: "Members may belong to no other organisation that also requires this." }),
    program_manager: z.boolean().openapi({
      description:
        "Whether the organisation may create programs. Set by platform administrators " +
        "(PATCH /v1/platform/organisations/{id}).",
    }),
    matching_weights: MatchingWeightsSchema,
    created_at: timestampOut(),
    updated_at: timestampOut(),
  })
  .openapi("Organisation");

export const OrganisationIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.organisation).openapi({ param: { name: "id", in: "path" } }),
});

export function presentOrganisation(organisation: Organisation) {
  return {
    id: toTypeId(ID_PREFIX.organisation, organisation.id),
    object: "organisation" as const,
    name: organisation.name,
    exclusive_membership: organisation.exclusiveMembership,
    program_manager: organisation.programManager,
    matching_weights: effectiveWeights(organisation.matchingWeights as StoredWeights),
    created_at: organisation.createdAt.toISOString(),
    updated_at: organisation.updatedAt.toISOString(),
  };
}
