-- Every organisation keeps time in an IANA zone: its "today" for due, expiry and renewal days.
-- Agencies start on their state's zone (for a state on two zones, the one most of it keeps; the
-- agency administrator can change it); vendors and the platform on Eastern until theirs choose.
ALTER TABLE "organisations" ADD COLUMN "time_zone" text DEFAULT 'America/New_York' NOT NULL;--> statement-breakpoint
UPDATE "organisations" SET "time_zone" = CASE
  WHEN "state" IN ('CT', 'DC', 'DE', 'FL', 'GA', 'IN', 'KY', 'MA', 'MD', 'ME', 'MI', 'NC', 'NH', 'NJ', 'NY', 'OH', 'PA', 'RI', 'SC', 'VA', 'VT', 'WV') THEN 'America/New_York'
  WHEN "state" IN ('AL', 'AR', 'IA', 'IL', 'KS', 'LA', 'MN', 'MO', 'MS', 'ND', 'NE', 'OK', 'SD', 'TN', 'TX', 'WI') THEN 'America/Chicago'
  WHEN "state" IN ('CO', 'ID', 'MT', 'NM', 'UT', 'WY') THEN 'America/Denver'
  WHEN "state" IN ('CA', 'NV', 'OR', 'WA') THEN 'America/Los_Angeles'
  WHEN "state" IN ('HI') THEN 'Pacific/Honolulu'
  WHEN "state" IN ('PR', 'VI') THEN 'America/Puerto_Rico'
  WHEN "state" IN ('GU', 'MP') THEN 'Pacific/Guam'
  WHEN "state" IN ('AS') THEN 'Pacific/Pago_Pago'
  WHEN "state" IN ('AZ') THEN 'America/Phoenix'
  WHEN "state" IN ('AK') THEN 'America/Anchorage'
  ELSE "time_zone" END
WHERE "kind" = 'agency';
