import { aliasedTable, and, asc, desc, eq, gt, isNull, lte, or, sql } from "drizzle-orm";
import {
  accessReviewItems,
  accessReviews,
  deprovisioningRecords,
  directoryIdentities,
  memberships,
  organisations,
  people,
} from "../../../db/schema/access.ts";
import { queryRows } from "../../../db/client.ts";
import { organisationScope, ownOrganisation, type ModuleContext } from "../context.server.ts";
import { ALL_PERMISSIONS, ALL_ROLES, PERMISSIONS, ROLES } from "./permissions.ts";
import type { ReportName } from "./report-names.ts";
import { STALE_AFTER_DAYS } from "./sweep.server.ts";
import { formatUtcMinute, roleLabel } from "../format.ts";

/**
 * What an auditor asks for (access lists, stale and expiring accounts,
 * deprovisioning records, permission configuration), scoped like everything
 * else: one's own organisation, or all of them for a platform administrator.
 * Each report is a table: a header and rows of plain values, for page and CSV alike.
 */
export type Report = { title: string; description: string; columns: string[]; rows: (string | number)[][] };

/** Access reports are audit records: their times stay in UTC, as the column headings say. */
const iso = (d: Date | null | undefined) => formatUtcMinute(d, { suffix: false });
const platformWide = (ctx: ModuleContext) => ctx.actor.organisationKind === "platform";
const personStatus = (p: { disabledAt: Date | null; lockedAt: Date | null }) =>
  p.disabledAt ? "disabled" : p.lockedAt ? "locked" : "active";

export { REPORTS, type ReportName } from "./report-names.ts";

export async function buildReport(ctx: ModuleContext, name: ReportName): Promise<Report> {
  const report = await builders[name](ctx);
  ctx.audit.record({ action: "report.read", objectType: "report", objectId: name, details: { rows: report.rows.length } });
  return report;
}

/** A report for download; the export is recorded besides the read. */
export async function exportReport(ctx: ModuleContext, name: ReportName): Promise<Report> {
  const report = await buildReport(ctx, name);
  ctx.audit.record({
    action: "report.export",
    objectType: "report",
    objectId: name,
    details: { format: "csv", rows: report.rows.length },
  });
  return report;
}

