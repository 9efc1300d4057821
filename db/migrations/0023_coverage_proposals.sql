CREATE TABLE "coverage_proposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"requirement_id" uuid NOT NULL,
	"status" text NOT NULL,
	"responsibility" text,
	"statement" text NOT NULL,
	"component_title" text NOT NULL,
	"control_id" text NOT NULL,
	"source_filename" text NOT NULL,
	"source_sha256" text NOT NULL,
	"proposed_by" uuid,
	"proposed_at" timestamp (3) with time zone NOT NULL,
	"decision" text,
	"decided_by" uuid,
	"decided_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "coverage_proposals" ADD CONSTRAINT "coverage_proposals_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coverage_proposals" ADD CONSTRAINT "coverage_proposals_requirement_id_catalog_requirements_id_fk" FOREIGN KEY ("requirement_id") REFERENCES "public"."catalog_requirements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coverage_proposals" ADD CONSTRAINT "coverage_proposals_proposed_by_people_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coverage_proposals" ADD CONSTRAINT "coverage_proposals_decided_by_people_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "coverage_proposals_contract" ON "coverage_proposals" USING btree ("contract_id","decision");