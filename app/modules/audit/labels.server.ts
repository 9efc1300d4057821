import { eq, inArray } from "drizzle-orm";
import type { Queryable } from "../../../db/client.ts";
import { accessReviews, apiTokens, invitations, memberships, organisations, people } from "../../../db/schema/access.ts";
import type { AuditEvent } from "../../../db/schema/audit.ts";
import { evidenceKinds, frameworks, requirements } from "../../../db/schema/catalog.ts";
import { contractFiles, contracts } from "../../../db/schema/contracts.ts";
import { documentGenerations } from "../../../db/schema/documents.ts";
import { evidenceItems } from "../../../db/schema/evidence.ts";
import { notices } from "../../../db/schema/notices.ts";
import { vendors } from "../../../db/schema/vendors.ts";
import type { Permission } from "../access/permissions.ts";
import type { Actor } from "../context.server.ts";
import { formatDay, roleLabel } from "../format.ts";

/**
 * Names for the people, organisations and objects an audit event refers to by id, so the
 * viewer, its CSV and the chain of custody read as sentences, not UUIDs. Lookups are batched
 * per table. A link is offered only where the reader holds the page's permission (the page
 * still checks the object is theirs, answering 404 when it is not).
 */

export type PersonLabel = { name: string; email: string };
export type ObjectLabel = { label: string; href: string | null };
export type EventLabels = {
  actor: PersonLabel | null;
  /** The organisation the actor acted for (recorded since migration 0016; before that, their only organisation if they had one). */
  actorOrganisation: string | null;
  organisation: string | null;
  object: ObjectLabel | null;
};

type Found = {
  label: string;
  person?: PersonLabel;
  href?: Partial<Record<"agency" | "vendor" | "platform", [string, Permission]>>;
};
type Lookup = (db: Queryable, ids: string[]) => Promise<Map<string, Found>>;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const byId = <T extends { id: string }>(rows: T[], f: (r: T) => Found) => new Map(rows.map((r) => [r.id, f(r)]));
const everywhere = (href: string, permission: Permission) => ({
  agency: [href, permission] as [string, Permission],
  vendor: [href, permission] as [string, Permission],
  platform: [href, permission] as [string, Permission],
});

