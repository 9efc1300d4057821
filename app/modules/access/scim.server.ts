import { and, asc, eq, sql } from "drizzle-orm";
import { deprovisioningRecords, directoryIdentities, memberships, organisations, people } from "../../../db/schema/access.ts";
import { requirePermission, type ModuleContext, isUuid } from "../context.server.ts";
import { directoryMark, endDirectoryRoles } from "./deprovision.server.ts";
import { ROLES, rolesFor, type Role } from "./permissions.ts";
import { emailInvitation, inviteExistingRecord } from "./accounts.server.ts";
import { liveRole } from "./sessions.server.ts";

/**
 * SCIM 2.0 provisioning (RFC 7643, RFC 7644) from an agency's directory: Users are the agency's people,
 * Groups are the agency's roles (fixed; a directory group is matched to a role by its name). Creating a
 * user makes the person (no credentials: an invitation is made when a role is first granted); adding a
 * user to a group grants the role; removing them ends it; `active: false` or DELETE ends every role the
 * person holds in this agency, with a deprovisioning record naming the directory, and a person left with
 * no role anywhere is disabled at once, every session and token cut (the same path as an administrator's
 * action). The token is the agency's, so it reaches only that agency's people. Issue 19.
 */

export const SCIM = {
  user: "urn:ietf:params:scim:schemas:core:2.0:User",
  group: "urn:ietf:params:scim:schemas:core:2.0:Group",
  list: "urn:ietf:params:scim:api:messages:2.0:ListResponse",
  patch: "urn:ietf:params:scim:api:messages:2.0:PatchOp",
  error: "urn:ietf:params:scim:api:messages:2.0:Error",
} as const;

/** A refusal as SCIM states it: an HTTP status, an optional scimType, and a sentence. */
export class ScimError extends Error {
  override name = "ScimError";
  constructor(
    readonly status: number,
    message: string,
    readonly scimType?: string,
  ) {
    super(message);
  }
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const agencyRoles = () => rolesFor("agency");

type Ctx = ModuleContext;

function agencyOf(ctx: Ctx) {
  requirePermission(ctx, "scim:provision");
  if (ctx.actor.organisationKind !== "agency" || !ctx.actor.organisationId)
    throw new ScimError(403, "SCIM provisions an agency's people; this token belongs to another kind of organization.");
  return ctx.actor.organisationId;
}

/** The people SCIM may see: those the directory manages here, and anyone holding a role here now (to be matched). */
function inAgency(agencyId: string) {
  return sql`(${people.id} in (select d.person_id from directory_identities d where d.organisation_id = ${agencyId})
          or ${people.id} in (select m.person_id from memberships m where m.organisation_id = ${agencyId} and m.ended_at is null))`;
}

async function identityOf(ctx: Ctx, agencyId: string, personId: string) {
  const [row] = await ctx.db
    .select()
    .from(directoryIdentities)
    .where(and(eq(directoryIdentities.organisationId, agencyId), eq(directoryIdentities.personId, personId)));
  return row ?? null;
}

/** Mark the directory as the manager of a person here (first touch), and that it just spoke. */
async function touch(
  ctx: Ctx,
  agencyId: string,
  personId: string,
  changes: { externalId?: string | null; active?: boolean } = {},
) {
  const existing = await identityOf(ctx, agencyId, personId);
  if (!existing) {
    const [row] = await ctx.db
      .insert(directoryIdentities)
      .values({
        organisationId: agencyId,
        personId,
        externalId: changes.externalId ?? null,
        active: changes.active ?? true,
        createdAt: ctx.now,
        updatedAt: ctx.now,
        lastSeenAt: ctx.now,
      })
      .returning();
    return row!;
  }
  const [row] = await ctx.db
    .update(directoryIdentities)
    .set({
      ...(changes.externalId !== undefined ? { externalId: changes.externalId } : {}),
      ...(changes.active !== undefined ? { active: changes.active } : {}),
      updatedAt: ctx.now,
      lastSeenAt: ctx.now,
      version: existing.version + 1,
    })
    .where(eq(directoryIdentities.id, existing.id))
    .returning();
  return row!;
}

async function personHere(ctx: Ctx, agencyId: string, personId: string) {
  if (!isUuid(personId)) throw new ScimError(404, `No user ${personId} in this agency.`);
  const [person] = await ctx.db
    .select()
    .from(people)
    .where(and(eq(people.id, personId), inAgency(agencyId)));
  if (!person) throw new ScimError(404, `No user ${personId} in this agency.`);
  return person;
}

async function userResource(ctx: Ctx, agencyId: string, person: typeof people.$inferSelect, baseUrl: string) {
  const identity = await identityOf(ctx, agencyId, person.id);
  const roles = await ctx.db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.personId, person.id), eq(memberships.organisationId, agencyId), liveRole(ctx.now)));
  const updated = identity?.updatedAt ?? person.createdAt;
  const version = versionOf(identity);
  return {
    schemas: [SCIM.user],
    id: person.id,
    ...(identity?.externalId ? { externalId: identity.externalId } : {}),
    userName: person.email,
    name: { formatted: person.name },
    displayName: person.name,
    emails: [{ value: person.email, type: "work", primary: true }],
    active: (identity?.active ?? true) && person.disabledAt === null && roles.length > 0,
    groups: roles.map((r) => ({ value: r.role, display: ROLES[r.role as Role]?.label ?? r.role, type: "direct" })),
    meta: {
      resourceType: "User",
      created: person.createdAt.toISOString(),
      lastModified: updated.toISOString(),
      location: `${baseUrl}/Users/${person.id}`,
      version,
    },
  };
}

