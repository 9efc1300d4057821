-- A notice, the judgement of its timeliness for each agency, and a signed Security Addendum page
-- are records: once written, nothing changes or removes them. A roster change proposal keeps what
-- was proposed; only its decision is written onto it, once.
CREATE FUNCTION custody_records_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows cannot be changed or deleted (% refused)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER notices_no_update_or_delete BEFORE UPDATE OR DELETE ON notices
  FOR EACH ROW EXECUTE FUNCTION custody_records_refuse_change();
--> statement-breakpoint
CREATE TRIGGER notice_agencies_no_update_or_delete BEFORE UPDATE OR DELETE ON notice_agencies
  FOR EACH ROW EXECUTE FUNCTION custody_records_refuse_change();
--> statement-breakpoint
CREATE TRIGGER roster_files_no_update_or_delete BEFORE UPDATE OR DELETE ON roster_files
  FOR EACH ROW EXECUTE FUNCTION custody_records_refuse_change();
--> statement-breakpoint
CREATE FUNCTION roster_changes_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'roster change proposals cannot be deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW.vendor_id, NEW.kind, NEW.proposed, NEW.addendum_file_id, NEW.note, NEW.proposed_by, NEW.proposed_at, NEW.proposed_from)
     IS DISTINCT FROM
     (OLD.vendor_id, OLD.kind, OLD.proposed, OLD.addendum_file_id, OLD.note, OLD.proposed_by, OLD.proposed_at, OLD.proposed_from) THEN
    RAISE EXCEPTION 'what was proposed cannot be changed; propose again' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.status <> 'pending' THEN
    RAISE EXCEPTION 'a roster change already %, and that stands', OLD.status USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER roster_changes_guard BEFORE UPDATE OR DELETE ON roster_changes
  FOR EACH ROW EXECUTE FUNCTION roster_changes_guard();