const LOOKUPS: Record<string, Lookup> = {
  person: async (db, ids) =>
    byId(
      await db.select({ id: people.id, name: people.name, email: people.email }).from(people).where(inArray(people.id, ids)),
      (p) => ({
        label: `${p.name} (${p.email})`,
        person: { name: p.name, email: p.email },
        href: everywhere(`/admin/people/${p.id}`, "user:read"),
      }),
    ),
  organisation: async (db, ids) =>
    byId(
      await db
        .select({ id: organisations.id, name: organisations.name })
        .from(organisations)
        .where(inArray(organisations.id, ids)),
      (o) => ({
        label: o.name,
        href: { platform: ["/admin/organisations", "platform:organisations"] },
      }),
    ),
  "evidence-item": async (db, ids) =>
    byId(
      await db
        .select({ id: evidenceItems.id, title: evidenceItems.title })
        .from(evidenceItems)
        .where(inArray(evidenceItems.id, ids)),
      (e) => ({
        label: e.title,
        href: {
          agency: [`/evidence/${e.id}`, "evidence:read"],
          platform: [`/evidence/${e.id}`, "evidence:read"],
          vendor: [`/portal/evidence/${e.id}`, "evidence:upload:own-vendor"],
        },
      }),
    ),
  contract: async (db, ids) =>
    byId(
      await db
        .select({ id: contracts.id, title: contracts.title, reference: contracts.reference })
        .from(contracts)
        .where(inArray(contracts.id, ids)),
      (c) => ({
        label: c.reference ? `${c.title} (${c.reference})` : c.title,
        href: { agency: [`/contracts/${c.id}`, "contract:read"], platform: [`/contracts/${c.id}`, "contract:read"] },
      }),
    ),
  "contract-file": async (db, ids) =>
    byId(
      await db
        .select({
          id: contractFiles.id,
          contractId: contractFiles.contractId,
          filename: contractFiles.filename,
          version: contractFiles.version,
        })
        .from(contractFiles)
        .where(inArray(contractFiles.id, ids)),
      (f) => ({
        label: `${f.filename} (version ${f.version})`,
        href: {
          agency: [`/contracts/${f.contractId}/files/${f.id}`, "contract:read"],
          platform: [`/contracts/${f.contractId}/files/${f.id}`, "contract:read"],
        },
      }),
    ),
  vendor: async (db, ids) =>
    byId(await vendorNames(db, ids), (v) => ({
      label: v.name,
      href: { agency: [`/vendors/${v.id}`, "vendor:read"], platform: [`/vendors/${v.id}`, "vendor:read"] },
    })),
  roster: async (db, ids) =>
    byId(await vendorNames(db, ids), (v) => ({
      label: `Personnel roster of ${v.name}`,
      href: {
        agency: [`/roster/${v.id}`, "evidence:read"],
        platform: [`/roster/${v.id}`, "evidence:read"],
        vendor: ["/portal/roster", "roster:propose:own-vendor"],
      },
    })),
  notice: async (db, ids) =>
    byId(await db.select({ id: notices.id, summary: notices.summary }).from(notices).where(inArray(notices.id, ids)), (n) => ({
      label: n.summary,
      href: {
        agency: [`/notices/${n.id}`, "evidence:read"],
        platform: [`/notices/${n.id}`, "evidence:read"],
        vendor: [`/portal/notices/${n.id}`, "notice:file:own-vendor"],
      },
    })),
  document: async (db, ids) =>
    byId(
      await db
        .select({
          id: documentGenerations.id,
          title: documentGenerations.templateTitle,
          subject: documentGenerations.subjectLabel,
        })
        .from(documentGenerations)
        .where(inArray(documentGenerations.id, ids)),
      (d) => ({
        label: `${d.title} — ${d.subject}`,
        href: { agency: [`/documents/${d.id}`, "document:read"], platform: [`/documents/${d.id}`, "document:read"] },
      }),
    ),
  invitation: async (db, ids) =>
    byId(
      await db
        .select({ id: invitations.id, email: invitations.email, role: invitations.role })
        .from(invitations)
        .where(inArray(invitations.id, ids)),
      (i) => ({ label: `Invitation for ${i.email} as ${roleLabel(i.role)}` }),
    ),
  membership: async (db, ids) =>
    byId(
      await db
        .select({
          id: memberships.id,
          role: memberships.role,
          personId: people.id,
          person: people.name,
          organisation: organisations.name,
        })
        .from(memberships)
        .innerJoin(people, eq(memberships.personId, people.id))
        .innerJoin(organisations, eq(memberships.organisationId, organisations.id))
        .where(inArray(memberships.id, ids)),
      (m) => ({
        label: `${m.person}, ${roleLabel(m.role)} at ${m.organisation}`,
        href: everywhere(`/admin/people/${m.personId}`, "user:read"),
      }),
    ),
  "api-token": async (db, ids) =>
    byId(
      await db
        .select({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix })
        .from(apiTokens)
        .where(inArray(apiTokens.id, ids)),
      (t) => ({ label: `API token “${t.name}” (${t.prefix}…)`, href: everywhere("/admin/tokens", "token:manage") }),
    ),
  "access-review": async (db, ids) =>
    byId(
      await db
        .select({ id: accessReviews.id, startedAt: accessReviews.startedAt })
        .from(accessReviews)
        .where(inArray(accessReviews.id, ids)),
      (r) => ({
        label: `Access review started ${formatDay(r.startedAt)}`,
        href: everywhere(`/admin/reviews/${r.id}`, "access-review:run"),
      }),
    ),
  framework: async (db, ids) =>
    byId(
      await db
        .select({ id: frameworks.id, key: frameworks.key, version: frameworks.version, title: frameworks.shortTitle })
        .from(frameworks)
        .where(inArray(frameworks.id, ids)),
      (f) => ({ label: `${f.title} ${f.version}`, href: everywhere(`/catalog/${f.key}/${f.version}`, "catalog:read") }),
    ),
  requirement: async (db, ids) =>
    byId(
      await db
        .select({
          id: requirements.id,
          code: requirements.code,
          title: requirements.title,
          key: frameworks.key,
          version: frameworks.version,
        })
        .from(requirements)
        .innerJoin(frameworks, eq(requirements.frameworkId, frameworks.id))
        .where(inArray(requirements.id, ids)),
      (r) => ({
        label: `${r.code} ${r.title}`,
        href: everywhere(`/catalog/${r.key}/${r.version}/${encodeURIComponent(r.code)}`, "catalog:read"),
      }),
    ),
  "evidence-kind": async (db, ids) =>
    byId(
      await db
        .select({ id: evidenceKinds.id, name: evidenceKinds.name })
        .from(evidenceKinds)
        .where(inArray(evidenceKinds.id, ids)),
      (k) => ({
        label: k.name,
        href: everywhere("/catalog/evidence", "catalog:read"),
      }),
    ),
};