/** A user's version: the directory's own count of its writes (0 before it first wrote). */
const versionOf = (identity: { version: number } | null) => `W/"${identity?.version ?? 0}"`;

type UserInput = {
  userName?: unknown;
  externalId?: unknown;
  active?: unknown;
  displayName?: unknown;
  name?: { formatted?: unknown; givenName?: unknown; familyName?: unknown };
  emails?: { value?: unknown; primary?: unknown }[];
};

function nameOf(input: UserInput) {
  const n = input.name ?? {};
  const joined = [n.givenName, n.familyName].filter((x) => typeof x === "string" && x.trim()).join(" ");
  const name =
    (typeof input.displayName === "string" && input.displayName.trim()) ||
    (typeof n.formatted === "string" && n.formatted.trim()) ||
    joined;
  return name ? String(name).slice(0, 200) : null;
}

function emailOf(input: UserInput) {
  const primary = input.emails?.find((e) => e.primary === true || e.primary === "true") ?? input.emails?.[0];
  const email = String((typeof input.userName === "string" && input.userName) || primary?.value || "")
    .trim()
    .toLowerCase();
  if (!emailPattern.test(email) || email.length > 254)
    throw new ScimError(400, "userName must be the person's e-mail address.", "invalidValue");
  return email;
}

/** Entra ID sends booleans as booleans, and once sent them as the strings "True" and "False". */
function booleanOf(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return undefined;
}

