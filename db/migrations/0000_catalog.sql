CREATE TABLE "catalog_crosswalk" (
	"from_id" uuid NOT NULL,
	"to_id" uuid NOT NULL,
	"relationship" text NOT NULL,
	"rationale" text NOT NULL,
	CONSTRAINT "catalog_crosswalk_from_id_to_id_pk" PRIMARY KEY("from_id","to_id"),
	CONSTRAINT "catalog_crosswalk_not_self" CHECK ("catalog_crosswalk"."from_id" <> "catalog_crosswalk"."to_id")
);
--> statement-breakpoint
CREATE TABLE "catalog_evidence_kind_requirements" (
	"evidence_kind_id" uuid NOT NULL,
	"requirement_id" uuid NOT NULL,
	CONSTRAINT "catalog_evidence_kind_requirements_evidence_kind_id_requirement_id_pk" PRIMARY KEY("evidence_kind_id","requirement_id")
);
--> statement-breakpoint
CREATE TABLE "catalog_evidence_kinds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"renewal_months" integer,
	"event_driven" boolean DEFAULT false NOT NULL,
	"sort_order" integer NOT NULL,
	CONSTRAINT "catalog_evidence_kinds_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "catalog_frameworks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"version" text NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"short_title" text NOT NULL,
	"publisher" text NOT NULL,
	"published" text NOT NULL,
	"citation" text NOT NULL,
	"description" text NOT NULL,
	"content_hash" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"frozen_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalog_frameworks_key_version_revision" UNIQUE("key","version","revision"),
	CONSTRAINT "catalog_frameworks_revision_positive" CHECK ("catalog_frameworks"."revision" >= 1)
);
--> statement-breakpoint
CREATE TABLE "catalog_requirements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"framework_id" uuid NOT NULL,
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"parent_id" uuid,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"citation" text NOT NULL,
	"figure" text,
	"priority" text,
	"sort_order" integer NOT NULL,
	CONSTRAINT "catalog_requirements_framework_code" UNIQUE("framework_id","code")
);
--> statement-breakpoint
ALTER TABLE "catalog_crosswalk" ADD CONSTRAINT "catalog_crosswalk_from_id_catalog_requirements_id_fk" FOREIGN KEY ("from_id") REFERENCES "public"."catalog_requirements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_crosswalk" ADD CONSTRAINT "catalog_crosswalk_to_id_catalog_requirements_id_fk" FOREIGN KEY ("to_id") REFERENCES "public"."catalog_requirements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_evidence_kind_requirements" ADD CONSTRAINT "catalog_evidence_kind_requirements_evidence_kind_id_catalog_evidence_kinds_id_fk" FOREIGN KEY ("evidence_kind_id") REFERENCES "public"."catalog_evidence_kinds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_evidence_kind_requirements" ADD CONSTRAINT "catalog_evidence_kind_requirements_requirement_id_catalog_requirements_id_fk" FOREIGN KEY ("requirement_id") REFERENCES "public"."catalog_requirements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_requirements" ADD CONSTRAINT "catalog_requirements_framework_id_catalog_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."catalog_frameworks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_requirements" ADD CONSTRAINT "catalog_requirements_parent_id_catalog_requirements_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."catalog_requirements"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "catalog_crosswalk_to" ON "catalog_crosswalk" USING btree ("to_id");--> statement-breakpoint
CREATE INDEX "catalog_evidence_kind_requirements_requirement" ON "catalog_evidence_kind_requirements" USING btree ("requirement_id");--> statement-breakpoint
CREATE INDEX "catalog_requirements_parent" ON "catalog_requirements" USING btree ("parent_id");