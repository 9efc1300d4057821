import { and, asc, eq, isNotNull, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import { directoryConnections, memberships, people } from "../../../db/schema/access.ts";
import { type ModuleContext, InvalidInput, NotFound, requirePermission } from "../context.server.ts";
import { ROLES, rolesFor, type Role } from "./permissions.ts";
import { encrypt } from "./secrets.server.ts";
import { liveRole } from "./sessions.server.ts";
import { discoverProvider } from "./directory-oidc.server.ts";
import { DIRECTORY_CALLBACK_PATH, SAML_CALLBACK_PATH } from "./directory-paths.ts";
import { readCertificate, readIdpMetadata } from "./saml-metadata.server.ts";

/**
 * An agency's directory connection, as its administrator sets it up (Administration → Directory sign-in).
 * The provider is read (OpenID Connect discovery) before anything is saved, so a typo in the issuer is
 * told at once, not by the first person who tries to sign in. Issue 19, decision 0029.
 */

type Ctx = ModuleContext;

function agencyOf(ctx: Ctx) {
  requirePermission(ctx, "directory:manage");
  if (ctx.actor.organisationKind !== "agency" || !ctx.actor.organisationId) throw new NotFound("directory", "none");
  return ctx.actor.organisationId;
}

/** The agency's administrators who can sign in with a password and a second factor: who may be the break-glass account. */
async function breakGlassCandidates(ctx: Ctx, agencyId: string) {
  return ctx.db
    .selectDistinct({ id: people.id, name: people.name, email: people.email })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(
      and(
        eq(memberships.organisationId, agencyId),
        eq(memberships.role, "agency-admin"),
        liveRole(ctx.now),
        isNull(people.disabledAt),
        isNotNull(people.passwordHash),
        isNotNull(people.mfaEnrolledAt),
      ),
    )
    .orderBy(asc(people.name));
}

export async function directorySettings(ctx: Ctx, publicUrl: string) {
  const agencyId = agencyOf(ctx);
  const [row] = await ctx.db.select().from(directoryConnections).where(eq(directoryConnections.organisationId, agencyId));
  ctx.audit.record({
    action: "directory.settings.read",
    objectType: "organisation",
    objectId: agencyId,
    organisationId: agencyId,
  });
  const { clientSecret, ...connection } = row ?? { clientSecret: null };
  return {
    connection: row ? { ...(connection as Omit<typeof row, "clientSecret">), hasSecret: !!clientSecret } : null,
    candidates: await breakGlassCandidates(ctx, agencyId),
    callbackUrl: `${publicUrl.replace(/\/$/, "")}${DIRECTORY_CALLBACK_PATH}`,
    /** SAML: Custody's entity ID and its assertion consumer service (the same address). */
    samlAcsUrl: `${publicUrl.replace(/\/$/, "")}${SAML_CALLBACK_PATH}`,
    roles: rolesFor("agency").map((r) => ({ value: r, label: ROLES[r].label })),
  };
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CLAIM = /^[A-Za-z0-9_:./-]{1,100}$/;

/** An issuer must be HTTPS; plain HTTP only on this machine (development and the tests' own provider). */
export function issuerProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter the issuer as a full address, like https://login.microsoftonline.us/<tenant>/v2.0.";
  }
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local))
    return "The issuer must be an https:// address: sign-in must never travel unencrypted.";
  if (url.search || url.hash) return "Enter the issuer without a query or fragment (the part after ? or #).";
  return null;
}

const SettingsForm = z.object({
  displayName: z
    .string()
    .trim()
    .min(1, "Name the directory as your people know it, like “Riverside County Entra ID”.")
    .max(100, "Keep the name under 100 characters."),
  protocol: z.enum(["oidc", "saml"], { message: "Choose OpenID Connect or SAML 2.0." }),
  issuer: z.string().trim().max(500, "The issuer address is too long."),
  clientId: z.string().trim().max(200, "The client id is too long."),
  samlMetadata: z.string().max(200_000, "The metadata is too long; paste the identity provider's own document."),
  samlEntityId: z.string().trim().max(500, "The entity ID is too long."),
  samlEntryPoint: z.string().trim().max(2000, "The sign-in address is too long."),
  samlCertificate: z.string().max(20_000, "The certificate is too long."),
  clientSecret: z.string().max(500, "The client secret is too long."),
  emailDomains: z.string().max(2000, "List fewer domains."),
  emailClaim: z.string().trim().regex(CLAIM, "Name one claim, like email, upn or preferred_username."),
  groupClaim: z.string().trim().max(100, "Name one claim, like groups."),
  groupRoles: z.string().max(5000, "List fewer group mappings."),
  requireDirectory: z.boolean(),
  breakGlassPersonId: z.string(),
});