export async function listUsers(
  ctx: Ctx,
  query: { filter?: string | null; startIndex?: number; count?: number },
  baseUrl: string,
) {
  const agencyId = agencyOf(ctx);
  const filter = parseFilter(query.filter, ["username", "externalid", "emails.value", "id"]);
  const condition =
    filter === null
      ? undefined
      : filter.attribute === "externalid"
        ? sql`${people.id} in (select d.person_id from directory_identities d where d.organisation_id = ${agencyId} and d.external_id = ${filter.value})`
        : filter.attribute === "id"
          ? isUuid(filter.value)
            ? eq(people.id, filter.value)
            : sql`false`
          : sql`lower(${people.email}) = lower(${filter.value})`;
  const where = and(inAgency(agencyId), condition);
  const [total] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(people)
    .where(where);
  const start = Math.max(1, query.startIndex ?? 1);
  const count = Math.min(Math.max(0, query.count ?? 100), 200);
  const rows = await ctx.db
    .select()
    .from(people)
    .where(where)
    .orderBy(asc(people.createdAt), asc(people.id))
    .limit(count)
    .offset(start - 1);
  const resources = [];
  for (const p of rows) resources.push(await userResource(ctx, agencyId, p, baseUrl));
  ctx.audit.record({
    action: "scim.user.list",
    objectType: "person",
    organisationId: agencyId,
    details: { filter: query.filter ?? null, count: rows.length },
  });
  return {
    schemas: [SCIM.list],
    totalResults: total?.n ?? 0,
    startIndex: start,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

export async function getUser(ctx: Ctx, id: string, baseUrl: string) {
  const agencyId = agencyOf(ctx);
  const person = await personHere(ctx, agencyId, id);
  ctx.audit.record({ action: "scim.user.read", objectType: "person", objectId: person.id, organisationId: agencyId });
  return userResource(ctx, agencyId, person, baseUrl);
}

export async function createUser(ctx: Ctx, input: UserInput, baseUrl: string) {
  const agencyId = agencyOf(ctx);
  const email = emailOf(input);
  const name = nameOf(input) ?? email;
  const [existing] = await ctx.db
    .select()
    .from(people)
    .where(sql`lower(${people.email}) = ${email}`);
  if (existing && (await identityOf(ctx, agencyId, existing.id)))
    throw new ScimError(409, `A user with userName ${email} is already provisioned here.`, "uniqueness");
  // Someone Custody already knows (invited earlier here, or holding a role elsewhere) is the same person.
  const person = existing ?? (await ctx.db.insert(people).values({ email, name, createdAt: ctx.now }).returning())[0]!;
  const active = booleanOf(input.active) ?? true;
  await touch(ctx, agencyId, person.id, {
    externalId: typeof input.externalId === "string" ? input.externalId.slice(0, 200) : null,
    active,
  });
  ctx.audit.record({
    action: "scim.user.create",
    objectType: "person",
    objectId: person.id,
    organisationId: agencyId,
    details: { email, existing: Boolean(existing), active },
  });
  return userResource(ctx, agencyId, person, baseUrl);
}

/** PUT: the directory's whole view of the person. */
export async function replaceUser(ctx: Ctx, id: string, input: UserInput, baseUrl: string, ifMatch: string | null) {
  const agencyId = agencyOf(ctx);
  const person = await personHere(ctx, agencyId, id);
  await checkVersion(ctx, agencyId, person, ifMatch);
  await applyUser(ctx, agencyId, person, {
    name: nameOf(input),
    externalId: typeof input.externalId === "string" ? input.externalId : null,
    active: booleanOf(input.active) ?? true,
  });
  return userResource(ctx, agencyId, await personHere(ctx, agencyId, id), baseUrl);
}

type PatchOperation = { op?: unknown; path?: unknown; value?: unknown };

/** PATCH: the operations Entra ID and Okta send (replace active, names, externalId; with or without a path). */
export async function patchUser(
  ctx: Ctx,
  id: string,
  body: { Operations?: PatchOperation[] },
  baseUrl: string,
  ifMatch: string | null,
) {
  const agencyId = agencyOf(ctx);
  const person = await personHere(ctx, agencyId, id);
  await checkVersion(ctx, agencyId, person, ifMatch);
  const changes: { name?: string | null; externalId?: string | null; active?: boolean } = {};
  for (const operation of operationsOf(body)) {
    const op = String(operation.op ?? "").toLowerCase();
    if (!["add", "replace", "remove"].includes(op))
      throw new ScimError(400, `Unknown PATCH op ${String(operation.op)}.`, "invalidSyntax");
    const values: Record<string, unknown> =
      typeof operation.path === "string"
        ? { [operation.path]: op === "remove" ? null : operation.value }
        : ((operation.value as Record<string, unknown>) ?? {});
    for (const [path, value] of Object.entries(values)) {
      const key = path.toLowerCase();
      if (key === "active") {
        const b = booleanOf(value);
        if (b === undefined) throw new ScimError(400, "active must be true or false.", "invalidValue");
        changes.active = b;
      } else if (key === "externalid") changes.externalId = typeof value === "string" ? value.slice(0, 200) : null;
      else if (key === "displayname" || key === "name.formatted")
        changes.name = typeof value === "string" ? value.slice(0, 200) : null;
      else if (
        key === "name.givenname" ||
        key === "name.familyname" ||
        key === "title" ||
        key.startsWith("emails") ||
        key === "username"
      ) {
        // Kept by the directory; Custody keeps the display name and the e-mail address it was provisioned with.
      } else if (
        key.startsWith("urn:") ||
        key === "name" ||
        key === "preferredlanguage" ||
        key.startsWith("addresses") ||
        key.startsWith("phonenumbers")
      ) {
        // Attributes Custody does not hold.
      } else throw new ScimError(400, `Custody does not hold the attribute ${path}.`, "invalidPath");
    }
  }
  await applyUser(ctx, agencyId, person, changes);
  return userResource(ctx, agencyId, await personHere(ctx, agencyId, id), baseUrl);
}

/** DELETE: the person leaves this agency's directory: every role here ends, and the directory forgets them. */
export async function deleteUser(ctx: Ctx, id: string) {
  const agencyId = agencyOf(ctx);
  const person = await personHere(ctx, agencyId, id);
  await deprovision(ctx, agencyId, person.id, "deleted from the agency's directory");
  await ctx.db
    .delete(directoryIdentities)
    .where(and(eq(directoryIdentities.organisationId, agencyId), eq(directoryIdentities.personId, person.id)));
  ctx.audit.record({ action: "scim.user.delete", objectType: "person", objectId: person.id, organisationId: agencyId });
}

async function applyUser(
  ctx: Ctx,
  agencyId: string,
  person: typeof people.$inferSelect,
  changes: { name?: string | null; externalId?: string | null; active?: boolean },
) {
  const identity = await identityOf(ctx, agencyId, person.id);
  const wasActive = identity?.active ?? true;
  if (changes.name && changes.name !== person.name)
    await ctx.db.update(people).set({ name: changes.name }).where(eq(people.id, person.id));
  await touch(ctx, agencyId, person.id, { externalId: changes.externalId, active: changes.active });
  if (changes.active === false && wasActive)
    await deprovision(ctx, agencyId, person.id, "set inactive in the agency's directory");
  if (changes.active === true && !wasActive && person.disabledBy === directoryMark(agencyId)) {
    // Re-enabled by the same directory that disabled them; their roles come back through its groups.
    await ctx.db.update(people).set({ disabledAt: null, disabledReason: null, disabledBy: null }).where(eq(people.id, person.id));
    await ctx.db.insert(deprovisioningRecords).values({
      kind: "person-enabled",
      personId: person.id,
      organisationId: agencyId,
      reason: "set active again in the agency's directory",
      actorId: null,
      at: ctx.now,
      details: { source: "directory", tokenId: ctx.actor.tokenId },
    });
  }
  ctx.audit.record({
    action: "scim.user.update",
    objectType: "person",
    objectId: person.id,
    organisationId: agencyId,
    details: { ...changes },
  });
}

/** End every role the person holds here; anyone left with none anywhere is disabled, sessions and tokens cut. */
function deprovision(ctx: Ctx, agencyId: string, personId: string, why: string) {
  return endDirectoryRoles(ctx.db, ctx.audit, {
    agencyId,
    personId,
    why,
    source: "directory",
    tokenId: ctx.actor.tokenId,
    now: ctx.now,
    mark: directoryMark(agencyId),
    alwaysCheck: true,
  });
}

async function checkVersion(ctx: Ctx, agencyId: string, person: typeof people.$inferSelect, ifMatch: string | null) {
  if (!ifMatch || ifMatch === "*") return;
  const current = versionOf(await identityOf(ctx, agencyId, person.id));
  if (
    !ifMatch
      .split(",")
      .map((t) => t.trim())
      .includes(current)
  )
    throw new ScimError(412, "The user changed since that version was read; read it again.", undefined);
}

function operationsOf(body: { Operations?: PatchOperation[] }) {
  if (!Array.isArray(body.Operations) || body.Operations.length === 0)
    throw new ScimError(400, "A PATCH request carries Operations.", "invalidSyntax");
  return body.Operations;
}

/** `attribute eq "value"`, the one filter provisioning clients send. */
function parseFilter(filter: string | null | undefined, allowed: string[]) {
  if (!filter) return null;
  const match = filter.trim().match(/^([A-Za-z.]+)\s+eq\s+"((?:[^"\\]|\\.)*)"$/i);
  if (!match || !allowed.includes(match[1]!.toLowerCase()))
    throw new ScimError(400, `Custody filters on ${allowed.join(", ")} with eq only.`, "invalidFilter");
  return { attribute: match[1]!.toLowerCase(), value: match[2]!.replace(/\\(.)/g, "$1") };
}