const builders: Record<ReportName, (ctx: ModuleContext) => Promise<Report>> = {
  "access-list": async (ctx) => {
    const rows = await ctx.db
      .select({ m: memberships, p: people, o: organisations, d: directoryIdentities })
      .from(memberships)
      .innerJoin(people, eq(people.id, memberships.personId))
      .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
      .leftJoin(
        directoryIdentities,
        and(
          eq(directoryIdentities.personId, memberships.personId),
          eq(directoryIdentities.organisationId, memberships.organisationId),
        ),
      )
      .where(and(isNull(memberships.endedAt), organisationScope(ctx, memberships.organisationId)))
      .orderBy(asc(organisations.name), asc(people.name));
    return {
      title: "Access list",
      description: "Who holds which role where, since when, until when, and when they last used Custody.",
      // What an auditor checks first comes first: the role, whether the account is live, its last use and when the role ends.
      columns: [
        "Person",
        "Role",
        "Account status",
        "Last activity (UTC)",
        "Until (UTC)",
        "Since (UTC)",
        "Organization",
        "E-mail",
        "Agency directory (SCIM)",
      ],
      rows: rows.map(({ m, p, o, d }) => [
        p.name,
        roleLabel(m.role),
        personStatus(p),
        iso(p.lastActivityAt) || "never",
        iso(m.endsAt) || "no end date",
        iso(m.startsAt),
        o.name,
        p.email,
        d ? `managed; last heard ${iso(d.lastSeenAt)}${d.active ? "" : "; inactive there"}` : "not managed",
      ]),
    };
  },
  "outside-access": async (ctx) => {
    // Who else can reach the agency's records: the portal accounts of the vendors it records (they answer its evidence
    // requests, notices and roster), and the people of partner agencies that read the contracts it shares with them.
    const agency = platformWide(ctx) ? null : (ctx.actor.organisationId ?? "00000000-0000-0000-0000-000000000000");
    const rows = await queryRows<{
      agency: string;
      name: string;
      email: string;
      organisation: string;
      role: string;
      why: string;
      last_activity_at: Date | null;
      disabled_at: Date | null;
      locked_at: Date | null;
    }>(
      ctx.db,
      sql`select a.name as agency, p.name, p.email, o.name as organisation, m.role,
                 'Vendor portal: answers the agency''s evidence requests, notices and roster' as why,
                 p.last_activity_at, p.disabled_at, p.locked_at
            from vendor_profiles vp
            join organisations a on a.id = vp.agency_id
            join vendors v on v.id = vp.vendor_id
            join memberships m on m.organisation_id = v.organisation_id and m.ended_at is null
            join people p on p.id = m.person_id
            join organisations o on o.id = m.organisation_id
           where (${agency}::uuid is null or vp.agency_id = ${agency}::uuid)
          union all
          select a.name as agency, p.name, p.email, o.name as organisation, m.role,
                 'Reads the shared contract ' || string_agg(distinct c.title, '; ') as why,
                 p.last_activity_at, p.disabled_at, p.locked_at
            from contract_shares s
            join contracts c on c.id = s.contract_id
            join organisations a on a.id = c.agency_id
            join memberships m on m.organisation_id = s.agency_id and m.ended_at is null
            join people p on p.id = m.person_id
            join organisations o on o.id = m.organisation_id
           where (${agency}::uuid is null or c.agency_id = ${agency}::uuid)
             and m.role in (${sql.join(
               ALL_ROLES.filter((r) => (ROLES[r].permissions as readonly string[]).includes("contract:read")).map(
                 (r) => sql`${r}`,
               ),
               sql`, `,
             )})
           group by a.name, p.name, p.email, o.name, m.role, p.last_activity_at, p.disabled_at, p.locked_at
           order by 1, 4, 2`,
    );
    return {
      title: "Access from outside the agency",
      description:
        "Everyone outside the agency who can reach some of its records in Custody: the portal accounts of its vendors and the people of partner agencies that read its shared contracts, with their role, last activity and status.",
      // An agency reads only its own: the column naming whose records they reach is for the platform administrator.
      columns: [
        ...(agency ? [] : ["Records of"]),
        "Person",
        "E-mail",
        "Organization",
        "Role",
        "What they can reach",
        "Last activity (UTC)",
        "Status",
      ],
      rows: rows.map((r) => [
        ...(agency ? [] : [r.agency]),
        r.name,
        r.email,
        r.organisation,
        roleLabel(r.role),
        r.why,
        iso(r.last_activity_at ? new Date(r.last_activity_at) : null) || "never",
        personStatus({ disabledAt: r.disabled_at, lockedAt: r.locked_at }),
      ]),
    };
  },
  accounts: async (ctx) => {
    const soon = new Date(ctx.now.getTime() + 30 * 86_400_000);
    const quiet = new Date(ctx.now.getTime() - 60 * 86_400_000);
    const scope = organisationScope(ctx, memberships.organisationId);
    const rows = await ctx.db
      .select({ m: memberships, p: people, o: organisations, d: directoryIdentities })
      .from(memberships)
      .innerJoin(people, eq(people.id, memberships.personId))
      .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
      .leftJoin(
        directoryIdentities,
        and(
          eq(directoryIdentities.personId, memberships.personId),
          eq(directoryIdentities.organisationId, memberships.organisationId),
        ),
      )
      .where(
        and(
          scope,
          or(
            and(isNull(memberships.endedAt), gt(memberships.endsAt, ctx.now), lte(memberships.endsAt, soon)),
            and(
              isNull(people.disabledAt),
              isNull(memberships.endedAt),
              lte(sql`coalesce(${people.lastActivityAt}, ${people.createdAt})`, sql`${quiet.toISOString()}::timestamptz`),
            ),
            eq(people.disabledBy, "sweep"),
          ),
        ),
      )
      .orderBy(asc(people.name));
    const list = rows.map(({ m, p, o }) => {
      const [kind, detail] =
        p.disabledBy === "sweep"
          ? ["disabled by sweep", `Disabled ${iso(p.disabledAt)}: ${p.disabledReason ?? ""}`]
          : m.endsAt && m.endsAt > ctx.now && m.endsAt <= soon
            ? ["expiring in 30 days", `Role ends ${iso(m.endsAt)}`]
            : [
                "stale",
                `No activity since ${iso(p.lastActivityAt ?? p.createdAt)}; disabled automatically after ${STALE_AFTER_DAYS} days`,
              ];
      return [kind, p.name, p.email, o.name, roleLabel(m.role), detail];
    });
    return {
      title: "Stale and expiring accounts",
      description: `Accounts idle for more than 60 days (the sweep disables them at ${STALE_AFTER_DAYS}), roles ending in the next 30 days, and accounts the sweep disabled.`,
      columns: ["List", "Person", "E-mail", "Organization", "Role", "Detail"],
      rows: list,
    };
  },
  deprovisioning: async (ctx) => {
    const actor = aliasedTable(people, "actor");
    const subject = aliasedTable(people, "subject");
    const scope = platformWide(ctx)
      ? undefined
      : or(
          ownOrganisation(ctx, deprovisioningRecords.organisationId),
          sql`${deprovisioningRecords.personId} in (select person_id from memberships where organisation_id = ${ctx.actor.organisationId})`,
        );
    const rows = await ctx.db
      .select({ r: deprovisioningRecords, actor: actor.email, subject: subject.email, organisation: organisations.name })
      .from(deprovisioningRecords)
      .leftJoin(actor, eq(actor.id, deprovisioningRecords.actorId))
      .leftJoin(subject, eq(subject.id, deprovisioningRecords.personId))
      .leftJoin(organisations, eq(organisations.id, deprovisioningRecords.organisationId))
      .where(scope)
      .orderBy(desc(deprovisioningRecords.at));
    return {
      title: "Deprovisioning records",
      description: "Every person disabled or re-enabled, role ended and agency decommissioned: by whom, when and why.",
      columns: ["When (UTC)", "What", "Person", "Organization", "Reason", "By", "Details"],
      rows: rows.map(({ r, actor: by, subject: who, organisation }) => [
        iso(r.at),
        r.kind,
        who ?? "",
        organisation ?? "",
        r.reason,
        by ??
          ((r.details as { source?: string } | null)?.source === "directory"
            ? "the agency's directory (SCIM)"
            : "stale-account sweep"),
        JSON.stringify(r.details),
      ]),
    };
  },
  "access-reviews": async (ctx) => {
    const rows = await ctx.db
      .select({
        startedAt: accessReviews.startedAt,
        completedAt: accessReviews.completedAt,
        decision: accessReviewItems.decision,
        decidedAt: accessReviewItems.decidedAt,
        note: accessReviewItems.note,
        role: memberships.role,
        organisation: organisations.name,
        decider: sql<string | null>`(select email from people d where d.id = ${accessReviewItems.decidedBy})`,
        subject: people.email,
      })
      .from(accessReviewItems)
      .innerJoin(accessReviews, eq(accessReviews.id, accessReviewItems.reviewId))
      .innerJoin(memberships, eq(memberships.id, accessReviewItems.membershipId))
      .innerJoin(organisations, eq(organisations.id, accessReviews.organisationId))
      .innerJoin(people, eq(people.id, memberships.personId))
      .where(organisationScope(ctx, accessReviews.organisationId))
      .orderBy(desc(accessReviews.startedAt), asc(people.email));
    return {
      title: "Access reviews",
      description: "Every decision of every access review: who reviewed whose role, what they decided, when and why.",
      columns: [
        "Review started (UTC)",
        "Review completed (UTC)",
        "Organization",
        "Person",
        "Role",
        "Decision",
        "Decided by",
        "Decided at (UTC)",
        "Note",
      ],
      rows: rows.map((r) => [
        iso(r.startedAt),
        iso(r.completedAt) || "in progress",
        r.organisation,
        r.subject,
        roleLabel(r.role),
        r.decision ?? "pending",
        r.decider ?? "",
        iso(r.decidedAt),
        r.note ?? "",
      ]),
    };
  },
  permissions: async () => ({
    title: "Permission configuration",
    description: "Which permissions each role grants. Roles are fixed by the product; nothing else grants a permission.",
    columns: ["Permission", "Meaning", ...ALL_ROLES.map((r) => ROLES[r].label)],
    rows: ALL_PERMISSIONS.map((p) => [
      p,
      PERMISSIONS[p],
      ...ALL_ROLES.map((r) => ((ROLES[r].permissions as readonly string[]).includes(p) ? "yes" : "")),
    ]),
  }),
};
