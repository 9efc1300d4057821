-- A contract document version, once recorded, is the record of what was uploaded: its hash,
-- size and uploader cannot be changed or the row removed. A correction is a new version.
CREATE FUNCTION contract_documents_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'contract document versions cannot be changed or deleted (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER contract_documents_no_update_or_delete
  BEFORE UPDATE OR DELETE ON contract_documents
  FOR EACH ROW EXECUTE FUNCTION contract_documents_refuse_change();
