import { v5 as uuidv5 } from "uuid";

/**
 * What every OSCAL document Custody writes shares: the OSCAL version, identifiers that stay the same
 * from one export of a record to the next (OSCAL asks that a UUID name the same thing for its whole
 * life), control ids in OSCAL's token form, and the metadata block. Decision 0027.
 */

export const OSCAL_VERSION = "1.0.6";
/** Custody's own namespace for name-based (version 5) UUIDs; fixed for ever, so every export derives the same ids. */
const CUSTODY_NAMESPACE = "3b0c3a4e-6c1d-5e55-9d0b-6f3e2c1a7b90";
/** The namespace of Custody's own property names (OSCAL props outside NIST's own vocabulary need one). */
export const CUSTODY_NS = "https://custody.example/ns/oscal";

/** A UUID derived from the parts that name a thing: the same parts give the same UUID in every export. */
export function stableUuid(...parts: string[]) {
  return uuidv5(parts.join("\u001f"), CUSTODY_NAMESPACE);
}

/**
 * A requirement's code as an OSCAL control id (a token: a letter first, then letters, digits, '.', '-'
 * and '_'). CJIS controls follow NIST's own catalog ("AC-2(3)" → "ac-2.3"); codes that start with a
 * digit (IACP principles and provisions, policy areas, addendum sections) take their kind as a prefix.
 */
export function controlId(kind: string, code: string) {
  const base = code
    .trim()
    .toLowerCase()
    .replace(/\(([^)]*)\)/g, ".$1")
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (/^[a-z]/.test(base)) return base;
  const prefix: Record<string, string> = {
    principle: "principle",
    provision: "provision",
    "policy-area": "area",
    "addendum-section": "section",
    certification: "certification",
  };
  return `${prefix[kind] ?? "requirement"}-${base}`;
}

/** The file name a framework's catalog is published under; crosswalk links between catalogs point at it. */
export function catalogFileName(key: string, version: string) {
  return `custody-catalog-${key}-${version}.json`;
}

/** An OSCAL timestamp: RFC 3339 with a zone (OSCAL's date-time-with-timezone). */
export function oscalTime(value: Date) {
  return value.toISOString();
}

/** OSCAL's metadata block: a title, when the content last changed, the document's own version, and who published it. */
export function metadata(input: {
  title: string;
  lastModified: Date;
  version: string;
  published?: Date;
  remarks?: string;
  parties?: { uuid: string; type: "organization" | "person"; name: string; emailAddresses?: string[] }[];
  roles?: { id: string; title: string }[];
  responsibleParties?: { roleId: string; partyUuids: string[] }[];
  props?: Prop[];
}) {
  return {
    title: input.title,
    ...(input.published ? { published: oscalTime(input.published) } : {}),
    "last-modified": oscalTime(input.lastModified),
    version: input.version,
    "oscal-version": OSCAL_VERSION,
    ...(input.props && input.props.length > 0 ? { props: input.props } : {}),
    ...(input.roles && input.roles.length > 0 ? { roles: input.roles } : {}),
    ...(input.parties && input.parties.length > 0
      ? {
          parties: input.parties.map((p) => ({
            uuid: p.uuid,
            type: p.type,
            name: p.name,
            ...(p.emailAddresses && p.emailAddresses.length > 0 ? { "email-addresses": p.emailAddresses } : {}),
          })),
        }
      : {}),
    ...(input.responsibleParties && input.responsibleParties.length > 0
      ? {
          "responsible-parties": input.responsibleParties.map((r) => ({ "role-id": r.roleId, "party-uuids": r.partyUuids })),
        }
      : {}),
    ...(input.remarks ? { remarks: input.remarks } : {}),
  };
}

export type Prop = { name: string; value: string; ns?: string; class?: string; remarks?: string };

/** A Custody property (in Custody's namespace), skipped when the value is empty (OSCAL refuses empty values). */
export function prop(name: string, value: string | number | null | undefined, extra: Partial<Prop> = {}): Prop[] {
  if (value === null || value === undefined) return [];
  // OSCAL property values are one line.
  const text = String(value).replace(/\s+/g, " ").trim();
  return text === "" ? [] : [{ name, value: text, ns: CUSTODY_NS, ...extra }];
}

/** What an OSCAL export gives back: the document and the file name it is saved under. */
export type OscalExport = { document: Record<string, unknown>; fileName: string };
