/** URLs of vendor and contract pages, built in one place so links and routes agree. */
export const vendorPaths = {
  list: () => "/vendors",
  create: () => "/vendors/new",
  vendor: (id: string) => `/vendors/${id}`,
  edit: (id: string) => `/vendors/${id}/edit`,
  oscalComponents: (id: string) => `/vendors/${id}/component-definition.oscal.json`,
};

export const contractPaths = {
  list: (filter: { status?: string; vendorId?: string } = {}) => {
    const params = new URLSearchParams(Object.entries(filter).filter(([, v]) => Boolean(v)) as [string, string][]);
    return `/contracts${params.size > 0 ? `?${params}` : ""}`;
  },
  create: () => "/contracts/new",
  contract: (id: string) => `/contracts/${id}`,
  edit: (id: string, section?: string) => `/contracts/${id}/edit${section ? `#${section}` : ""}`,
  files: (id: string) => `/contracts/${id}/files`,
  file: (id: string, fileId: string) => `/contracts/${id}/files/${fileId}`,
  matrix: (id: string, filter: { status?: string; open?: readonly string[] } = {}) => {
    const query = new URLSearchParams();
    if (filter.status) query.set("status", filter.status);
    for (const key of filter.open ?? []) query.append("open", key);
    const text = query.toString();
    return `/contracts/${id}/coverage${text ? `?${text}` : ""}`;
  },
  requirement: (id: string, requirementId: string) => `/contracts/${id}/coverage/${requirementId}`,
  gaps: (id: string) => `/contracts/${id}/gaps`,
  gapsCsv: (id: string) => `/contracts/${id}/gaps.csv`,
  oscalResults: (id: string) => `/contracts/${id}/assessment-results.oscal.json`,
  oscalPoam: (id: string) => `/contracts/${id}/poam.oscal.json`,
  proposals: (id: string) => `/contracts/${id}/coverage/proposals`,
};
