CREATE TABLE "vendor_profiles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"vendor_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"service_kinds" text[] DEFAULT '{}'::text[] NOT NULL,
	"data_categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"key_custody" text,
	"fedramp" text DEFAULT 'none' NOT NULL,
	"stateramp" text DEFAULT 'none' NOT NULL,
	"soc2" text DEFAULT 'none' NOT NULL,
	"security_contact_name" text,
	"security_contact_email" text,
	"security_contact_phone" text,
	"legal_notice_address" text,
	"legal_notice_email" text,
	"notes" text,
	"updated_by" uuid,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vendor_storage_locations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"profile_id" uuid NOT NULL,
	"data_category" text NOT NULL,
	"country" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vendors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"legal_name" text NOT NULL,
	"trade_name" text,
	"headquarters" text NOT NULL,
	"headquarters_country" text NOT NULL,
	"registered_by" uuid,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contract_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"stage" text NOT NULL,
	"filename" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"note" text,
	"uploaded_by" uuid,
	"uploaded_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "contract_documents_version" UNIQUE("contract_id","version")
);
--> statement-breakpoint
CREATE TABLE "contract_frameworks" (
	"contract_id" uuid NOT NULL,
	"framework_id" uuid NOT NULL,
	CONSTRAINT "contract_frameworks_contract_id_framework_id_pk" PRIMARY KEY("contract_id","framework_id")
);
--> statement-breakpoint
CREATE TABLE "contract_shares" (
	"contract_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"shared_by" uuid,
	"shared_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "contract_shares_contract_id_agency_id_pk" PRIMARY KEY("contract_id","agency_id")
);
--> statement-breakpoint
CREATE TABLE "contract_terms" (
	"contract_id" uuid PRIMARY KEY NOT NULL,
	"breach_notice_hours" integer DEFAULT 1 NOT NULL,
	"legal_process_notice_hours" integer DEFAULT 72 NOT NULL,
	"audit_interval_months" integer DEFAULT 12 NOT NULL,
	"min_cyber_insurance_cents" bigint,
	"availability_critical" numeric(6, 3),
	"availability_essential" numeric(6, 3),
	"availability_standard" numeric(6, 3),
	"availability_archive" numeric(6, 3),
	"location_change_notice_days" integer DEFAULT 30 NOT NULL,
	"personnel_roster_required" boolean DEFAULT false NOT NULL,
	"cjis_framework_id" uuid,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "contract_terms_windows_positive" CHECK ("contract_terms"."breach_notice_hours" > 0 and "contract_terms"."legal_process_notice_hours" > 0 and "contract_terms"."audit_interval_months" > 0 and "contract_terms"."location_change_notice_days" >= 0),
	CONSTRAINT "contract_terms_insurance_not_negative" CHECK ("contract_terms"."min_cyber_insurance_cents" is null or "contract_terms"."min_cyber_insurance_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "contracts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"vendor_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"parent_id" uuid,
	"title" text NOT NULL,
	"reference" text,
	"services" text DEFAULT '' NOT NULL,
	"value_cents" bigint,
	"stage" text DEFAULT 'draft' NOT NULL,
	"signed_on" date,
	"effective_on" date,
	"ends_on" date,
	"auto_renew" boolean DEFAULT false NOT NULL,
	"renewal_term_months" integer,
	"notice_period_days" integer,
	"terminated_on" date,
	"termination_reason" text,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "contracts_value_not_negative" CHECK ("contracts"."value_cents" is null or "contracts"."value_cents" >= 0),
	CONSTRAINT "contracts_end_after_start" CHECK ("contracts"."ends_on" is null or "contracts"."effective_on" is null or "contracts"."ends_on" >= "contracts"."effective_on"),
	CONSTRAINT "contracts_terminated_has_date" CHECK (("contracts"."stage" = 'terminated') = ("contracts"."terminated_on" is not null))
);
--> statement-breakpoint
CREATE TABLE "coverage_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"requirement_id" uuid NOT NULL,
	"changed_by" uuid,
	"changed_at" timestamp (3) with time zone NOT NULL,
	"before" jsonb,
	"after" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coverage_entries" (
	"contract_id" uuid NOT NULL,
	"requirement_id" uuid NOT NULL,
	"status" text NOT NULL,
	"section" text DEFAULT '' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"reason" text,
	"updated_by" uuid,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "coverage_entries_contract_id_requirement_id_pk" PRIMARY KEY("contract_id","requirement_id"),
	CONSTRAINT "coverage_entries_reason_when_not_applicable" CHECK ("coverage_entries"."status" <> 'not-applicable' or coalesce("coverage_entries"."reason", '') <> '')
);
--> statement-breakpoint
ALTER TABLE "vendor_profiles" ADD CONSTRAINT "vendor_profiles_vendor_id_vendors_id_fk" FOREIGN KEY ("vendor_id") REFERENCES "public"."vendors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_profiles" ADD CONSTRAINT "vendor_profiles_agency_id_organisations_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_profiles" ADD CONSTRAINT "vendor_profiles_updated_by_people_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_storage_locations" ADD CONSTRAINT "vendor_storage_locations_profile_id_vendor_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."vendor_profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendors" ADD CONSTRAINT "vendors_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendors" ADD CONSTRAINT "vendors_registered_by_organisations_id_fk" FOREIGN KEY ("registered_by") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_documents" ADD CONSTRAINT "contract_documents_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_documents" ADD CONSTRAINT "contract_documents_uploaded_by_people_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_frameworks" ADD CONSTRAINT "contract_frameworks_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_frameworks" ADD CONSTRAINT "contract_frameworks_framework_id_catalog_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."catalog_frameworks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_shares" ADD CONSTRAINT "contract_shares_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_shares" ADD CONSTRAINT "contract_shares_agency_id_organisations_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_shares" ADD CONSTRAINT "contract_shares_shared_by_people_id_fk" FOREIGN KEY ("shared_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_terms" ADD CONSTRAINT "contract_terms_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_terms" ADD CONSTRAINT "contract_terms_cjis_framework_id_catalog_frameworks_id_fk" FOREIGN KEY ("cjis_framework_id") REFERENCES "public"."catalog_frameworks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_agency_id_organisations_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_vendor_id_vendors_id_fk" FOREIGN KEY ("vendor_id") REFERENCES "public"."vendors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_parent_id_contracts_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coverage_changes" ADD CONSTRAINT "coverage_changes_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coverage_changes" ADD CONSTRAINT "coverage_changes_requirement_id_catalog_requirements_id_fk" FOREIGN KEY ("requirement_id") REFERENCES "public"."catalog_requirements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coverage_changes" ADD CONSTRAINT "coverage_changes_changed_by_people_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coverage_entries" ADD CONSTRAINT "coverage_entries_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coverage_entries" ADD CONSTRAINT "coverage_entries_requirement_id_catalog_requirements_id_fk" FOREIGN KEY ("requirement_id") REFERENCES "public"."catalog_requirements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coverage_entries" ADD CONSTRAINT "coverage_entries_updated_by_people_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "vendor_profiles_vendor_agency" ON "vendor_profiles" USING btree ("vendor_id","agency_id");--> statement-breakpoint
CREATE INDEX "vendor_profiles_agency" ON "vendor_profiles" USING btree ("agency_id");--> statement-breakpoint
CREATE INDEX "vendor_storage_locations_profile" ON "vendor_storage_locations" USING btree ("profile_id");--> statement-breakpoint
CREATE UNIQUE INDEX "vendors_organisation" ON "vendors" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "vendors_legal_name" ON "vendors" USING btree (lower("legal_name"));--> statement-breakpoint
CREATE INDEX "contract_documents_sha256" ON "contract_documents" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "contract_shares_agency" ON "contract_shares" USING btree ("agency_id");--> statement-breakpoint
CREATE INDEX "contracts_agency" ON "contracts" USING btree ("agency_id");--> statement-breakpoint
CREATE INDEX "contracts_vendor" ON "contracts" USING btree ("vendor_id");--> statement-breakpoint
CREATE INDEX "coverage_changes_entry" ON "coverage_changes" USING btree ("contract_id","requirement_id","changed_at");