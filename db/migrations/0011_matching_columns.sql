DROP INDEX "volunteer_profiles_match_tokens_idx";--> statement-breakpoint
ALTER TABLE "opportunities" ADD COLUMN "match_required_set" integer;--> statement-breakpoint
CREATE INDEX "opportunities_match_required_set_idx" ON "opportunities" USING btree ("match_required_set") WHERE status = 'open' and visibility = 'public';--> statement-breakpoint
ALTER TABLE "volunteer_profiles" DROP COLUMN "match_tokens";