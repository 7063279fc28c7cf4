ALTER TABLE "opportunities" ADD COLUMN "match_tokens" integer[] DEFAULT '{}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "opportunities" ADD COLUMN "match_required_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "opportunities" ADD COLUMN "match_required_levels" smallint[] DEFAULT '{}'::smallint[] NOT NULL;--> statement-breakpoint
ALTER TABLE "opportunities" ADD COLUMN "match_preferred_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "opportunities" ADD COLUMN "match_preferred_levels" smallint[] DEFAULT '{}'::smallint[] NOT NULL;--> statement-breakpoint
ALTER TABLE "volunteer_profiles" ADD COLUMN "match_tokens" integer[] DEFAULT '{}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "volunteer_profiles" ADD COLUMN "match_skill_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "volunteer_profiles" ADD COLUMN "match_skill_levels" smallint[] DEFAULT '{}'::smallint[] NOT NULL;--> statement-breakpoint
CREATE INDEX "opportunities_match_tokens_idx" ON "opportunities" USING gin ("match_tokens") WHERE status = 'open' and visibility = 'public';--> statement-breakpoint
CREATE INDEX "volunteer_profiles_match_tokens_idx" ON "volunteer_profiles" USING gin ("match_tokens") WHERE discoverable;