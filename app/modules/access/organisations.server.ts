import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Queryable } from "../../../db/client.ts";
import { apiTokens, deprovisioningRecords, memberships, organisations, people } from "../../../db/schema/access.ts";
import { vendors } from "../../../db/schema/vendors.ts";
import {
  InvalidInput,
  NO_ORGANISATION,
  NotFound,
  requirePermission as assertPermission,
  requireReason,
  type ModuleContext,
} from "../context.server.ts";
import { assignmentCounts, disableUnassigned } from "./deprovision.server.ts";
import { liveRole } from "./sessions.server.ts";
import { DEFAULT_TIME_ZONE, isUsTimeZone, zoneForState } from "../time-zones.ts";

/**
 * The organisations of an installation: agencies (tenants that own data) and
 * vendors. Only a platform administrator creates or decommissions them.
 */

const STATES = new Set(
  "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI".split(
    " ",
  ),
);

/**
 * Add an agency or a vendor. An agency keeps time in its state's zone unless one is chosen; a state
 * on two zones (Florida, Texas, Michigan …) needs the choice made. A vendor starts on Eastern time
 * unless one is chosen; its administrator can change it.
 */
export async function createOrganisation(
  ctx: ModuleContext,
  input: { kind: string; name: string; state: string; ori: string; timeZone?: string },
) {
  assertPermission(ctx, "platform:organisations");
  const kind = input.kind === "vendor" ? "vendor" : input.kind === "agency" ? "agency" : null;
  const name = input.name.trim();
  const state = input.state.trim().toUpperCase();
  const ori = input.ori.trim().toUpperCase();
  const chosenZone = input.timeZone?.trim() ?? "";
  const errors: Record<string, string> = {};
  if (!kind) errors.kind = "Choose agency or vendor.";
  if (name.length < 2 || name.length > 200) errors.name = "Enter the organization's name.";
  if (chosenZone && !isUsTimeZone(chosenZone)) errors.timeZone = "Choose one of the listed time zones.";
  const suggested = kind === "agency" ? zoneForState(state) : null;
  if (kind === "agency" && !chosenZone && suggested && !suggested.certain) {
    errors.timeZone = `${state} spans two time zones: choose the one the agency keeps.`;
  }
  const timeZone = chosenZone || suggested?.zone || DEFAULT_TIME_ZONE;
  if (kind === "agency") {
    if (!STATES.has(state)) errors.state = "Enter the two-letter code of a state or territory, like VA.";
    if (!/^[A-Z]{2}[0-9A-Z]{7}$/.test(ori)) errors.ori = "Enter the 9-character ORI, like VA0990100.";
    else if (STATES.has(state) && !ori.startsWith(state)) errors.ori = "An ORI begins with the agency's state code.";
    else {
      const [taken] = await ctx.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.ori, ori));
      if (taken) errors.ori = "Another agency already has this ORI.";
    }
  }
  if (Object.keys(errors).length > 0) throw new InvalidInput(errors);
  const [row] = await ctx.db
    .insert(organisations)
    .values({ kind: kind!, name, state: kind === "agency" ? state : null, ori: kind === "agency" ? ori : null, timeZone })
    .returning();
  ctx.audit.record({
    action: "organisation.create",
    objectType: "organisation",
    objectId: row!.id,
    organisationId: row!.id,
    details: { kind, name, state: row!.state, ori: row!.ori, timeZone },
  });
  return row!;
}

/**
 * Decommission an agency: every membership in it ends; its data stays, owned and exportable.
 * It cannot be undone, so the administrator types the agency's name to confirm it.
 */
