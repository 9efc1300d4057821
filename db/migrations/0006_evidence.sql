CREATE TABLE "evidence_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"blob_sha256" text NOT NULL,
	"key_id" text NOT NULL,
	"nonce" text NOT NULL,
	"auth_tag" text NOT NULL,
	"uploaded_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence_item_contracts" (
	"item_id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	CONSTRAINT "evidence_item_contracts_item_id_contract_id_pk" PRIMARY KEY("item_id","contract_id")
);
--> statement-breakpoint
CREATE TABLE "evidence_item_requirements" (
	"item_id" uuid NOT NULL,
	"requirement_id" uuid NOT NULL,
	CONSTRAINT "evidence_item_requirements_item_id_requirement_id_pk" PRIMARY KEY("item_id","requirement_id")
);
--> statement-breakpoint
CREATE TABLE "evidence_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"vendor_id" uuid NOT NULL,
	"kind_id" uuid NOT NULL,
	"title" text NOT NULL,
	"status" text NOT NULL,
	"due_on" date,
	"instructions" text DEFAULT '' NOT NULL,
	"internal_notes" text DEFAULT '' NOT NULL,
	"recurrence_months" integer,
	"previous_id" uuid,
	"current_version" integer DEFAULT 0 NOT NULL,
	"expires_on" date,
	"flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"requested_by" uuid,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "evidence_items_recurrence_positive" CHECK ("evidence_items"."recurrence_months" is null or "evidence_items"."recurrence_months" between 1 and 120)
);
--> statement-breakpoint
CREATE TABLE "evidence_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"issued_on" date,
	"valid_from" date,
	"expires_on" date,
	"fields" jsonb NOT NULL,
	"flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"submitted_by" uuid,
	"submitted_at" timestamp (3) with time zone NOT NULL,
	"submitted_from" text,
	"submitted_by_kind" text NOT NULL,
	"attestation_name" text,
	"attestation_title" text,
	"attestation_statement" text,
	"review_started_by" uuid,
	"review_started_at" timestamp (3) with time zone,
	"decided_by" uuid,
	"decided_at" timestamp (3) with time zone,
	"decision_reason" text,
	CONSTRAINT "evidence_versions_version" UNIQUE("item_id","version"),
	CONSTRAINT "evidence_versions_rejection_has_reason" CHECK ("evidence_versions"."status" <> 'rejected' or coalesce("evidence_versions"."decision_reason", '') <> ''),
	CONSTRAINT "evidence_versions_dates" CHECK ("evidence_versions"."expires_on" is null or "evidence_versions"."valid_from" is null or "evidence_versions"."expires_on" >= "evidence_versions"."valid_from")
);
--> statement-breakpoint
ALTER TABLE "evidence_files" ADD CONSTRAINT "evidence_files_version_id_evidence_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."evidence_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_item_contracts" ADD CONSTRAINT "evidence_item_contracts_item_id_evidence_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."evidence_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_item_contracts" ADD CONSTRAINT "evidence_item_contracts_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_item_requirements" ADD CONSTRAINT "evidence_item_requirements_item_id_evidence_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."evidence_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_item_requirements" ADD CONSTRAINT "evidence_item_requirements_requirement_id_catalog_requirements_id_fk" FOREIGN KEY ("requirement_id") REFERENCES "public"."catalog_requirements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_agency_id_organisations_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_vendor_id_vendors_id_fk" FOREIGN KEY ("vendor_id") REFERENCES "public"."vendors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_kind_id_catalog_evidence_kinds_id_fk" FOREIGN KEY ("kind_id") REFERENCES "public"."catalog_evidence_kinds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_previous_id_evidence_items_id_fk" FOREIGN KEY ("previous_id") REFERENCES "public"."evidence_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_requested_by_people_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_versions" ADD CONSTRAINT "evidence_versions_item_id_evidence_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."evidence_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_versions" ADD CONSTRAINT "evidence_versions_submitted_by_people_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_versions" ADD CONSTRAINT "evidence_versions_review_started_by_people_id_fk" FOREIGN KEY ("review_started_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_versions" ADD CONSTRAINT "evidence_versions_decided_by_people_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_files_version" ON "evidence_files" USING btree ("version_id");--> statement-breakpoint
CREATE INDEX "evidence_files_blob" ON "evidence_files" USING btree ("blob_sha256");--> statement-breakpoint
CREATE INDEX "evidence_item_contracts_contract" ON "evidence_item_contracts" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "evidence_item_requirements_requirement" ON "evidence_item_requirements" USING btree ("requirement_id");--> statement-breakpoint
CREATE INDEX "evidence_items_agency_status" ON "evidence_items" USING btree ("agency_id","status");--> statement-breakpoint
CREATE INDEX "evidence_items_agency_expires" ON "evidence_items" USING btree ("agency_id","expires_on");--> statement-breakpoint
CREATE INDEX "evidence_items_vendor" ON "evidence_items" USING btree ("vendor_id","status");--> statement-breakpoint
CREATE INDEX "evidence_items_previous" ON "evidence_items" USING btree ("previous_id");