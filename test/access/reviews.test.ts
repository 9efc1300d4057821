import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/context.ts";
import { authorize } from "../../app/http/guard.server.ts";
import { buildReport } from "../../app/modules/access/reports.server.ts";
import { completeReview, decide, getReview, startReview } from "../../app/modules/access/reviews.server.ts";
import { resolveSession } from "../../app/modules/access/sessions.server.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { deprovisioningRecords, memberships } from "../../db/schema/access.ts";
import { appContext, makeAccount, seedOrganisations, signIn, testSecrets } from "../support/accounts.ts";
import { createTestDatabase } from "../support/database.ts";
import { loaderArgs } from "../support/routes.ts";

let handle: DatabaseHandle;
let context: AppContext;
const clock = { now: new Date("2026-11-23T13:00:00.000Z") };

beforeAll(async () => {
  handle = await createTestDatabase();
  context = appContext(handle.db, clock);
});
afterAll(async () => {
  await handle.close();
});

describe("an access review", () => {
  it("covers every current role in the agency, records who certified or revoked what, and revoking ends the role", async () => {
    const orgs = await seedOrganisations(handle.db);
    const admin = await makeAccount(handle.db, orgs.agencyA.id, "agency-admin", clock.now);
    const keep = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", clock.now);
    const leaver = await makeAccount(handle.db, orgs.agencyA.id, "procurement-officer", clock.now);
    await makeAccount(handle.db, orgs.agencyB.id, "legal", clock.now); // another agency: not in this review
    const leaverSession = await signIn(handle.db, leaver, clock.now);
    const { cookie } = await signIn(handle.db, admin, clock.now);
    const auth = await authorize(loaderArgs(context, "/admin/reviews", {}, { cookie }) as never, "access-review:run");

    const review = await auth.run((ctx) => startReview(ctx));
    const { items } = await auth.run((ctx) => getReview(ctx, review.id));
    expect(items.map((i) => i.email).sort()).toEqual([admin.email, keep.email, leaver.email].sort());

    const item = (email: string) => items.find((i) => i.email === email)!;
    const refused = (r: { ok: boolean; message?: string }) => (r.ok ? "accepted" : r.message);
    const own = refused(await auth.submit((ctx) => decide(ctx, review.id, item(admin.email).id, "certify", "")));
    expect(own).toBe("Another administrator must review your own access.");
    const noReason = refused(await auth.submit((ctx) => decide(ctx, review.id, item(leaver.email).id, "revoke", "")));
    expect(noReason).toBe("Say why the access is revoked.");
    await auth.run((ctx) => decide(ctx, review.id, item(keep.email).id, "certify", ""));
    await auth.run((ctx) => decide(ctx, review.id, item(leaver.email).id, "revoke", "Moved to the finance department"));
    expect(refused(await auth.submit((ctx) => completeReview(ctx, review.id)))).toBe("1 role(s) still need a decision.");

    const [ended] = await handle.db.select().from(memberships).where(eq(memberships.personId, leaver.personId));
    expect(ended).toMatchObject({ endedReason: "Revoked in access review: Moved to the finance department" });
    // Revoking the leaver's only role disables them (AC-2(3)): two records, the role and the account.
    expect((await resolveSession(handle.db, testSecrets, leaverSession.token, clock.now)).status).toBe("revoked");
    const kinds = await handle.db
      .select({ kind: deprovisioningRecords.kind })
      .from(deprovisioningRecords)
      .where(eq(deprovisioningRecords.personId, leaver.personId));
    expect(kinds.map((k) => k.kind).sort()).toEqual(["membership-ended", "person-disabled"]);

    // A second administrator reviews the first, then the review can be completed and kept.
    const second = await makeAccount(handle.db, orgs.agencyA.id, "agency-admin", clock.now);
    const secondAuth = await authorize(
      loaderArgs(context, "/admin/reviews", {}, { cookie: (await signIn(handle.db, second, clock.now)).cookie }) as never,
      "access-review:run",
    );
    await secondAuth.run((ctx) => decide(ctx, review.id, item(admin.email).id, "certify", "Still the agency's administrator"));
    await secondAuth.run((ctx) => completeReview(ctx, review.id));
    const report = await secondAuth.run((ctx) => buildReport(ctx, "access-reviews"));
    expect(report.rows.map((r) => [r[3], r[5], r[6]]).sort()).toEqual(
      [
        [admin.email, "certify", second.email],
        [keep.email, "certify", admin.email],
        [leaver.email, "revoke", admin.email],
      ].sort(),
    );
    expect(report.rows.every((r) => r[1] === "2026-11-23 13:00")).toBe(true);
  });
});
