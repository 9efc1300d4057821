-- A generated document is a record: what produced it, from what, by whom, and the files made.
-- Nothing changes or removes a generation or its outputs once written.
CREATE TRIGGER document_generations_no_update_or_delete BEFORE UPDATE OR DELETE ON document_generations
  FOR EACH ROW EXECUTE FUNCTION custody_records_refuse_change();
--> statement-breakpoint
CREATE TRIGGER document_outputs_no_update_or_delete BEFORE UPDATE OR DELETE ON document_outputs
  FOR EACH ROW EXECUTE FUNCTION custody_records_refuse_change();