export async function decommissionAgency(ctx: ModuleContext, organisationId: string, reasonInput: string, confirmName: string) {
  assertPermission(ctx, "platform:organisations");
  if (!/^[0-9a-f-]{36}$/i.test(organisationId)) throw new NotFound("organisation", organisationId);
  const [organisation] = await ctx.db.select().from(organisations).where(eq(organisations.id, organisationId));
  if (!organisation || organisation.kind !== "agency") throw new NotFound("organisation", organisationId);
  if (organisation.status === "decommissioned") throw new InvalidInput({ form: "This agency is already decommissioned." });
  const errors: Record<string, string> = {};
  let reason = "";
  try {
    reason = requireReason(reasonInput);
  } catch (error) {
    if (!(error instanceof InvalidInput)) throw error;
    Object.assign(errors, error.fieldErrors);
  }
  const typed = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();
  if (typed(confirmName) !== typed(organisation.name))
    errors.confirmName = `That is not the agency's name: type ${organisation.name} exactly as shown.`;
  if (Object.keys(errors).length > 0) throw new InvalidInput(errors);
  await ctx.db
    .update(organisations)
    .set({
      status: "decommissioned",
      decommissionedAt: ctx.now,
      decommissionedBy: ctx.actor.personId,
      decommissionedReason: reason,
    })
    .where(eq(organisations.id, organisationId));
  const ended = await ctx.db
    .update(memberships)
    .set({ endedAt: ctx.now, endedReason: `agency decommissioned: ${reason}` })
    .where(and(eq(memberships.organisationId, organisationId), isNull(memberships.endedAt)))
    .returning({ id: memberships.id, personId: memberships.personId });
  const tokens = await ctx.db
    .update(apiTokens)
    .set({ revokedAt: ctx.now, revokedReason: `agency decommissioned: ${reason}` })
    .where(and(eq(apiTokens.organisationId, organisationId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  const peopleDisabled = await disableUnassigned(ctx.db, ctx.audit, {
    personIds: ended.map((m) => m.personId),
    because: `${organisation.name} decommissioned: ${reason}`,
    organisationId,
    actorId: ctx.actor.personId,
    now: ctx.now,
  });
  const details = { membershipsEnded: ended.map((m) => m.id), tokensRevoked: tokens.map((t) => t.id), peopleDisabled };
  await ctx.db
    .insert(deprovisioningRecords)
    .values({ kind: "agency-decommissioned", organisationId, reason, actorId: ctx.actor.personId, at: ctx.now, details });
  ctx.audit.record({
    action: "organisation.decommission",
    objectType: "organisation",
    objectId: organisationId,
    organisationId,
    details: { reason, ...details },
  });
  return { name: organisation.name, membershipsEnded: ended.length, peopleDisabled: peopleDisabled.length };
}

/**
 * Organisations a platform administrator manages: each one's status (since when, by whom, why)
 * and the number of people who hold a live role in it (not disabled, role started and not ended).
 */
export async function listOrganisations(ctx: ModuleContext) {
  assertPermission(ctx, "platform:organisations");
  const rows = await ctx.db
    .select({
      id: organisations.id,
      kind: organisations.kind,
      name: organisations.name,
      state: organisations.state,
      ori: organisations.ori,
      status: organisations.status,
      decommissionedAt: organisations.decommissionedAt,
      decommissionedReason: organisations.decommissionedReason,
      decommissionedByName: people.name,
      decommissionedByEmail: people.email,
    })
    .from(organisations)
    .leftJoin(people, eq(people.id, organisations.decommissionedBy))
    .orderBy(asc(organisations.kind), asc(organisations.name));
  const counted = await ctx.db
    .select({ organisationId: memberships.organisationId, n: sql<number>`count(distinct ${memberships.personId})::int` })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(and(liveRole(ctx.now), isNull(people.disabledAt)))
    .groupBy(memberships.organisationId);
  const members = new Map(counted.map((c) => [c.organisationId, c.n]));
  ctx.audit.record({ action: "organisation.list", objectType: "organisation", details: { count: rows.length } });
  return rows.map((r) => ({ ...r, members: members.get(r.id) ?? 0 }));
}

/** What decommissioning an agency would do, for the confirmation page: roles ending, people disabled. */
export async function decommissionPreview(ctx: ModuleContext, organisationId: string) {
  assertPermission(ctx, "platform:organisations");
  if (!/^[0-9a-f-]{36}$/i.test(organisationId)) throw new NotFound("organisation", organisationId);
  const [organisation] = await ctx.db
    .select({ id: organisations.id, name: organisations.name, kind: organisations.kind, status: organisations.status })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  if (!organisation || organisation.kind !== "agency") throw new NotFound("organisation", organisationId);
  const counts = await assignmentCounts(ctx.db, organisationId, ctx.now);
  ctx.audit.record({
    action: "organisation.decommission.preview",
    objectType: "organisation",
    objectId: organisationId,
    organisationId,
    details: counts,
  });
  return { ...organisation, ...counts };
}

/** The zone each organisation keeps time in, for work done across organisations (the reminder sweep). */
export async function timeZonesOf(db: Queryable, organisationIds: string[]) {
  const ids = [...new Set(organisationIds)];
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: organisations.id, timeZone: organisations.timeZone })
    .from(organisations)
    .where(inArray(organisations.id, ids));
  return new Map(rows.map((r) => [r.id, r.timeZone]));
}

/**
 * The organisation a newly registered vendor's portal accounts belong to: a vendor organisation
 * of the same name that no vendor record uses yet (a platform administrator may have created it
 * for the portal first), or a new one. Called by the vendors module when an agency registers a vendor.
 */
export async function organisationForNewVendor(ctx: ModuleContext, legalName: string) {
  const [existing] = await ctx.db
    .select({ id: organisations.id })
    .from(organisations)
    .leftJoin(vendors, eq(vendors.organisationId, organisations.id))
    .where(
      and(eq(organisations.kind, "vendor"), sql`lower(${organisations.name}) = lower(${legalName})`, sql`${vendors.id} is null`),
    );
  if (existing) return { id: existing.id, linkedExisting: true };
  const [row] = await ctx.db
    .insert(organisations)
    .values({ kind: "vendor", name: legalName })
    .returning({ id: organisations.id });
  ctx.audit.record({
    action: "organisation.create",
    objectType: "organisation",
    objectId: row!.id,
    organisationId: row!.id,
    details: { kind: "vendor", name: legalName, for: "vendor registration" },
  });
  return { id: row!.id, linkedExisting: false };
}

/** A vendor's organisation follows the vendor's legal name when the registering agency changes it. */
export async function renameVendorOrganisation(ctx: ModuleContext, organisationId: string, name: string) {
  await ctx.db
    .update(organisations)
    .set({ name })
    .where(and(eq(organisations.id, organisationId), eq(organisations.kind, "vendor")));
}

/** The actor's own organisation, for its settings page. */
export async function ownOrganisationSettings(ctx: ModuleContext) {
  assertPermission(ctx, "organisation:settings");
  const [row] = await ctx.db
    .select({
      id: organisations.id,
      name: organisations.name,
      kind: organisations.kind,
      state: organisations.state,
      timeZone: organisations.timeZone,
    })
    .from(organisations)
    .where(eq(organisations.id, ctx.actor.organisationId ?? NO_ORGANISATION));
  if (!row) throw new NotFound("organisation", ctx.actor.organisationId ?? "none");
  ctx.audit.record({
    action: "organisation.settings.read",
    objectType: "organisation",
    objectId: row.id,
    organisationId: row.id,
  });
  return { ...row, suggested: row.kind === "agency" ? zoneForState(row.state) : null };
}

/** Change the zone the actor's own organisation keeps time in: its due, expiry and renewal days follow. */
export async function setOwnTimeZone(ctx: ModuleContext, timeZone: string) {
  assertPermission(ctx, "organisation:settings");
  const current = await ownOrganisationSettings(ctx);
  if (!isUsTimeZone(timeZone)) throw new InvalidInput({ timeZone: "Choose one of the listed time zones." });
  if (timeZone === current.timeZone) return { changed: false, timeZone };
  await ctx.db.update(organisations).set({ timeZone }).where(eq(organisations.id, current.id));
  ctx.audit.record({
    action: "organisation.time-zone",
    objectType: "organisation",
    objectId: current.id,
    organisationId: current.id,
    details: { from: current.timeZone, to: timeZone },
  });
  return { changed: true, timeZone };
}
