/** URLs of catalog pages, built in one place so links and routes agree. */
export const catalogPaths = {
  index: () => "/catalog",
  crosswalk: () => "/catalog/crosswalk",
  evidence: () => "/catalog/evidence",
  framework: (key: string, version: string, revision?: number) =>
    `/catalog/${encodeURIComponent(key)}/${encodeURIComponent(version)}${revision ? `?revision=${revision}` : ""}`,
  oscal: (key: string, version: string) => `/catalog/${encodeURIComponent(key)}/${encodeURIComponent(version)}/oscal.json`,
  requirement: (key: string, version: string, code: string, revision?: number) =>
    `/catalog/${encodeURIComponent(key)}/${encodeURIComponent(version)}/${encodeURIComponent(code)}${
      revision ? `?revision=${revision}` : ""
    }`,
};

const kindLabels: Record<string, [singular: string, plural: string]> = {
  principle: ["principle", "principles"],
  provision: ["provision", "provisions"],
  "policy-area": ["policy area", "policy areas"],
  control: ["control", "controls"],
  "control-enhancement": ["control enhancement", "control enhancements"],
  "addendum-section": ["section", "sections"],
  certification: ["certification", "certifications"],
};

export function kindLabel(kind: string, count = 1) {
  const labels = kindLabels[kind] ?? [kind, kind];
  return count === 1 ? labels[0] : labels[1];
}

/** How a requirement is named in running text: "Principle 4", "AC-2(3)", "Section 3.00". */
export function requirementLabel(r: { kind: string; code: string }) {
  switch (r.kind) {
    case "principle":
      return `Principle ${r.code}`;
    case "provision":
      return `Provision ${r.code}`;
    case "addendum-section":
      return `Section ${r.code}`;
    case "certification":
      return "Certification";
    default:
      return r.code;
  }
}

/** How a requirement is named among several frameworks: "IACP principle 4", "CJIS AC-2(3)". */
export function qualifiedLabel(r: { kind: string; code: string }) {
  switch (r.kind) {
    case "principle":
      return `IACP principle ${r.code}`;
    case "provision":
      return `IACP provision ${r.code}`;
    case "addendum-section":
      return `Security Addendum §${r.code}`;
    case "certification":
      return "Security Addendum certification";
    default:
      return `CJIS ${r.code}`;
  }
}

/** A crosswalk relationship read from the requirement on the page. */
export const relationshipText: Record<string, string> = {
  equivalent: "Equivalent to",
  subset: "Part of",
  superset: "Includes all of",
  intersects: "Overlaps with",
};