export type DirectorySettingsInput = Record<keyof z.infer<typeof SettingsForm>, string | boolean>;

/** "Group name = role" lines, one per line; the role by its key or its label. */
export function parseGroupRoles(text: string): { mapping: Record<string, Role>; error: string | null } {
  const mapping: Record<string, Role> = {};
  const agencyRoles = rolesFor("agency");
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  for (const [i, line] of lines.entries()) {
    if (!line) continue;
    const at = line.lastIndexOf("=");
    if (at <= 0) return { mapping, error: `Line ${i + 1}: write it as “directory group = role”.` };
    const group = line.slice(0, at).trim();
    const roleText = line
      .slice(at + 1)
      .trim()
      .toLowerCase();
    const role = agencyRoles.find((r) => r === roleText || ROLES[r].label.toLowerCase() === roleText);
    if (!role)
      return {
        mapping,
        error: `Line ${i + 1}: “${line.slice(at + 1).trim()}” is not an agency role. Use one of: ${agencyRoles.map((r) => ROLES[r].label).join(", ")}.`,
      };
    if (mapping[group]) return { mapping, error: `Line ${i + 1}: the group “${group}” is listed twice.` };
    mapping[group] = role;
  }
  return { mapping, error: null };
}

/** A SAML directory's settings: from its metadata when pasted, else from the three fields, each checked. */
function samlSettings(v: z.infer<typeof SettingsForm>, now: Date, errors: Record<string, string>) {
  let entityId = v.samlEntityId;
  let entryPoint = v.samlEntryPoint;
  let certificate = v.samlCertificate;
  if (v.samlMetadata.trim()) {
    const read = readIdpMetadata(v.samlMetadata);
    if ("problem" in read) {
      errors.samlMetadata = read.problem;
      return null;
    }
    ({ entityId, entryPoint, certificate } = read);
  }
  const from = v.samlMetadata.trim() ? "samlMetadata" : null;
  if (!entityId) errors.samlEntityId = "Enter the identity provider's entity ID, or paste its metadata.";
  const entryProblem = entryPoint
    ? issuerProblem(entryPoint)?.replace("The issuer must be", "The sign-in address must be")
    : "Enter the identity provider's sign-in address, or paste its metadata.";
  if (entryProblem) errors[from ?? "samlEntryPoint"] = entryProblem;
  const cert = readCertificate(certificate, now);
  if (cert.problem) errors[from ?? "samlCertificate"] = cert.problem;
  return !entityId || entryProblem || cert.problem ? null : { entityId, entryPoint, certificate: cert.pem! };
}

