import type { ModuleContext } from "../../context.server.ts";
import type { SourceData } from "../assemble.server.ts";

/**
 * Where a template's inputs come from: the record it is generated for (a
 * contract, a vendor, the agency), which fills the form's starting values,
 * and the data tables the document shows, read when it is generated.
 */
export type Subject = {
  type: "contract" | "vendor" | "agency";
  id: string;
  label: string;
  contractId: string | null;
  vendorId: string | null;
};

export type SourceEnv = {
  publicUrl: string;
  /** The public key that checks the audit log's checkpoints, named in the binder's custody receipts. */
  auditPublicKeyPem?: string | null;
};

export type TemplateSource = {
  /**
   * The subject and the values the form starts from: `values` come from the
   * records and the day (they win over an earlier generation's when a document
   * is regenerated), `suggested` are starting points a person may change (an
   * earlier generation's choice wins over them).
   */
  prefill(
    ctx: ModuleContext,
    subjectId: string,
    env: SourceEnv,
  ): Promise<{ subject: Subject; values: Record<string, unknown>; suggested?: Record<string, unknown> }>;
  /** The records it may be generated for, when not every record of its subject type qualifies (e.g. only government providers). */
  subjects?(ctx: ModuleContext): Promise<{ value: string; label: string }[]>;
  /** Those records in words, for the message when another is chosen. */
  subjectsFor?: string;
  /** Tables and charts, from the records and the validated values. */
  data?(ctx: ModuleContext, subject: Subject, values: Record<string, unknown>, env: SourceEnv): Promise<SourceData>;
  /** Existing PDFs appended after the generated pages (the audit binder). */
  attachments?(ctx: ModuleContext, subject: Subject, values: Record<string, unknown>): Promise<Attachment[]>;
};

/** An accepted evidence file to append to the audit binder, sealed in the blob store. */
export type Attachment = {
  itemId: string;
  title: string;
  kind: string;
  acceptedOn: string;
  filename: string;
  sha256: string;
  sealed: { blobSha256: string; keyId: string; nonce: string; authTag: string };
};