// Groups: the agency's roles.

async function groupResource(ctx: Ctx, agencyId: string, role: Role, baseUrl: string, withMembers: boolean) {
  const members = withMembers
    ? await ctx.db
        .select({ id: people.id, email: people.email })
        .from(memberships)
        .innerJoin(people, eq(people.id, memberships.personId))
        .where(and(eq(memberships.organisationId, agencyId), eq(memberships.role, role), liveRole(ctx.now)))
        .orderBy(asc(people.email))
    : [];
  return {
    schemas: [SCIM.group],
    id: role,
    displayName: ROLES[role].label,
    ...(withMembers
      ? { members: members.map((m) => ({ value: m.id, display: m.email, $ref: `${baseUrl}/Users/${m.id}` })) }
      : {}),
    meta: { resourceType: "Group", location: `${baseUrl}/Groups/${role}` },
  };
}

function roleNamed(text: string): Role | null {
  const wanted = text.trim().toLowerCase();
  return agencyRoles().find((r) => r === wanted || ROLES[r].label.toLowerCase() === wanted) ?? null;
}

export async function listGroups(
  ctx: Ctx,
  query: { filter?: string | null; excludedAttributes?: string | null },
  baseUrl: string,
) {
  const agencyId = agencyOf(ctx);
  const filter = parseFilter(query.filter, ["displayname", "id"]);
  const roles = agencyRoles().filter((r) => !filter || roleNamed(filter.value) === r);
  const withMembers = !(query.excludedAttributes ?? "").toLowerCase().includes("members");
  const resources = [];
  for (const r of roles) resources.push(await groupResource(ctx, agencyId, r, baseUrl, withMembers));
  ctx.audit.record({
    action: "scim.group.list",
    objectType: "membership",
    organisationId: agencyId,
    details: { filter: query.filter ?? null },
  });
  return {
    schemas: [SCIM.list],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

export async function getGroup(ctx: Ctx, id: string, baseUrl: string) {
  const agencyId = agencyOf(ctx);
  const role = agencyRoles().find((r) => r === id);
  if (!role) throw new ScimError(404, `No group ${id}: Custody's groups are its roles (${agencyRoles().join(", ")}).`);
  ctx.audit.record({ action: "scim.group.read", objectType: "membership", organisationId: agencyId, details: { role } });
  return groupResource(ctx, agencyId, role, baseUrl, true);
}

/** Roles are fixed: a directory group is matched to one by name, never created. */
export async function createGroup(ctx: Ctx, input: { displayName?: unknown }) {
  agencyOf(ctx);
  const role = typeof input.displayName === "string" ? roleNamed(input.displayName) : null;
  if (role) throw new ScimError(409, `The group "${ROLES[role].label}" exists (id ${role}); add members to it.`, "uniqueness");
  throw new ScimError(
    400,
    `Custody's groups are its roles; name the directory group after one of: ${agencyRoles()
      .map((r) => ROLES[r].label)
      .join(", ")}.`,
    "invalidValue",
  );
}

/** PATCH a group: add, remove or replace its members (grants and ends the role). */
export async function patchGroup(ctx: Ctx, id: string, body: { Operations?: PatchOperation[] }) {
  const agencyId = agencyOf(ctx);
  const role = agencyRoles().find((r) => r === id);
  if (!role) throw new ScimError(404, `No group ${id}.`);
  for (const operation of operationsOf(body)) {
    const op = String(operation.op ?? "").toLowerCase();
    const path = typeof operation.path === "string" ? operation.path : "";
    const removeOne = path.match(/^members\[value eq "([^"]+)"\]$/i);
    const valueList = (v: unknown) =>
      (Array.isArray(v) ? v : v ? [v] : []).map((m) => String((m as { value?: unknown }).value ?? ""));
    if (op === "remove" && removeOne) await endRole(ctx, agencyId, role, [removeOne[1]!]);
    else if (op === "remove" && path.toLowerCase() === "members")
      await endRole(ctx, agencyId, role, operation.value ? valueList(operation.value) : await holders(ctx, agencyId, role));
    else if (op === "add" && path.toLowerCase() === "members") await grantRole(ctx, agencyId, role, valueList(operation.value));
    else if (op === "replace" && path.toLowerCase() === "members") {
      const wanted = valueList(operation.value);
      await endRole(
        ctx,
        agencyId,
        role,
        (await holders(ctx, agencyId, role)).filter((p) => !wanted.includes(p)),
      );
      await grantRole(ctx, agencyId, role, wanted);
    } else if (
      (op === "replace" || op === "add") &&
      (path.toLowerCase() === "displayname" || (!path && (operation.value as { displayName?: unknown })?.displayName))
    ) {
      // The directory renaming its group changes nothing here: the role keeps its name.
    } else throw new ScimError(400, `Custody cannot apply ${op} ${path || "(no path)"} to a group.`, "invalidPath");
  }
}

async function holders(ctx: Ctx, agencyId: string, role: Role) {
  const rows = await ctx.db
    .select({ personId: memberships.personId })
    .from(memberships)
    .where(and(eq(memberships.organisationId, agencyId), eq(memberships.role, role), liveRole(ctx.now)));
  return rows.map((r) => r.personId);
}

async function grantRole(ctx: Ctx, agencyId: string, role: Role, personIds: string[]) {
  const [agency] = await ctx.db.select().from(organisations).where(eq(organisations.id, agencyId));
  for (const id of personIds) {
    const person = await personHere(ctx, agencyId, id);
    await touch(ctx, agencyId, person.id);
    if ((await holders(ctx, agencyId, role)).includes(person.id)) continue;
    if (person.disabledAt && person.disabledBy !== directoryMark(agencyId))
      throw new ScimError(
        400,
        `${person.email} is disabled in Custody; an administrator must enable them first.`,
        "invalidValue",
      );
    const [m] = await ctx.db
      .insert(memberships)
      .values({ personId: person.id, organisationId: agencyId, role, startsAt: ctx.now, createdAt: ctx.now })
      .returning();
    ctx.audit.record({
      action: "membership.grant",
      objectType: "membership",
      objectId: m!.id,
      organisationId: agencyId,
      details: { role, personId: person.id, source: "directory" },
    });
    // No credentials yet: an invitation lets them set a password and an authenticator for this same record.
    if (person.passwordHash === null) {
      const invitation = await inviteExistingRecord(ctx.db, {
        personId: person.id,
        email: person.email,
        organisationId: agencyId,
        role,
        now: ctx.now,
      });
      ctx.audit.record({
        action: "invitation.create",
        objectType: "invitation",
        organisationId: agencyId,
        details: { email: person.email, role, source: "directory", agency: agency?.name },
      });
      // The link goes to the person by e-mail once this commits (the directory never sees it).
      const mail = ctx.mail;
      if (mail?.mailer && agency) {
        const actor = ctx.actor;
        const message = {
          to: person.email,
          link: `${mail.publicUrl.replace(/\/$/, "")}/invitations/${invitation.token}`,
          organisationName: agency.name,
          roleLabel: ROLES[role].label,
          expiresAt: invitation.expiresAt,
          timeZone: agency.timeZone,
          invitedBy: `${agency.name}'s directory`,
          invitationId: invitation.invitationId,
        };
        ctx.afterCommit((db) => emailInvitation(db, mail.mailer, actor, message, ctx.now));
      }
    }
  }
}

async function endRole(ctx: Ctx, agencyId: string, role: Role, personIds: string[]) {
  for (const id of personIds) {
    if (!isUuid(id)) continue;
    const { rolesEnded } = await endDirectoryRoles(ctx.db, ctx.audit, {
      agencyId,
      personId: id,
      roles: [role],
      why: `removed them from the group ${ROLES[role].label}`,
      source: "directory",
      tokenId: ctx.actor.tokenId,
      now: ctx.now,
      mark: directoryMark(agencyId),
    });
    if (rolesEnded > 0) await touch(ctx, agencyId, id);
  }
}

/** What the endpoint supports, as RFC 7643 section 5 describes it. */
export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    documentationUri: `${baseUrl.replace(/\/scim\/v2$/, "")}/admin/tokens`,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: 200 },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "API token",
        description: "An agency API token carrying scim:provision, made under Administration → API tokens.",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${baseUrl}/ServiceProviderConfig` },
  };
}
