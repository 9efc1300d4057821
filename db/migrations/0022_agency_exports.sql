CREATE TABLE "agency_exports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"requested_by" uuid,
	"requested_at" timestamp (3) with time zone NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp (3) with time zone,
	"heartbeat_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone,
	"items_total" integer,
	"items_done" integer DEFAULT 0 NOT NULL,
	"bytes_total" bigint,
	"bytes_done" bigint DEFAULT 0 NOT NULL,
	"error" text,
	"sha256" text,
	"size_bytes" bigint,
	"blob_sha256" text,
	"key_id" text,
	"nonce" text,
	"auth_tag" text,
	"expires_at" timestamp (3) with time zone,
	CONSTRAINT "agency_exports_complete_has_file" CHECK ("agency_exports"."status" <> 'complete' or ("agency_exports"."sha256" is not null and "agency_exports"."blob_sha256" is not null and "agency_exports"."expires_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "agency_exports" ADD CONSTRAINT "agency_exports_agency_id_organisations_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_exports" ADD CONSTRAINT "agency_exports_requested_by_people_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agency_exports_agency" ON "agency_exports" USING btree ("agency_id","requested_at");