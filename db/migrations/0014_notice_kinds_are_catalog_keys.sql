-- Notice kinds take the keys the requirement catalog gives the same kinds of evidence
-- (breach → breach-notice …), so a kind is declared once. Only the vocabulary key changes;
-- the immutability trigger is lifted for this statement alone and restored in the same transaction.
ALTER TABLE "notices" DISABLE TRIGGER "notices_no_update_or_delete";--> statement-breakpoint
UPDATE "notices" SET "kind" = CASE "kind"
  WHEN 'breach' THEN 'breach-notice'
  WHEN 'legal-process' THEN 'legal-process-notice'
  WHEN 'location-change' THEN 'data-location-change-notice'
  WHEN 'business-change' THEN 'business-change-notice'
  ELSE "kind" END;--> statement-breakpoint
ALTER TABLE "notices" ENABLE TRIGGER "notices_no_update_or_delete";
