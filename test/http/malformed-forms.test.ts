import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/context.ts";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { seedDemo } from "../../app/demo/seed.server.ts";
import { permissionsOf, type Permission } from "../../app/modules/access/permissions.ts";
import routes from "../../app/routes.ts";
import { queryRows, type DatabaseHandle } from "../../db/client.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import { appContext, signIn, testSecrets } from "../support/accounts.ts";
import { pdfBytes } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";

/**
 * A stranger's inputs, sent to every form in the route table: each route with an action gets,
 * for each of its intents, every field set to a malformed value (missing, empty, very long, NUL
 * and control characters, repeated, non-UUID and unknown ids, impossible dates, huge and negative
 * numbers), as the person best placed to use the form. No answer may be a server error, and no
 * product data may change (the audit trail, sessions and sign-in attempts record the refusals).
 */

const root = path.resolve(import.meta.dirname, "..", "..");
let handle: DatabaseHandle;
let context: AppContext;
let accounts: ProvisionedAccount[];
const cookies = new Map<string, string>();
const clock = { now: new Date("2026-11-24T16:00:00.000Z") };

type RouteEntry = { path?: string; file: string; index?: boolean; children?: RouteEntry[] };
const flat = (entries: RouteEntry[]): RouteEntry[] => entries.flatMap((r) => [r, ...flat(r.children ?? [])]);

const MALFORMED: [string, (name: string) => string[] | null][] = [
  ["missing", () => null],
  ["empty", () => [""]],
  ["very long", () => ["x".repeat(100_000)]],
  ["a NUL byte", () => ["before\u0000after"]],
  ["control characters", () => ["a\u0001\u0007\u001b[31mred\u007f"]],
  ["repeated, with different values", () => ["first", "second"]],
  ["an object's text", () => ['{"$ne":null}']],
  ["a non-UUID id", () => ["not-a-uuid"]],
  ["an id of nothing", () => ["00000000-0000-4000-8000-000000000000"]],
  ["an impossible date", () => ["2026-02-30"]],
  ["a five-digit year", () => ["20260-01-01"]],
  ["a huge number", () => ["99999999999999999999999999"]],
  ["a negative number", () => ["-1"]],
  ["not a number", () => ["NaN"]],
];

// Buttons that act without any input (the click is the whole request): their values are ignored, so only their answer is checked.
const BUTTON_ONLY: Record<string, string[]> = {
  "routes/admin/reviews.tsx": [""],
  // Starting an agency export takes no input (for an agency's administrator): any submission starts one.
  "routes/admin/exports.tsx": [""],
  // A re-enrollment link takes only a free-text reason: any of three characters or more is a valid one.
  "routes/admin/person.tsx": ["re-enroll"],
  "routes/notifications.tsx": ["read-all"],
};

// Tables whose rows are the record of the attempt itself, not product data.
const RECORD_OF_ATTEMPTS = new Set(["audit_events", "audit_pending", "sessions", "login_attempts", "__drizzle_migrations"]);

