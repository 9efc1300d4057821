ALTER TABLE "login_attempts" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "decommissioned_by" uuid;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "decommissioned_reason" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "actor_organisation_id" uuid;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "audience" uuid[];--> statement-breakpoint
CREATE INDEX "login_attempts_email_at" ON "login_attempts" USING btree ("email","at");--> statement-breakpoint
CREATE INDEX "audit_events_audience" ON "audit_events" USING gin ("audience");--> statement-breakpoint
-- Who decommissioned each agency already decommissioned, and why, from its deprovisioning record.
UPDATE "organisations" o SET "decommissioned_by" = d."actor_id", "decommissioned_reason" = d."reason"
FROM "deprovisioning_records" d
WHERE d."kind" = 'agency-decommissioned' AND d."organisation_id" = o."id" AND o."status" = 'decommissioned';--> statement-breakpoint
-- AC-2(3): no account without an assignment. A person whose last role ended before this
-- migration (a decommissioned agency's people, an ended task-force assignment) is disabled now,
-- with a deprovisioning record, and their sessions end. The record and the sessions go first,
-- while the people are still found by the same condition.
INSERT INTO "deprovisioning_records" ("kind", "person_id", "reason", "actor_id", "at", "details")
SELECT 'person-disabled', p."id", 'No live role left (CJIS Security Policy v6.0 AC-2(3))', NULL, now(), '{"by":"migration 0016","because":"last role ended"}'::jsonb
FROM "people" p
WHERE p."disabled_at" IS NULL AND p."mfa_enrolled_at" IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM "memberships" m WHERE m."person_id" = p."id" AND m."ended_at" IS NULL);--> statement-breakpoint
UPDATE "sessions" s SET "revoked_at" = now(), "revoked_reason" = 'disabled: no live role left'
FROM "people" p
WHERE s."person_id" = p."id" AND s."revoked_at" IS NULL AND p."disabled_at" IS NULL AND p."mfa_enrolled_at" IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM "memberships" m WHERE m."person_id" = p."id" AND m."ended_at" IS NULL);--> statement-breakpoint
UPDATE "people" p SET "disabled_at" = now(), "disabled_by" = 'migration',
  "disabled_reason" = 'No live role left (CJIS Security Policy v6.0 AC-2(3)); disabled by migration 0016'
WHERE p."disabled_at" IS NULL AND p."mfa_enrolled_at" IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM "memberships" m WHERE m."person_id" = p."id" AND m."ended_at" IS NULL);
