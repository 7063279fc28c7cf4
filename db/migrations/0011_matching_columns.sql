DROP INDEX "volunteer_profiles_match_tokens_idx";--> statement-breakpoint
ALTER TABLE "opportunities" ADD COLUMN "match_required_set" integer;--> statement-breakpoint
ALTER TABLE "volunteer_profiles" DROP COLUMN "match_tokens";