/** Object types whose id is a name, not a row: shown as it is. */
const NAMED: Record<string, (id: string) => Found> = {
  report: (id) => ({ label: `Report “${id}”`, href: everywhere(`/reports/${encodeURIComponent(id)}`, "report:read") }),
  template: (id) => ({ label: `Template “${id}”` }),
};

async function vendorNames(db: Queryable, ids: string[]) {
  const rows = await db
    .select({ id: vendors.id, legalName: vendors.legalName, tradeName: vendors.tradeName })
    .from(vendors)
    .where(inArray(vendors.id, ids));
  return rows.map((v) => ({ id: v.id, name: v.tradeName ?? v.legalName }));
}

/**
 * Whether the reader may see the object's name. An attempt that was refused (a 404 for another agency's contract,
 * a denied permission) names an object the actor could not reach, which may belong to another organization: its id
 * is shown, never its title. Sign-in events name the person they are about, whose organizations read them.
 */
function mayName(reader: Pick<Actor, "organisationKind">, e: AuditEvent) {
  return reader.organisationKind === "platform" || e.outcome === "success" || e.action.startsWith("auth.");
}

/** The labels for a page (or batch) of events, in the order given. */
export async function labelEvents(db: Queryable, reader: Pick<Actor, "organisationKind" | "permissions">, events: AuditEvent[]) {
  const wanted = new Map<string, Set<string>>();
  const want = (type: string, id: string | null | undefined) => {
    if (!id || !uuid.test(id)) return;
    if (!wanted.has(type)) wanted.set(type, new Set());
    wanted.get(type)!.add(id);
  };
  for (const e of events) {
    want("person", e.actorPersonId);
    want("organisation", e.actorOrganisationId);
    want("organisation", e.organisationId);
    if (e.objectType && LOOKUPS[e.objectType] && mayName(reader, e)) want(e.objectType, e.objectId);
  }
  const found = new Map<string, Map<string, Found>>();
  for (const [type, ids] of wanted) found.set(type, await LOOKUPS[type]!(db, [...ids]));
  const people = found.get("person") ?? new Map();
  const orgs = found.get("organisation") ?? new Map();
  const fallbackOrganisation = await onlyOrganisations(
    db,
    events.filter((e) => e.actorPersonId && !e.actorOrganisationId).map((e) => e.actorPersonId!),
  );
  const kind = reader.organisationKind ?? "platform";
  const linkOf = (f: Found): ObjectLabel => {
    const target = f.href?.[kind];
    return { label: f.label, href: target && reader.permissions.has(target[1]) ? target[0] : null };
  };
  return events.map((e): EventLabels => {
    const person = e.actorPersonId ? people.get(e.actorPersonId) : undefined;
    const object = e.objectType && e.objectId && mayName(reader, e) ? objectOf(e.objectType, e.objectId) : undefined;
    return {
      actor: person?.person ?? null,
      actorOrganisation: e.actorOrganisationId
        ? (orgs.get(e.actorOrganisationId)?.label ?? null)
        : e.actorPersonId
          ? (fallbackOrganisation.get(e.actorPersonId) ?? null)
          : null,
      organisation: e.organisationId ? (orgs.get(e.organisationId)?.label ?? null) : null,
      object: object ? linkOf(object) : null,
    };
  });

  function objectOf(type: string, id: string): Found | undefined {
    if (NAMED[type]) return NAMED[type](id);
    return found.get(type)?.get(id);
  }
}

/** For events recorded before the actor's organisation was: the organisation of a person who only ever belonged to one. */
async function onlyOrganisations(db: Queryable, personIds: string[]) {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .selectDistinct({ personId: memberships.personId, name: organisations.name })
    .from(memberships)
    .innerJoin(organisations, eq(memberships.organisationId, organisations.id))
    .where(inArray(memberships.personId, ids));
  const names = new Map<string, string[]>();
  for (const r of rows) names.set(r.personId, [...(names.get(r.personId) ?? []), r.name]);
  return new Map([...names].filter(([, n]) => n.length === 1).map(([id, n]) => [id, n[0]!]));
}