/** A fingerprint of every product table: its row count and a hash over its rows. */
async function fingerprint() {
  const tables = await queryRows<{ table_name: string }>(
    handle.db,
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const out: Record<string, string> = {};
  for (const { table_name } of tables) {
    if (RECORD_OF_ATTEMPTS.has(table_name)) continue;
    const [row] = await queryRows<{ n: number; h: string }>(
      handle.db,
      sql.raw(
        `select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from "${table_name}" t`,
      ),
    );
    out[table_name] = `${row!.n}:${row!.h}`;
  }
  return out;
}

/** The field names and intents a route's form offers, read from its source and the components it imports. */
function formShape(file: string) {
  const sources = [readFileSync(path.join(root, "app", file), "utf8")];
  for (const m of sources[0]!.matchAll(/from "~\/components\/([a-z0-9-]+)\.tsx"/g))
    sources.push(readFileSync(path.join(root, "app", "components", `${m[1]}.tsx`), "utf8"));
  const text = sources.join("\n");
  const names = new Set<string>();
  for (const m of text.matchAll(/\bname=(?:"|\{")([A-Za-z0-9_.[\]-]+)"/g)) names.add(m[1]!);
  for (const m of text.matchAll(/form\.get\("([A-Za-z0-9_.-]+)"\)|(?:text|field|value)\("([A-Za-z0-9_.-]+)"\)/g))
    names.add((m[1] ?? m[2])!);
  const intents = new Set<string>([""]);
  for (const m of text.matchAll(/intent"?\)?\s*===\s*"([^"]+)"|intent="([^"]+)"|name="intent"\s+value="([^"]+)"/g))
    intents.add((m[1] ?? m[2] ?? m[3])!);
  names.delete("intent");
  const upload = /type="file"|withUpload\(/.test(text);
  const files = [...text.matchAll(/type="file"[^>]*name="([^"]+)"|name="([^"]+)"[^>]*type="file"/g)].map((m) => (m[1] ?? m[2])!);
  return { names: [...names], intents: [...intents], upload, files: files.length ? files : ["file"] };
}

/** The person best placed to use a form needing `permission`: the one of the demo holding it with the most permissions. */
function actorFor(permission: string): ProvisionedAccount | null {
  if (permission === "public") return null;
  const able = accounts.filter((a) => permission === "signed-in" || permissionsOf(a.role).has(permission as Permission));
  able.sort((x, y) => permissionsOf(y.role).size - permissionsOf(x.role).size);
  return able.find((a) => a.organisation === "Riverside Police Department") ?? able[0] ?? null;
}

/** A real id for each route parameter, as the actor would reach it from their own pages. */
async function paramsFor(pattern: string, actor: ProvisionedAccount | null) {
  const org = actor?.organisationId ?? "00000000-0000-0000-0000-000000000000";
  const one = async (query: ReturnType<typeof sql>) =>
    (await queryRows<{ id: string }>(handle.db, query))[0]?.id ?? "00000000-0000-4000-8000-000000000001";
  const vendorItems = sql`select i.id from evidence_items i join vendors v on v.id = i.vendor_id where v.organisation_id = ${org} or i.agency_id = ${org}`;
  const lookups: Record<string, () => Promise<string>> = {
    personId: () =>
      one(
        sql`select person_id as id from memberships where organisation_id = ${org} and person_id <> ${actor?.personId ?? org} limit 1`,
      ),
    organisationId: () => one(sql`select id from organisations where name = 'Harbor City Police Department'`),
    reviewId: () => one(sql`select id from access_reviews where organisation_id = ${org} limit 1`),
    vendorId: () => one(sql`select id from vendors where legal_name like 'EvidenceCloud%' limit 1`),
    contractId: () => one(sql`select id from contracts where agency_id = ${org} order by title limit 1`),
    contractFileId: () =>
      one(sql`select f.id from contract_files f join contracts c on c.id = f.contract_id where c.agency_id = ${org} limit 1`),
    requirementId: () => one(sql`select requirement_id as id from coverage_entries limit 1`),
    itemId: () => one(sql`${vendorItems} limit 1`),
    fileId: () => one(sql`select f.id from evidence_files f join evidence_versions v on v.id = f.version_id limit 1`),
    generationId: () => one(sql`select id from document_generations where agency_id = ${org} limit 1`),
    noticeId: () => one(sql`select id from notices limit 1`),
    changeId: () => one(sql`select id from roster_changes limit 1`),
    rosterFileId: () => one(sql`select id from roster_files limit 1`),
    templateId: async () => "cjis-addendum",
    token: async () => "no-such-invitation-token",
  };
  const params: Record<string, string> = {};
  let url = `/${pattern}`;
  for (const m of pattern.matchAll(/:([A-Za-z]+)\??/g)) {
    const value = lookups[m[1]!] ? await lookups[m[1]!]!() : "x";
    params[m[1]!] = value;
    url = url.replace(m[0], value);
  }
  return { params, url };
}

function body(fields: Record<string, string[] | null>, intent: string, upload: boolean, files: string[]) {
  if (upload) {
    const form = new FormData();
    if (intent) form.append("intent", intent);
    for (const [name, values] of Object.entries(fields)) for (const v of values ?? []) form.append(name, v);
    for (const f of files) form.append(f, new Blob([pdfBytes()], { type: "application/pdf" }), "report.pdf");
    return form;
  }
  const form = new URLSearchParams();
  if (intent) form.append("intent", intent);
  for (const [name, values] of Object.entries(fields)) for (const v of values ?? []) form.append(name, v);
  return form;
}

/** The status an action answered with, whether returned or thrown; a thrown error that is not a response is a server error. */
async function statusOf(work: () => Promise<unknown>): Promise<number | string> {
  try {
    const result = await work();
    if (result instanceof Response) return result.status;
    const init = (result as { init?: { status?: number } } | null)?.init;
    return init?.status ?? 200;
  } catch (error) {
    if (error instanceof Response) return error.status;
    const init = (error as { init?: { status?: number } }).init;
    if (init?.status) return init.status;
    return `500 (${(error as Error).message.slice(0, 200)})`;
  }
}

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  context = appContext(handle.db, clock);
  accounts = await seedDemo(handle.db, testSecrets, clock.now, context.blobs);
  for (const a of accounts) cookies.set(a.email, (await signIn(handle.db, a, clock.now)).cookie);
}, 120_000);
afterAll(async () => {
  await handle?.close();
});

const forms = flat(routes as unknown as RouteEntry[]).filter((r) => {
  const source = readFileSync(path.join(root, "app", r.file), "utf8");
  // Signing out ends the session whatever the form holds: that is its whole purpose, not a stored change.
  return /export async function action/.test(source) && r.file !== "routes/sign-out.tsx";
});

describe("every form in the route table, given a stranger's values", () => {
  it("covers every route that takes a submission", () => {
    expect(forms.length).toBeGreaterThanOrEqual(28);
  });

  it.each(forms.map((r) => [r.path ?? "/", r.file]))(
    "answers /%s without a server error and stores nothing",
    async (pattern, file) => {
      const module = (await import(path.join(root, "app", file))) as {
        action: (args: unknown) => Promise<unknown>;
        permission: string;
      };
      const actor = actorFor(module.permission);
      const { params, url } = await paramsFor(pattern, actor);
      const shape = formShape(file);
      const failures: string[] = [];
      const buttons = BUTTON_ONLY[file] ?? [];
      // The button-only intents last, after the fingerprint that says nothing else stored anything.
      const intents = [...shape.intents.filter((i) => !buttons.includes(i)), ...buttons];
      const before = await fingerprint();
      let after: Record<string, string> | null = null;
      for (const intent of intents) {
        if (buttons.includes(intent)) after ??= await fingerprint();
        for (const [label, value] of MALFORMED) {
          const fields = Object.fromEntries(shape.names.map((n) => [n, value(n)]));
          for (const upload of shape.upload ? [false, true] : [false]) {
            const headers = new Headers();
            if (actor) headers.set("Cookie", cookies.get(actor.email)!);
            const request = new Request(`http://localhost${url}`, {
              method: "POST",
              headers,
              body: body(fields, intent, upload, shape.files),
            });
            const status = await statusOf(() => module.action({ request, params, context }));
            if (typeof status === "string" || status >= 500)
              failures.push(`intent “${intent}”, ${label}${upload ? " (multipart)" : ""}: ${status}`);
          }
        }
      }
      after ??= await fingerprint();
      const changed = Object.keys(before).filter((t) => before[t] !== after[t]);
      expect(failures).toEqual([]);
      expect(changed).toEqual([]);
    },
    120_000,
  );
});
