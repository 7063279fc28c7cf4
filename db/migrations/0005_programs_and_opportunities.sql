CREATE TABLE "delivery_types" (
	"id" uuid PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deliver_units" (
	"id" uuid PRIMARY KEY NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"payment_unit_id" uuid,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"optional" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opportunities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"program_id" uuid,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"short_description" text DEFAULT '' NOT NULL,
	"visibility" text DEFAULT 'organisation' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"total_budget" numeric(20, 4),
	"currency" text,
	"country" text,
	"delivery_type_id" uuid,
	"role" text,
	"work_environment" text NOT NULL,
	"min_hours_per_week" integer NOT NULL,
	"min_experience_years" integer,
	"meeting_times" jsonb,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple', coalesce("opportunities"."name", '')), 'A') || setweight(to_tsvector('simple', coalesce("opportunities"."role", '') || ' ' || coalesce("opportunities"."short_description", '')), 'B') || setweight(to_tsvector('simple', coalesce("opportunities"."description", '')), 'C')) STORED NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opportunities_dates_check" CHECK ("opportunities"."end_date" is null or "opportunities"."end_date" >= "opportunities"."start_date"),
	CONSTRAINT "opportunities_budget_check" CHECK ("opportunities"."total_budget" is null or "opportunities"."total_budget" >= 0)
);
--> statement-breakpoint
CREATE TABLE "opportunity_workers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"invitation_id" uuid,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_units" (
	"id" uuid PRIMARY KEY NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"parent_payment_unit_id" uuid,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"amount" numeric(20, 4) NOT NULL,
	"org_amount" numeric(20, 4) DEFAULT '0' NOT NULL,
	"max_total" integer NOT NULL,
	"max_daily" integer NOT NULL,
	"start_date" date,
	"end_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_units_caps_check" CHECK ("payment_units"."max_total" >= 1 and "payment_units"."max_daily" >= 1 and "payment_units"."max_daily" <= "payment_units"."max_total"),
	CONSTRAINT "payment_units_amounts_check" CHECK ("payment_units"."amount" >= 0 and "payment_units"."org_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "program_applications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"program_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"status" text DEFAULT 'invited' NOT NULL,
	"invited_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "program_grants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"program_id" uuid NOT NULL,
	"membership_id" uuid,
	"service_account_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "program_grants_one_holder_check" CHECK (num_nonnulls("program_grants"."membership_id", "program_grants"."service_account_id") = 1)
);
--> statement-breakpoint
CREATE TABLE "programs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"delivery_type_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"country" text NOT NULL,
	"budget" numeric(20, 4) NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programs_dates_check" CHECK ("programs"."end_date" > "programs"."start_date"),
	CONSTRAINT "programs_budget_check" CHECK ("programs"."budget" >= 0)
);
--> statement-breakpoint
DROP INDEX "invitations_pending_email_key";--> statement-breakpoint
DROP INDEX "invitations_pending_phone_key";--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "program_manager" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "deliver_units" ADD CONSTRAINT "deliver_units_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliver_units" ADD CONSTRAINT "deliver_units_payment_unit_id_payment_units_id_fk" FOREIGN KEY ("payment_unit_id") REFERENCES "public"."payment_units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_delivery_type_id_delivery_types_id_fk" FOREIGN KEY ("delivery_type_id") REFERENCES "public"."delivery_types"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_workers" ADD CONSTRAINT "opportunity_workers_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_workers" ADD CONSTRAINT "opportunity_workers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_units" ADD CONSTRAINT "payment_units_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_units" ADD CONSTRAINT "payment_units_parent_fk" FOREIGN KEY ("parent_payment_unit_id") REFERENCES "public"."payment_units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_applications" ADD CONSTRAINT "program_applications_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_applications" ADD CONSTRAINT "program_applications_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_grants" ADD CONSTRAINT "program_grants_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_grants" ADD CONSTRAINT "program_grants_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_grants" ADD CONSTRAINT "program_grants_membership_id_memberships_id_fk" FOREIGN KEY ("membership_id") REFERENCES "public"."memberships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_grants" ADD CONSTRAINT "program_grants_service_account_id_service_accounts_id_fk" FOREIGN KEY ("service_account_id") REFERENCES "public"."service_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_delivery_type_id_delivery_types_id_fk" FOREIGN KEY ("delivery_type_id") REFERENCES "public"."delivery_types"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "delivery_types_slug_key" ON "delivery_types" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "deliver_units_opportunity_slug_key" ON "deliver_units" USING btree ("opportunity_id","slug");--> statement-breakpoint
CREATE INDEX "deliver_units_opportunity_id_idx" ON "deliver_units" USING btree ("opportunity_id","id");--> statement-breakpoint
CREATE INDEX "deliver_units_payment_unit_id_idx" ON "deliver_units" USING btree ("payment_unit_id");--> statement-breakpoint
CREATE INDEX "opportunities_organisation_id_idx" ON "opportunities" USING btree ("organisation_id","id");--> statement-breakpoint
CREATE INDEX "opportunities_program_id_idx" ON "opportunities" USING btree ("program_id","id");--> statement-breakpoint
CREATE INDEX "opportunities_catalog_idx" ON "opportunities" USING btree ("id") WHERE status = 'open' and visibility = 'public';--> statement-breakpoint
CREATE INDEX "opportunities_search_idx" ON "opportunities" USING gin ("search");--> statement-breakpoint
CREATE INDEX "opportunities_delivery_type_id_idx" ON "opportunities" USING btree ("delivery_type_id");--> statement-breakpoint
CREATE UNIQUE INDEX "opportunity_workers_opportunity_user_key" ON "opportunity_workers" USING btree ("opportunity_id","user_id");--> statement-breakpoint
CREATE INDEX "opportunity_workers_user_id_idx" ON "opportunity_workers" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "payment_units_opportunity_id_idx" ON "payment_units" USING btree ("opportunity_id","id");--> statement-breakpoint
CREATE INDEX "payment_units_parent_idx" ON "payment_units" USING btree ("parent_payment_unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "program_applications_program_organisation_key" ON "program_applications" USING btree ("program_id","organisation_id");--> statement-breakpoint
CREATE INDEX "program_applications_program_id_idx" ON "program_applications" USING btree ("program_id","id");--> statement-breakpoint
CREATE INDEX "program_applications_organisation_id_idx" ON "program_applications" USING btree ("organisation_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "program_grants_membership_program_key" ON "program_grants" USING btree ("membership_id","program_id");--> statement-breakpoint
CREATE UNIQUE INDEX "program_grants_service_account_program_key" ON "program_grants" USING btree ("service_account_id","program_id");--> statement-breakpoint
CREATE INDEX "program_grants_program_id_idx" ON "program_grants" USING btree ("program_id");--> statement-breakpoint
CREATE INDEX "programs_organisation_id_idx" ON "programs" USING btree ("organisation_id","id");--> statement-breakpoint
CREATE INDEX "programs_delivery_type_id_idx" ON "programs" USING btree ("delivery_type_id");--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_pending_opportunity_phone_key" ON "invitations" USING btree ("opportunity_id","phone") WHERE status = 'pending' and phone is not null and opportunity_id is not null;--> statement-breakpoint
CREATE INDEX "invitations_opportunity_id_idx" ON "invitations" USING btree ("opportunity_id","id") WHERE opportunity_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_pending_email_key" ON "invitations" USING btree ("organisation_id","email") WHERE status = 'pending' and email is not null and opportunity_id is null;--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_pending_phone_key" ON "invitations" USING btree ("organisation_id","phone") WHERE status = 'pending' and phone is not null and opportunity_id is null;