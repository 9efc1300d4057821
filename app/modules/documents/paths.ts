/** URLs of the document pages, built in one place so links and routes agree. */
export const documentPaths = {
  list: () => "/documents",
  generate: (templateId: string, subjectId?: string | null, fromId?: string | null) => {
    const params = new URLSearchParams();
    if (subjectId) params.set("subject", subjectId);
    if (fromId) params.set("from", fromId);
    return `/documents/new/${templateId}${params.size > 0 ? `?${params}` : ""}`;
  },
  document: (id: string) => `/documents/${id}`,
  download: (id: string, format: "docx" | "pdf") => `/documents/${id}/download/${format}`,
  changes: (id: string) => `/documents/${id}/changes.docx`,
};

export const FORMAT_LABELS = { docx: "Word (DOCX) for redlining", pdf: "PDF (tagged, accessible)" } as const;
export const SUBJECT_LABELS = { contract: "Contract", vendor: "Vendor", agency: "Agency" } as const;
