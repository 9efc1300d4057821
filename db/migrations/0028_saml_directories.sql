CREATE TABLE "directory_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"connection_id" uuid NOT NULL,
	"redirect_to" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"used_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "directory_connections" ALTER COLUMN "client_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "directory_connections" ADD COLUMN "saml_entry_point" text;--> statement-breakpoint
ALTER TABLE "directory_connections" ADD COLUMN "saml_certificate" text;--> statement-breakpoint
ALTER TABLE "directory_requests" ADD CONSTRAINT "directory_requests_connection_id_directory_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."directory_connections"("id") ON DELETE no action ON UPDATE no action;