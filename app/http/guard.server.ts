import { type AppLoadContext, data, redirect } from "react-router";
import { ALL_ROLES, type NotAllowed, type Permission, PERMISSIONS, ROLES } from "../modules/access/permissions.ts";
import { resolveSession, type LiveMembership, type SessionState } from "../modules/access/sessions.server.ts";
import { audienceOf } from "../modules/access/audience.server.ts";
import { setFlash } from "../modules/access/flash.server.ts";
import { anonymousActor, recordNow } from "../modules/audit/audit.server.ts";
import { type Actor, inTransaction, InvalidInput, type ModuleContext, NotFound } from "../modules/context.server.ts";
import { type Day, todayIn } from "../modules/dates.ts";
import { readSessionToken } from "./cookies.server.ts";

/**
 * The one door into every page and action. A route names what it needs in one line:
 *
 *   const auth = await authorize(args, "user:read");
 *   return auth.run((ctx) => listPeople(ctx));
 *
 * An action that changes something submits instead, and gets input the module refused back as
 * field errors, never as a thrown error a route must remember to catch:
 *
 *   const result = await auth.submit((ctx) => createContract(ctx, input));
 *   if (!result.ok) return data({ errors: result.errors, values: input }, { status: 400 });
 *
 * No valid session → sign-in (returning here afterwards). Missing permission → 403.
 * An object that does not exist or belongs to someone else → 404. Denials are audited.
 * E-mail for the notifications a change writes leaves after it commits (ModuleContext.afterCommit).
 */
export type RouteArgs = { request: Request; context: AppLoadContext };

/** What a refused person is told, in words, with the permission kept for an administrator (the page shows it in a details element). */
function notAllowed(requirement: Permission, membership: LiveMembership | null): NotAllowed {
  const kind = membership?.organisationKind ?? null;
  return {
    kind: "not-allowed",
    allows: PERMISSIONS[requirement],
    role: membership ? ROLES[membership.role].label : null,
    organisation: membership?.organisationName ?? null,
    grantedBy:
      kind === "vendor"
        ? "your vendor's administrator"
        : kind === "platform"
          ? "another platform administrator"
          : kind === "agency"
            ? "your agency's administrator"
            : "an administrator of the organization you work for",
    permission: requirement,
    rolesWithIt: ALL_ROLES.filter((r) => ROLES[r].permissions.includes(requirement as never)).map((r) => ROLES[r].label),
  };
}

/** "signed-in": any person with a valid session, even without a role (their own account pages). */
export type Requirement = Permission | "signed-in";

export type Authorized = {
  actor: Actor;
  person: Extract<SessionState, { status: "valid" }>["person"];
  membership: LiveMembership | null;
  memberships: LiveMembership[];
  /** Today on the calendar of the organisation the person acts for (UTC for none), e.g. for a download's file name. */
  today: Day;
  /** Run module code in one transaction with this actor; its audit events commit with it. */
  run<T>(fn: (ctx: ModuleContext) => Promise<T>): Promise<T>;
  /** Leave a message for the next page this session loads (shown once, to this person only). */
  flash(message: string): Promise<void>;
  /** Run a change; input the module refuses (InvalidInput) comes back as field errors, and nothing was changed. */
  submit<T>(fn: (ctx: ModuleContext) => Promise<T>): Promise<Submitted<T>>;
};

/** The outcome of a submitted change: its value, or one message per field (keyed as the form names it) and a summary. */
export type Submitted<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string>; message: string };

/** Turn input a module refused into a result; anything else still throws. For work outside authorize (invitations). */
export async function submitted<T>(work: () => Promise<T>): Promise<Submitted<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof InvalidInput) return { ok: false, errors: error.fieldErrors, message: error.message };
    throw error;
  }
}

const returnPath = (request: Request) => {
  const url = new URL(request.url);
  return `${url.pathname}${url.search}`;
};

/**
 * The session behind a request, resolved once per request: React Router hands the root
 * loader (the header) and the page's loader the same Request, so they share one lookup.
 */
const sessions = new WeakMap<Request, Promise<SessionState>>();
export function sessionOf(request: Request, context: AppLoadContext): Promise<SessionState> {
  let state = sessions.get(request);
  if (!state) {
    state = readSessionToken(request).then((token) => resolveSession(context.db, context.secrets, token, context.now()));
    sessions.set(request, state);
  }
  return state;
}

