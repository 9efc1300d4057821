import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openInvitation } from "../../app/modules/access/accounts.server.ts";
import { createMailer } from "../../app/modules/notifications/mail.server.ts";
import * as inviteRoute from "../../app/routes/admin/invitation-new.tsx";
import type { DatabaseHandle } from "../../db/client.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { appContext, makeAccount, seedOrganisations, signIn, testSecrets } from "../support/accounts.ts";
import { createTestDatabase } from "../support/database.ts";
import { loaderArgs } from "../support/routes.ts";
import { freePort } from "../support/server.ts";
import { type ReceivedMail, startSmtpServer } from "../support/smtp.ts";

let handle: DatabaseHandle;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let port: number;
let received: ReceivedMail[];
const clock = { now: new Date("2026-11-23T14:00:00.000Z") };

beforeAll(async () => {
  handle = await createTestDatabase();
  smtp = await startSmtpServer();
  port = smtp.port;
  received = smtp.received;
});
afterAll(async () => {
  await smtp.close();
  await handle.close();
});

describe("inviting someone by e-mail", () => {
  it("sends a link into Custody through SMTP — no attachment, no password — and the link works", async () => {
    const orgs = await seedOrganisations(handle.db);
    const admin = await makeAccount(handle.db, orgs.agencyA.id, "agency-admin", clock.now);
    const { cookie } = await signIn(handle.db, admin, clock.now);
    const context = {
      ...appContext(handle.db, clock),
      mailer: createMailer(`smtp://127.0.0.1:${port}`, "Custody <no-reply@agency.test>"),
    };
    const result = (await inviteRoute.action(
      loaderArgs(
        context,
        "/admin/invitations/new",
        {},
        {
          cookie,
          form: {
            email: "new.officer@agency.test",
            organisationAndRole: `${orgs.agencyA.id}|cjis-officer`,
            membershipEndsOn: "",
          },
        },
      ) as never,
    )) as { emailed: boolean; link: string | null };
    expect(result.emailed).toBe(true);
    expect(result.link).toBeNull();

    expect(received).toHaveLength(1);
    const message = received[0]!;
    expect(message.to).toEqual(["new.officer@agency.test"]);
    expect(message.from).toBe("no-reply@agency.test");
    const unfolded = message.raw.replace(/=\r?\n/g, "");
    expect(unfolded).toContain("Subject: Your invitation to Custody (Agency A)");
    expect(unfolded).not.toMatch(/Content-Disposition:\s*attachment/i);
    expect(unfolded).not.toMatch(/password:/i);
    const token = unfolded.match(/http:\/\/localhost\/invitations\/([A-Za-z0-9_-]{40,})/)![1]!;
    expect((await openInvitation(handle.db, testSecrets, token, clock.now)).usable).toBe(true);

    const [sent] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "invitation.email.sent"));
    expect(sent).toMatchObject({ outcome: "success", actorPersonId: admin.personId, details: { to: "new.officer@agency.test" } });
  });

  it("shows the link to the administrator instead, and records the failure, when the mail server refuses", async () => {
    const orgs = await seedOrganisations(handle.db);
    const admin = await makeAccount(handle.db, orgs.agencyB.id, "agency-admin", clock.now);
    const { cookie } = await signIn(handle.db, admin, clock.now);
    const context = {
      ...appContext(handle.db, clock),
      mailer: createMailer(`smtp://127.0.0.1:${await freePort()}`, "Custody <x@y.test>"),
    };
    const result = (await inviteRoute.action(
      loaderArgs(
        context,
        "/admin/invitations/new",
        {},
        { cookie, form: { email: "someone@agency.test", organisationAndRole: `${orgs.agencyB.id}|legal` } },
      ) as never,
    )) as { emailed: boolean; link: string | null };
    expect(result.emailed).toBe(false);
    expect(result.link).toMatch(/^http:\/\/localhost\/invitations\//);
    const failures = await handle.db.select().from(auditEvents).where(eq(auditEvents.outcome, "failed"));
    expect(failures.some((e) => e.action === "invitation.email.sent")).toBe(true);
  });
});
