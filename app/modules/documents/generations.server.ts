import { createHash, randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import canonicalize from "canonicalize";
import { and, desc, eq, isNull } from "drizzle-orm";
import { documentGenerations, documentOutputs, type OutputFormat } from "../../../db/schema/documents.ts";
import type { BlobStore } from "../blobs/store.server.ts";
import { listContracts, peopleNames, vendorsUnderContract } from "../contracts/contracts.server.ts";
import { InvalidInput, isUuid, type ModuleContext, NotFound, ownOrganisation, requirePermission } from "../context.server.ts";
import { openSealedForDownload, sealUpload } from "../blobs/sealed-files.server.ts";
import { assemble, AssemblyProblem, type Choices } from "./assemble.server.ts";
import { clauseDiff } from "./diff.server.ts";
import { describeForm, readForm, validateValues } from "./form.server.ts";
import type { DocumentModel } from "./model.ts";
import { agencyName } from "./sources/subjects.server.ts";
import type { SourceEnv, Subject, TemplateSource } from "./sources/types.ts";
import { templateFor } from "./templates.server.ts";
import { type Day, dayIn } from "../dates.ts";

/**
 * Generating a document: the form (starting from the record it is for, or
 * from an earlier generation), validation by the template's schema, one
 * model, every format rendered in memory, and only then, in one transaction,
 * the files sealed into the store and the record written. A failure at any
 * step stores nothing; a blob sealed before a failed commit is an orphan the
 * sweep removes.
 * The renderers (pdfkit, pdf-lib, docx) are imported when a document is first rendered, not when
 * the server starts: together they take most of a second to load (decision 0021).
 */

const MEDIA: Record<OutputFormat, string> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pdf: "application/pdf",
};

type Inputs = { subject: Subject; values: Record<string, unknown>; choices: Choices; final: boolean };

/** The records a template can be generated for, for the subject chooser. */
export async function subjectOptions(ctx: ModuleContext, type: Subject["type"], source?: TemplateSource) {
  if (source?.subjects) return source.subjects(ctx);
  if (type === "contract")
    return (await listContracts(ctx, {}, { audit: false })).map((c) => ({ value: c.id, label: `${c.title} — ${c.vendorName}` }));
  if (type === "vendor") return (await vendorsUnderContract(ctx, { live: false })).map((v) => ({ value: v.id, label: v.name }));
  return ctx.actor.organisationId ? [{ value: ctx.actor.organisationId, label: await agencyName(ctx) }] : [];
}

/** The form to generate a template for one record, filled from the record or from an earlier generation. */
export async function generationForm(
  ctx: ModuleContext,
  templateId: string,
  subjectId: string | null,
  env: SourceEnv,
  fromId?: string | null,
) {
  requirePermission(ctx, "document:generate");
  const { lib, template, source, summary } = templateFor(ctx, templateId);
  const options = await subjectOptions(ctx, template.manifest.subject, source);
  const chosen = template.manifest.subject === "agency" ? (ctx.actor.organisationId ?? null) : subjectId;
  ctx.audit.record({
    action: "document.form.read",
    objectType: "template",
    objectId: templateId,
    details: { subject: chosen, from: fromId ?? null },
  });
  if (!summary.usable || !chosen || !options.some((o) => o.value === chosen)) {
    return { template: summary, subjectOptions: options, subject: null, form: null };
  }
  const prefilled = await source.prefill(ctx, chosen, env);
  let values = { ...prefilled.suggested, ...prefilled.values };
  let choices: Choices = { excluded: [], wordings: {}, agencyClauses: [] };
  let final = false;
  if (fromId) {
    const earlier = await generationRow(ctx, fromId);
    if (earlier.templateId === templateId) {
      const inputs = earlier.inputs as Inputs;
      // What was chosen and typed last time, except what the records (and the day) now say otherwise.
      values = { ...prefilled.suggested, ...inputs.values, ...definedOnly(prefilled.values) };
      choices = inputs.choices;
      final = inputs.final;
    }
  }
  return {
    template: summary,
    subjectOptions: options,
    subject: prefilled.subject,
    form: { ...describeForm(lib, template, values, choices), final, kind: template.manifest.kind },
  };
}

