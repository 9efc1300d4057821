import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/context.ts";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { inTransaction } from "../../app/modules/context.server.ts";
import { createContract } from "../../app/modules/contracts/contracts.server.ts";
import { createMailer } from "../../app/modules/notifications/mail.server.ts";
import { tell } from "../../app/modules/notifications/notify.server.ts";
import { registerVendor } from "../../app/modules/vendors/vendors.server.ts";
import { action as fileNotice } from "../../app/routes/portal.notices.new.tsx";
import type { DatabaseHandle } from "../../db/client.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import { notifications } from "../../db/schema/notifications.ts";
import { appContext, makeAccount, seedOrganisations, signIn, testSecrets } from "../support/accounts.ts";
import { actorOf, as, contractInput, vendorInput } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";
import { loaderArgs } from "../support/routes.ts";
import { startSmtpServer } from "../support/smtp.ts";

/**
 * E-mail for a notification leaves from the module context once the change it reports has
 * committed: a route cannot forget to send it, and a change that rolls back tells no one.
 */
let handle: DatabaseHandle;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let context: AppContext;
const clock = { now: new Date("2026-11-23T15:00:00.000Z") };
let officer: ProvisionedAccount;
let rep: ProvisionedAccount;
let repCookie: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  smtp = await startSmtpServer();
  context = { ...appContext(handle.db, clock), mailer: createMailer(smtp.url, "Custody <no-reply@county.test>") };
  const orgs = await seedOrganisations(handle.db);
  const buyer = await makeAccount(handle.db, orgs.agencyA.id, "procurement-officer", clock.now);
  officer = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", clock.now);
  rep = await makeAccount(handle.db, orgs.vendor.id, "vendor-representative", clock.now);
  const vendorId = (await as(handle.db, buyer, clock.now, (ctx) => registerVendor(ctx, vendorInput({ legalName: "Vendor V" }))))
    .id;
  await as(handle.db, buyer, clock.now, (ctx) =>
    createContract(ctx, contractInput(vendorId, { stage: "signed", signedOn: "2026-01-10", effectiveOn: "2026-02-01" })),
  );
  repCookie = (await signIn(handle.db, rep, clock.now)).cookie;
});
afterAll(async () => {
  await smtp?.close();
  await handle?.close();
});

const mailTo = (account: ProvisionedAccount) => smtp.received.filter((m) => m.to.includes(account.email));
const notice = (overrides: Record<string, string> = {}) => ({
  kind: "breach-notice",
  summary: "Unexpected sign-in to the storage console",
  occurredLocal: "2026-11-23T09:30",
  occurredZone: "America/New_York",
  agencies: officer.organisationId,
  "detail.whatHappened": "A console session started from an unknown address and was ended within minutes.",
  "detail.dataCategories": "Body-worn camera video",
  ...overrides,
});

describe("e-mail for notifications", () => {
  it("leaves as soon as a vendor's notice is filed, although the route itself sends nothing", async () => {
    const response = (await fileNotice(
      loaderArgs(context, "/portal/notices/new", {}, { cookie: repCookie, form: notice() }),
    )) as Response;
    expect(response.status).toBe(302);
    const mail = mailTo(officer);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.unfolded).toContain("Breach or incident notice from Vendor V");
    expect(mail[0]!.unfolded).toContain("http://custody.test/notices/");
  });

  it("does not leave for a filing the module refuses", async () => {
    const before = smtp.received.length;
    const refused = (await fileNotice(
      loaderArgs(context, "/portal/notices/new", {}, { cookie: repCookie, form: notice({ summary: "" }) }),
    )) as { init: { status: number }; data: { errors: Record<string, string> } };
    expect(refused.init.status).toBe(400);
    expect(Object.keys(refused.data.errors)).toContain("summary");
    expect(smtp.received.length).toBe(before);
  });

  it("never leaves for a change that rolls back, and its notification is never written", async () => {
    const before = smtp.received.length;
    const failed = inTransaction(
      handle.db,
      {
        actor: actorOf(rep),
        now: clock.now,
        secrets: testSecrets,
        mail: { mailer: context.mailer, publicUrl: context.publicUrl },
      },
      async (ctx) => {
        await tell(ctx, [
          {
            personId: officer.personId,
            organisationId: officer.organisationId,
            kind: "notice-filed",
            subject: "Should never arrive",
            body: "The change that wrote this rolled back.",
            link: "/notices",
            dedupeKey: "rolled-back",
          },
        ]);
        throw new Error("the change failed after telling");
      },
    );
    await expect(failed).rejects.toThrow("the change failed after telling");
    expect(smtp.received.length).toBe(before);
    expect(await handle.db.select().from(notifications).where(eq(notifications.dedupeKey, "rolled-back"))).toEqual([]);
  });
});
