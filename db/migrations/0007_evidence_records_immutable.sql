-- What a vendor submitted is the record: a file row never changes and is never removed, and a
-- version keeps what was submitted (dates, fields, attestation, who and from where). Only the
-- review may be written onto a version, and a decision, once made, stands; the one later change
-- allowed is an accepted version becoming superseded.
CREATE FUNCTION evidence_files_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'evidence files cannot be changed or deleted (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER evidence_files_no_update_or_delete
  BEFORE UPDATE OR DELETE ON evidence_files
  FOR EACH ROW EXECUTE FUNCTION evidence_files_refuse_change();
--> statement-breakpoint
CREATE FUNCTION evidence_versions_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'evidence versions cannot be deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW.item_id, NEW.version, NEW.issued_on, NEW.valid_from, NEW.expires_on, NEW.fields, NEW.submitted_by, NEW.submitted_at,
      NEW.submitted_from, NEW.submitted_by_kind, NEW.attestation_name, NEW.attestation_title, NEW.attestation_statement)
     IS DISTINCT FROM
     (OLD.item_id, OLD.version, OLD.issued_on, OLD.valid_from, OLD.expires_on, OLD.fields, OLD.submitted_by, OLD.submitted_at,
      OLD.submitted_from, OLD.submitted_by_kind, OLD.attestation_name, OLD.attestation_title, OLD.attestation_statement) THEN
    RAISE EXCEPTION 'what was submitted cannot be changed; submit a new version' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.decided_at IS NOT NULL AND (
       (NEW.decided_by, NEW.decided_at, NEW.decision_reason) IS DISTINCT FROM (OLD.decided_by, OLD.decided_at, OLD.decision_reason)
       OR (NEW.status IS DISTINCT FROM OLD.status AND NOT (OLD.status IN ('accepted', 'submitted', 'under-review') AND NEW.status = 'superseded'))) THEN
    RAISE EXCEPTION 'a review decision cannot be changed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER evidence_versions_guard
  BEFORE UPDATE OR DELETE ON evidence_versions
  FOR EACH ROW EXECUTE FUNCTION evidence_versions_guard();
