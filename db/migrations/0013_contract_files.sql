-- Uploaded contract versions are "contract files" ("documents" now means generated documents).
-- Renamed in place: the rows, their immutability trigger and every constraint stay as they were.
ALTER TABLE "contract_documents" RENAME TO "contract_files";--> statement-breakpoint
ALTER TABLE "contract_files" RENAME CONSTRAINT "contract_documents_pkey" TO "contract_files_pkey";--> statement-breakpoint
ALTER TABLE "contract_files" RENAME CONSTRAINT "contract_documents_version" TO "contract_files_version";--> statement-breakpoint
ALTER TABLE "contract_files" RENAME CONSTRAINT "contract_documents_contract_id_contracts_id_fk" TO "contract_files_contract_id_contracts_id_fk";--> statement-breakpoint
ALTER TABLE "contract_files" RENAME CONSTRAINT "contract_documents_uploaded_by_people_id_fk" TO "contract_files_uploaded_by_people_id_fk";--> statement-breakpoint
ALTER INDEX "contract_documents_sha256" RENAME TO "contract_files_sha256";--> statement-breakpoint
ALTER TRIGGER "contract_documents_no_update_or_delete" ON "contract_files" RENAME TO "contract_files_no_update_or_delete";--> statement-breakpoint
ALTER FUNCTION contract_documents_refuse_change() RENAME TO contract_files_refuse_change;--> statement-breakpoint
CREATE OR REPLACE FUNCTION contract_files_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'contract file versions cannot be changed or deleted (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