export async function authorize(args: RouteArgs, requirement: Requirement): Promise<Authorized> {
  const { request, context } = args;
  const now = context.now();
  const state = await sessionOf(request, context);
  if (state.status !== "valid") {
    const reason = state.status === "idle" ? "idle" : state.status === "expired" ? "expired" : null;
    const personId = "personId" in state ? state.personId : null;
    await recordNow(
      context.db,
      {
        ...anonymousActor(context.client),
        personId,
        sessionId: "sessionId" in state ? state.sessionId : null,
      },
      [
        {
          action: reason ? `auth.session.${reason === "idle" ? "idle-timeout" : "expired"}` : "access.unauthenticated",
          outcome: "denied",
          details: { path: new URL(request.url).pathname, method: request.method },
          // An agency's auditor sees its own people's timed-out sessions (AU-2).
          audience: await audienceOf(context.db, personId, now),
        },
      ],
      now,
    );
    const params = new URLSearchParams({ redirectTo: returnPath(request) });
    if (reason) params.set("reason", reason);
    throw redirect(`/sign-in?${params}`);
  }

  const actor: Actor = {
    kind: "person",
    personId: state.person.id,
    sessionId: state.sessionId,
    tokenId: null,
    label: state.person.email,
    organisationId: state.membership?.organisationId ?? null,
    ip: context.client.ip,
    userAgent: context.client.userAgent,
    role: state.membership?.role ?? null,
    organisationKind: state.membership?.organisationKind ?? null,
    timeZone: state.membership?.timeZone ?? null,
    permissions: state.permissions,
  };

  const path = new URL(request.url).pathname;
  if (state.passwordExpired && requirement !== "signed-in") {
    throw redirect(`/account/password?expired=1&redirectTo=${encodeURIComponent(returnPath(request))}`);
  }
  if (requirement !== "signed-in" && !state.permissions.has(requirement)) {
    await recordNow(
      context.db,
      actor,
      [{ action: "access.denied", outcome: "denied", details: { permission: requirement, path, method: request.method } }],
      now,
    );
    throw data(notAllowed(requirement, state.membership), { status: 403 });
  }

  return {
    actor,
    person: state.person,
    membership: state.membership,
    memberships: state.memberships,
    flash: (message) => setFlash(context.db, state.sessionId, message),
    today: todayIn(actor.timeZone ?? "UTC", now),
    run: (fn) => runAs(context, actor, now, fn, path),
    submit: (fn) => submitted(() => runAs(context, actor, now, fn, path, undefined, { rethrowInvalid: true })),
  };
}

/** SQLSTATE codes that mean the submitted value could not be stored as given (class 22, data exceptions; and references or checks it breaks). */
const REFUSED_VALUE_CODES: Record<string, string> = {
  "22P02": "One of the values is not in the form this field takes (for example, an identifier that is not one).",
  "22021": "One of the values contains a character that cannot be stored.",
  "22001": "One of the values is longer than this field holds.",
  "22003": "One of the numbers is out of range.",
  "22007": "One of the dates or times is not a real one.",
  "22008": "One of the dates or times is out of range.",
  "23503": "One of the choices names something that does not exist (it may have been removed). Reload the page and choose again.",
  "23514": "One of the values is outside what this field allows.",
};

function refusedValue(error: unknown): { message: string; details: Record<string, string> } | null {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== "string") continue;
    const known = REFUSED_VALUE_CODES[code] ?? (code.startsWith("22") ? "One of the values could not be stored as given." : null);
    if (!known) return null;
    const constraint =
      (e as { constraint?: unknown; constraint_name?: unknown }).constraint ??
      (e as { constraint_name?: unknown }).constraint_name;
    return {
      message: `${known} Nothing was saved.`,
      details: { sqlstate: code, ...(typeof constraint === "string" ? { constraint } : {}) },
    };
  }
  return null;
}

/**
 * Run fn for an actor; turn NotFound into an audited 404, answered as `notFound` builds it (HTML
 * page or JSON). Input a module refuses is a 400 with its message (never a 500), unless the
 * caller takes it as a result (submit).
 */
export async function runAs<T>(
  context: AppLoadContext,
  actor: Actor,
  now: Date,
  fn: (ctx: ModuleContext) => Promise<T>,
  path: string,
  notFound: () => unknown = () => data("Not found", { status: 404 }),
  options: { rethrowInvalid?: boolean } = {},
): Promise<T> {
  try {
    const mail = { mailer: context.mailer, publicUrl: context.publicUrl };
    return await inTransaction(context.db, { actor, now, secrets: context.secrets, mail }, fn);
  } catch (error) {
    if (error instanceof InvalidInput) {
      if (error.auditEvent) await recordNow(context.db, actor, [error.auditEvent], now);
      if (!options.rethrowInvalid) throw data(error.message, { status: 400 });
      throw error;
    }
    const refused = refusedValue(error);
    if (refused) {
      // A value the database cannot hold (a malformed id, a NUL, a date or number out of range, a row that does not
      // exist): the person's input, not a fault. Nothing was written; the refusal is recorded.
      await recordNow(
        context.db,
        actor,
        [{ action: "input.refused", outcome: "denied", details: { path, ...refused.details } }],
        now,
      );
      if (options.rethrowInvalid) throw new InvalidInput({ form: refused.message });
      throw data(refused.message, { status: 400 });
    }
    if (error instanceof NotFound) {
      await recordNow(
        context.db,
        actor,
        [
          {
            action: "access.not-found",
            outcome: "denied",
            objectType: error.objectType,
            objectId: error.objectId,
            details: { path },
          },
        ],
        now,
      );
      throw notFound();
    }
    throw error;
  }
}
