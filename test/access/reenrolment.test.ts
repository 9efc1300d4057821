import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { acceptInvitation, createInvitation, openInvitation } from "../../app/modules/access/accounts.server.ts";
import { reEnrolmentLink } from "../../app/modules/access/people.server.ts";
import { resolveSession } from "../../app/modules/access/sessions.server.ts";
import { totpCode } from "../../app/modules/access/totp.server.ts";
import { InvalidInput, NotFound } from "../../app/modules/context.server.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { memberships, people } from "../../db/schema/access.ts";
import { makeAccount, seedOrganisations, signIn, testClient, testSecrets } from "../support/accounts.ts";
import { as } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";

/** A person who lost both the authenticator and the recovery codes is re-enrolled by an administrator, on the same account. */

let handle: DatabaseHandle;
const now = new Date("2026-12-02T16:00:00.000Z");
let admin: ProvisionedAccount;
let officer: ProvisionedAccount;
let strangerAdmin: ProvisionedAccount;
let orgs: Awaited<ReturnType<typeof seedOrganisations>>;

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  orgs = await seedOrganisations(handle.db);
  admin = await makeAccount(handle.db, orgs.agencyA.id, "agency-admin", now);
  officer = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", now);
  strangerAdmin = await makeAccount(handle.db, orgs.agencyB.id, "agency-admin", now);
});
afterAll(async () => {
  await handle?.close();
});

describe("re-enrollment after losing every factor", () => {
  it("clears the credentials, ends the sessions, and the link sets new ones on the same account", async () => {
    const session = await signIn(handle.db, officer, now);
    const [before] = await handle.db.select().from(people).where(eq(people.id, officer.personId));
    const { token } = await as(handle.db, admin, now, (ctx) =>
      reEnrolmentLink(ctx, officer.personId, "Phone lost with the recovery codes in it; identity checked in person"),
    );
    expect((await resolveSession(handle.db, testSecrets, session.token, now)).status).not.toBe("valid");
    const [cleared] = await handle.db.select().from(people).where(eq(people.id, officer.personId));
    expect([cleared!.passwordHash, cleared!.totpSecret, cleared!.mfaEnrolledAt]).toEqual([null, null, null]);
    const view = await openInvitation(handle.db, testSecrets, token, now);
    expect(view).toMatchObject({ usable: true, existingAccount: false });
    const secret = view.usable ? view.enrolment.manualKey.replace(/\s/g, "") : "";
    const accepted = await acceptInvitation(
      handle.db,
      testSecrets,
      token,
      { name: before!.name, password: "a brand new and long pass phrase", code: totpCode(secret, now) },
      testClient,
      now,
    );
    expect(accepted.personId).toBe(officer.personId);
    const [after] = await handle.db.select().from(people).where(eq(people.id, officer.personId));
    expect(after!.passwordHash).not.toBeNull();
    expect(after!.passwordHash).not.toBe(before!.passwordHash);
    const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.objectId, officer.personId));
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["person.reenrol", "person.enrol"]));
  });

  it("does not let an ordinary invitation to the same address take over a record waiting for its own link", async () => {
    const waiting = await makeAccount(handle.db, orgs.agencyA.id, "legal", now);
    await as(handle.db, admin, now, (ctx) => reEnrolmentLink(ctx, waiting.personId, "Lost phone; identity checked"));
    // Another agency's administrator invites the same address, and whoever holds that link tries to use it.
    const { token } = await as(handle.db, strangerAdmin, now, (ctx) =>
      createInvitation(ctx, { email: waiting.email, organisationId: orgs.agencyB.id, role: "auditor" }),
    );
    const view = await openInvitation(handle.db, testSecrets, token, now);
    expect(view).toMatchObject({ usable: true, existingAccount: true });
    const secret = view.usable ? view.enrolment.manualKey.replace(/\s/g, "") : "";
    await expect(
      acceptInvitation(
        handle.db,
        testSecrets,
        token,
        { name: "Someone Else", password: "a long and unusual pass phrase", code: totpCode(secret, now) },
        testClient,
        now,
      ),
    ).rejects.toMatchObject({ fieldErrors: { email: expect.stringMatching(/already exists/) } });
    const [still] = await handle.db.select().from(people).where(eq(people.id, waiting.personId));
    expect(still!.passwordHash).toBeNull();
  });

  it("leaves someone who also serves another organization to the platform administrator", async () => {
    const shared = await makeAccount(handle.db, orgs.agencyA.id, "auditor", now);
    await handle.db
      .insert(memberships)
      .values({ personId: shared.personId, organisationId: orgs.agencyB.id, role: "auditor", startsAt: now });
    await expect(as(handle.db, admin, now, (ctx) => reEnrolmentLink(ctx, shared.personId, "Lost phone"))).rejects.toMatchObject({
      fieldErrors: { form: expect.stringMatching(/a platform administrator must re-enroll them/) },
    });
    const platformAdmin = await makeAccount(handle.db, orgs.platform.id, "platform-admin", now);
    const { token } = await as(handle.db, platformAdmin, now, (ctx) =>
      reEnrolmentLink(ctx, shared.personId, "Lost phone; checked"),
    );
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("asks for a reason, refuses one's own account, and answers 404 for another agency's person", async () => {
    await expect(as(handle.db, admin, now, (ctx) => reEnrolmentLink(ctx, officer.personId, ""))).rejects.toBeInstanceOf(
      InvalidInput,
    );
    await expect(as(handle.db, admin, now, (ctx) => reEnrolmentLink(ctx, admin.personId, "Lost my phone"))).rejects.toThrow();
    await expect(
      as(handle.db, strangerAdmin, now, (ctx) => reEnrolmentLink(ctx, officer.personId, "Not mine to do")),
    ).rejects.toBeInstanceOf(NotFound);
  });
});
