CREATE TABLE "document_generations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"template_id" text NOT NULL,
	"template_version" text NOT NULL,
	"template_title" text NOT NULL,
	"kind" text NOT NULL,
	"subject_type" text NOT NULL,
	"contract_id" uuid,
	"vendor_id" uuid,
	"subject_label" text NOT NULL,
	"inputs" jsonb NOT NULL,
	"inputs_sha256" text NOT NULL,
	"model" jsonb NOT NULL,
	"final" boolean NOT NULL,
	"previous_id" uuid,
	"generated_by" uuid,
	"generated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "document_outputs" (
	"generation_id" uuid NOT NULL,
	"format" text NOT NULL,
	"filename" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"blob_sha256" text NOT NULL,
	"key_id" text NOT NULL,
	"nonce" text NOT NULL,
	"auth_tag" text NOT NULL,
	CONSTRAINT "document_outputs_generation_id_format_pk" PRIMARY KEY("generation_id","format")
);
--> statement-breakpoint
ALTER TABLE "document_generations" ADD CONSTRAINT "document_generations_agency_id_organisations_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_generations" ADD CONSTRAINT "document_generations_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_generations" ADD CONSTRAINT "document_generations_vendor_id_vendors_id_fk" FOREIGN KEY ("vendor_id") REFERENCES "public"."vendors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_generations" ADD CONSTRAINT "document_generations_previous_id_document_generations_id_fk" FOREIGN KEY ("previous_id") REFERENCES "public"."document_generations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_generations" ADD CONSTRAINT "document_generations_generated_by_people_id_fk" FOREIGN KEY ("generated_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_outputs" ADD CONSTRAINT "document_outputs_generation_id_document_generations_id_fk" FOREIGN KEY ("generation_id") REFERENCES "public"."document_generations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_generations_agency" ON "document_generations" USING btree ("agency_id","generated_at");--> statement-breakpoint
CREATE INDEX "document_generations_subject" ON "document_generations" USING btree ("template_id","contract_id","vendor_id","generated_at");--> statement-breakpoint
CREATE INDEX "document_outputs_blob" ON "document_outputs" USING btree ("blob_sha256");