/** Save the connection (created on first save). The provider's discovery document must answer first. */
export async function saveDirectory(ctx: Ctx, input: DirectorySettingsInput, publicUrl: string) {
  const agencyId = agencyOf(ctx);
  const parsed = SettingsForm.safeParse(input);
  const errors: Record<string, string> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    throw new InvalidInput(errors);
  }
  const v = parsed.data;
  const [current] = await ctx.db.select().from(directoryConnections).where(eq(directoryConnections.organisationId, agencyId));
  const saml = v.protocol === "saml" ? samlSettings(v, ctx.now, errors) : null;
  if (v.protocol === "oidc") {
    const issuerError = v.issuer ? issuerProblem(v.issuer) : "Enter the provider's issuer address.";
    if (issuerError) errors.issuer = issuerError;
    if (!v.clientId) errors.clientId = "Enter the client id the provider gave Custody.";
    if (!(current?.clientSecret && current.protocol === "oidc") && !v.clientSecret.trim())
      errors.clientSecret = "Enter the client secret the provider gave Custody.";
  }
  const domains = [
    ...new Set(
      v.emailDomains
        .toLowerCase()
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map((d) => d.replace(/^@/, "")),
    ),
  ];
  const badDomain = domains.find((d) => !DOMAIN.test(d));
  if (domains.length === 0)
    errors.emailDomains =
      "List at least one domain, like riversideva.gov: only its addresses may sign in through this directory.";
  else if (badDomain)
    errors.emailDomains = `“${badDomain}” is not a domain name. Write domains like riversideva.gov, separated by commas.`;
  else {
    // A domain names one directory: the sign-in page sends an address to the directory its domain names.
    const others = await ctx.db
      .select({ domains: directoryConnections.emailDomains })
      .from(directoryConnections)
      .where(and(ne(directoryConnections.organisationId, agencyId), eq(directoryConnections.enabled, true)));
    const taken = domains.find((d) => others.some((o) => o.domains.includes(d)));
    if (taken)
      errors.emailDomains = `Another agency's directory already signs in addresses at ${taken}; a domain can belong to one directory. Ask the platform administrator if this domain is yours.`;
  }
  if (v.groupClaim && !CLAIM.test(v.groupClaim)) errors.groupClaim = "Name one claim, like groups, or leave it empty.";
  const { mapping, error: mappingError } = parseGroupRoles(v.groupRoles);
  if (mappingError) errors.groupRoles = mappingError;
  else if (Object.keys(mapping).length > 0 && !v.groupClaim)
    errors.groupClaim = "Name the claim that carries the groups, or clear the mappings below.";
  let breakGlassPersonId: string | null = null;
  if (v.breakGlassPersonId) {
    const candidates = await breakGlassCandidates(ctx, agencyId);
    if (!candidates.some((c) => c.id === v.breakGlassPersonId))
      errors.breakGlassPersonId = "Choose one of the agency's administrators listed.";
    else breakGlassPersonId = v.breakGlassPersonId;
  }
  if (v.requireDirectory && !breakGlassPersonId)
    errors.breakGlassPersonId =
      "Choose a break-glass administrator: when the directory is down, that person's password and second factor are the only way in.";
  if (Object.keys(errors).length > 0) throw new InvalidInput(errors);

  const secret = v.protocol === "oidc" && v.clientSecret.trim() ? v.clientSecret.trim() : null;
  if (v.protocol === "oidc") {
    try {
      await discoverProvider({ issuer: v.issuer, clientId: v.clientId, clientSecret: secret ?? "unused-for-discovery" });
    } catch (error) {
      throw new InvalidInput({
        issuer: `Custody could not read the provider's OpenID configuration at ${v.issuer.replace(/\/$/, "")}/.well-known/openid-configuration (${(error as Error).message}). Check the issuer address.`,
      });
    }
  }

  const values = {
    displayName: v.displayName,
    protocol: v.protocol,
    issuer: saml ? saml.entityId : v.issuer,
    clientId: saml ? null : v.clientId,
    samlEntryPoint: saml?.entryPoint ?? null,
    samlCertificate: saml?.certificate ?? null,
    ...(saml ? { clientSecret: null } : {}),
    emailDomains: domains,
    emailClaim: v.emailClaim,
    groupClaim: v.groupClaim || null,
    groupRoles: mapping as Record<string, string>,
    enabled: true,
    requireDirectory: v.requireDirectory,
    breakGlassPersonId,
    updatedAt: ctx.now,
    updatedBy: ctx.actor.personId,
    ...(secret ? { clientSecret: encrypt(ctx.secrets, secret) } : {}),
  };
  const changed = current
    ? (Object.keys(values) as (keyof typeof values)[]).filter(
        (k) =>
          !["updatedAt", "updatedBy", "clientSecret"].includes(k) &&
          JSON.stringify(values[k]) !== JSON.stringify(current[k as keyof typeof current]),
      )
    : Object.keys(values).filter((k) => !["updatedAt", "updatedBy", "clientSecret"].includes(k));
  if (current) await ctx.db.update(directoryConnections).set(values).where(eq(directoryConnections.id, current.id));
  else await ctx.db.insert(directoryConnections).values({ ...values, organisationId: agencyId, createdAt: ctx.now });
  ctx.audit.record({
    action: current ? "directory.updated" : "directory.connected",
    objectType: "organisation",
    objectId: agencyId,
    organisationId: agencyId,
    details: {
      issuer: v.issuer,
      changed,
      secretChanged: !!secret,
      requireDirectory: v.requireDirectory,
      breakGlassPersonId,
      callback: `${publicUrl.replace(/\/$/, "")}${DIRECTORY_CALLBACK_PATH}`,
    },
  });
  return { created: !current, requireDirectory: v.requireDirectory };
}

/** Stop signing in through the directory (passwords work again for everyone); the settings are kept. */
export async function turnOffDirectory(ctx: Ctx) {
  const agencyId = agencyOf(ctx);
  const [current] = await ctx.db.select().from(directoryConnections).where(eq(directoryConnections.organisationId, agencyId));
  if (!current || !current.enabled) return { changed: false };
  await ctx.db
    .update(directoryConnections)
    .set({ enabled: false, requireDirectory: false, updatedAt: ctx.now, updatedBy: ctx.actor.personId })
    .where(eq(directoryConnections.id, current.id));
  ctx.audit.record({ action: "directory.turned-off", objectType: "organisation", objectId: agencyId, organisationId: agencyId });
  return { changed: true };
}