/** Values that come straight from the records win over an earlier generation's: that is what regenerating is for. */
function definedOnly(values: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

export async function generateDocument(
  ctx: ModuleContext,
  blobs: BlobStore,
  templateId: string,
  subjectId: string,
  form: Record<string, string | string[]>,
  env: SourceEnv,
) {
  requirePermission(ctx, "document:generate");
  const { lib, template, source, summary } = templateFor(ctx, templateId);
  if (!summary.usable)
    throw new InvalidInput({ template: `This template failed its check and cannot be used: ${summary.problems.join("; ")}` });
  const chosen = template.manifest.subject === "agency" ? (ctx.actor.organisationId ?? "") : subjectId;
  const options = await subjectOptions(ctx, template.manifest.subject, source);
  if (!options.some((o) => o.value === chosen))
    throw new InvalidInput({
      subject: source.subjectsFor
        ? `This document is only for ${source.subjectsFor}; choose one from the list.`
        : `Choose the ${template.manifest.subject} this document is for.`,
    });
  const { subject } = await source.prefill(ctx, chosen, env);

  const read = readForm(lib, template, form);
  const checkedValues = validateValues(template, read.values);
  const errors = { ...read.errors, ...(checkedValues.ok ? {} : checkedValues.errors) };
  if (Object.keys(errors).length > 0 || !checkedValues.ok) throw new InvalidInput(errors);
  const values = checkedValues.values;

  const sources = source.data ? await source.data(ctx, subject, values, env) : {};
  const attachments = source.attachments ? await source.attachments(ctx, subject, values) : [];
  const inputs = {
    template: { id: templateId, version: template.manifest.version },
    subject,
    values,
    choices: read.choices,
    final: read.final,
    sources,
    attachments: attachments.map((a) => ({ itemId: a.itemId, filename: a.filename, sha256: a.sha256 })),
  };
  const inputsSha256 = createHash("sha256").update(canonicalize(inputs)!).digest("hex");
  let model: DocumentModel;
  try {
    model = assemble({
      library: lib,
      template,
      values,
      choices: read.choices,
      sources,
      final: read.final,
      inputsSha256,
      generatedAt: ctx.now,
    });
  } catch (error) {
    if (error instanceof AssemblyProblem) throw new InvalidInput({ [error.field]: error.message });
    throw error;
  }

  const rendered: { format: OutputFormat; bytes: Buffer }[] = [];
  for (const format of template.manifest.formats) {
    if (format === "docx") rendered.push({ format, bytes: await (await import("./render-docx.server.ts")).renderDocx(model) });
    else if (source.attachments) {
      // The binder fills its contents' page numbers as it assembles: keep the model it drew.
      const { renderBinder } = await import("./binder.server.ts");
      const binder = await renderBinder(ctx, blobs, model, attachments, env);
      model = binder.model;
      rendered.push({ format, bytes: binder.bytes });
    } else rendered.push({ format, bytes: await (await import("./render-pdf.server.ts")).renderPdf(model) });
  }

  const [previous] = await ctx.db
    .select({ id: documentGenerations.id })
    .from(documentGenerations)
    .where(
      and(
        eq(documentGenerations.agencyId, ctx.actor.organisationId!),
        eq(documentGenerations.templateId, templateId),
        subject.contractId ? eq(documentGenerations.contractId, subject.contractId) : isNull(documentGenerations.contractId),
        subject.vendorId ? eq(documentGenerations.vendorId, subject.vendorId) : isNull(documentGenerations.vendorId),
      ),
    )
    .orderBy(desc(documentGenerations.generatedAt))
    .limit(1);
  const [row] = await ctx.db
    .insert(documentGenerations)
    .values({
      agencyId: ctx.actor.organisationId!,
      templateId,
      templateVersion: template.manifest.version,
      templateTitle: template.manifest.title,
      kind: template.manifest.kind,
      subjectType: subject.type,
      contractId: subject.contractId,
      vendorId: subject.vendorId,
      subjectLabel: subject.label,
      inputs,
      inputsSha256,
      model,
      final: read.final,
      previousId: previous?.id ?? null,
      generatedBy: ctx.actor.personId,
      generatedAt: ctx.now,
    })
    .returning({ id: documentGenerations.id });
  const outputs: Record<string, { sha256: string; bytes: number }> = {};
  const base = fileBase(template.manifest.id, subject.label, ctx.today);
  for (const { format, bytes } of rendered) {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const spoolPath = path.join(blobs.spoolDir, `generated-${randomUUID()}`);
    await writeFile(spoolPath, bytes, { mode: 0o600 });
    const sealed = await sealUpload(blobs, ctx.secrets, {
      spoolPath,
      filename: `${base}.${format}`,
      size: bytes.length,
      sha256,
      declaredType: MEDIA[format],
    });
    await ctx.db.insert(documentOutputs).values({
      generationId: row!.id,
      format,
      filename: `${base}.${format}`,
      mediaType: MEDIA[format],
      sizeBytes: bytes.length,
      sha256,
      ...sealed,
    });
    outputs[format] = { sha256, bytes: bytes.length };
  }
  ctx.audit.record({
    action: "document.generate",
    objectType: "document",
    objectId: row!.id,
    details: {
      templateId,
      templateVersion: template.manifest.version,
      subject: { type: subject.type, id: subject.id },
      inputsSha256,
      final: read.final,
      outputs,
      previousId: previous?.id ?? null,
    },
  });
  return { id: row!.id };
}

function fileBase(templateId: string, label: string, day: Day) {
  const slug = label
    .normalize("NFKD")
    .replace(/[^\w\s-]/g, "")
    .trim()
    .replace(/\s+/g, "-")
    .slice(0, 60);
  return `${templateId}-${slug}-${day}`;
}

async function generationRow(ctx: ModuleContext, id: string) {
  if (!isUuid(id)) throw new NotFound("document", id);
  const [row] = await ctx.db
    .select()
    .from(documentGenerations)
    .where(and(eq(documentGenerations.id, id), ownOrganisation(ctx, documentGenerations.agencyId)));
  if (!row) throw new NotFound("document", id);
  return row;
}

export async function listGenerations(ctx: ModuleContext, filter: { contractId?: string; vendorId?: string } = {}) {
  requirePermission(ctx, "document:read");
  const rows = await ctx.db
    .select({
      id: documentGenerations.id,
      templateId: documentGenerations.templateId,
      templateTitle: documentGenerations.templateTitle,
      templateVersion: documentGenerations.templateVersion,
      subjectLabel: documentGenerations.subjectLabel,
      final: documentGenerations.final,
      kind: documentGenerations.kind,
      generatedBy: documentGenerations.generatedBy,
      generatedAt: documentGenerations.generatedAt,
      inputsSha256: documentGenerations.inputsSha256,
    })
    .from(documentGenerations)
    .where(
      and(
        ownOrganisation(ctx, documentGenerations.agencyId),
        filter.contractId && isUuid(filter.contractId) ? eq(documentGenerations.contractId, filter.contractId) : undefined,
        filter.vendorId && isUuid(filter.vendorId) ? eq(documentGenerations.vendorId, filter.vendorId) : undefined,
      ),
    )
    .orderBy(desc(documentGenerations.generatedAt))
    .limit(200);
  const names = await peopleNames(
    ctx,
    rows.map((r) => r.generatedBy),
  );
  ctx.audit.record({ action: "document.list", objectType: "document", details: { filter, count: rows.length } });
  return rows.map((r) => ({ ...r, generatedByName: r.generatedBy ? (names.get(r.generatedBy) ?? "—") : "—" }));
}

/** One generated document: its record, its files, its preview, and what changed since the one before. */
export async function getGeneration(ctx: ModuleContext, id: string) {
  requirePermission(ctx, "document:read");
  const row = await generationRow(ctx, id);
  const outputs = await ctx.db
    .select({
      format: documentOutputs.format,
      filename: documentOutputs.filename,
      sizeBytes: documentOutputs.sizeBytes,
      sha256: documentOutputs.sha256,
    })
    .from(documentOutputs)
    .where(eq(documentOutputs.generationId, row.id));
  const previous = row.previousId ? await generationRow(ctx, row.previousId).catch(() => null) : null;
  const [later] = await ctx.db
    .select({ id: documentGenerations.id })
    .from(documentGenerations)
    .where(eq(documentGenerations.previousId, row.id))
    .limit(1);
  const names = await peopleNames(ctx, [row.generatedBy, previous?.generatedBy ?? null]);
  ctx.audit.record({
    action: "document.read",
    objectType: "document",
    objectId: row.id,
    details: { templateId: row.templateId, inputsSha256: row.inputsSha256 },
  });
  const model = row.model as DocumentModel;
  return {
    generation: { ...row, model, generatedByName: row.generatedBy ? (names.get(row.generatedBy) ?? "—") : "—" },
    outputs,
    previous: previous
      ? {
          id: previous.id,
          generatedAt: previous.generatedAt,
          templateVersion: previous.templateVersion,
          inputsSha256: previous.inputsSha256,
          generatedByName: previous.generatedBy ? (names.get(previous.generatedBy) ?? "—") : "—",
        }
      : null,
    laterId: later?.id ?? null,
    diff: previous ? clauseDiff(previous.model as DocumentModel, model) : null,
    canGenerate: ctx.actor.permissions.has("document:generate"),
  };
}

export async function openGenerationOutput(ctx: ModuleContext, blobs: BlobStore, id: string, format: string) {
  requirePermission(ctx, "document:read");
  const row = await generationRow(ctx, id);
  if (format !== "docx" && format !== "pdf") throw new NotFound("document-output", `${id}/${format}`);
  const [file] = await ctx.db
    .select()
    .from(documentOutputs)
    .where(and(eq(documentOutputs.generationId, row.id), eq(documentOutputs.format, format)));
  if (!file) throw new NotFound("document-output", `${id}/${format}`);
  const audit = {
    action: "document.download",
    objectType: "document",
    objectId: row.id,
    details: { format, filename: file.filename, sha256: file.sha256, bytes: file.sizeBytes },
  };
  const stream = await openSealedForDownload(blobs, ctx.secrets, file, `${row.templateTitle}, `, {
    ...audit,
    outcome: "failed",
    details: { ...audit.details, reason: "blob missing" },
  });
  ctx.audit.record(audit);
  return { stream, filename: file.filename, mediaType: file.mediaType, size: file.sizeBytes, sha256: file.sha256 };
}

/**
 * The changes since the previous generation as a Word file with tracked changes. Derived from
 * the two stored models (nothing new is stored); the download is audited like any other.
 */
export async function openRedline(ctx: ModuleContext, id: string) {
  requirePermission(ctx, "document:read");
  const row = await generationRow(ctx, id);
  if (!row.previousId) throw new NotFound("document-changes", id);
  const previous = await generationRow(ctx, row.previousId);
  const names = await peopleNames(ctx, [row.generatedBy]);
  const author = `Custody (regenerated by ${row.generatedBy ? (names.get(row.generatedBy) ?? "—") : "—"})`;
  const { renderRedlineDocx } = await import("./render-redline.server.ts");
  const bytes = await renderRedlineDocx(previous.model as DocumentModel, row.model as DocumentModel, author);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const filename = `${row.templateId}-changes-${dayIn(ctx.timeZone, row.generatedAt)}.docx`;
  ctx.audit.record({
    action: "document.changes.download",
    objectType: "document",
    objectId: row.id,
    details: { previousId: previous.id, format: "docx", filename, sha256, bytes: bytes.length },
  });
  return { stream: Readable.from([bytes]), filename, mediaType: MEDIA.docx, size: bytes.length, sha256 };
}
