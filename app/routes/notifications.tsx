import { readForm } from "~/http/form.server.ts";
import { data, Form, Link, redirect } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { ChoiceGroup } from "~/components/inputs.tsx";
import { authorize } from "~/http/guard.server.ts";
import { markRead, myNotifications, setDelivery } from "~/modules/notifications/notify.server.ts";
import { safeRedirect } from "~/http/cookies.server.ts";
import type { Route } from "./+types/notifications";
import { When } from "~/components/when.tsx";

/** What Custody has told you, newest first; open one to mark it read; choose e-mail at once or a daily digest. */
export const permission = "signed-in";
export const meta = () => [{ title: "Notifications — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return auth.run((ctx) => myNotifications(ctx));
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const form = await readForm(args.request);
  const intent = String(form.get("intent") ?? "");
  if (intent === "delivery") {
    const result = await auth.submit((ctx) => setDelivery(ctx, String(form.get("delivery") ?? "")));
    if (!result.ok) return data({ errors: result.errors }, { status: 400 });
    await auth.flash(`Saved: ${result.value === "daily-digest" ? "one digest a day" : "each notification at once"}.`);
    return redirect("/notifications");
  }
  const which = intent === "read-all" ? "all" : String(form.get("id") ?? "");
  const { link } = await auth.run((ctx) => markRead(ctx, which));
  return redirect(which === "all" ? "/notifications" : safeRedirect(link, "/notifications"));
}

export default function Notifications({ loaderData: d, actionData }: Route.ComponentProps) {
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Notifications" }]} />
      <h1>Notifications</h1>
      <p className="usa-intro">{d.unread === 0 ? "Nothing unread." : `${d.unread} unread.`}</p>
      {d.unread > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="read-all" />
          <button className="usa-button usa-button--outline" type="submit">
            Mark all read
          </button>
        </Form>
      ) : null}
      {d.notifications.length === 0 ? <p>Custody has not told you of anything yet.</p> : null}
      <ul className="usa-list usa-list--unstyled">
        {d.notifications.map((n) => (
          <li key={n.id} className="border-bottom-1px border-base-lighter padding-y-2">
            <Form method="post" className="display-inline">
              <input type="hidden" name="id" value={n.id} />
              <button className="usa-button usa-button--unstyled text-left" type="submit">
                {n.readAt ? n.subject : <strong>{n.subject}</strong>}
              </button>
            </Form>
            {n.readAt ? null : <span className="usa-tag margin-left-1">New</span>}
            <div>{n.body}</div>
            <div className="custody-muted">
              <When at={n.createdAt} />
              {n.emailedAt ? (
                <>
                  {" "}
                  · e-mailed <When at={n.emailedAt} />
                </>
              ) : null}{" "}
              · <Link to={n.link}>open without marking read</Link>
            </div>
          </li>
        ))}
      </ul>
      <h2>E-mail</h2>
      <Form method="post" className="usa-form">
        <input type="hidden" name="intent" value="delivery" />
        <ChoiceGroup
          type="radio"
          name="delivery"
          legend="How should Custody e-mail you?"
          hint="E-mails carry a link to the page, never a file. Everything also stays here."
          options={[
            { value: "immediate", label: "At once", description: "One e-mail for each notification as it happens." },
            {
              value: "daily-digest",
              label: "A daily digest",
              description: "One e-mail a day gathering everything since the last one.",
            },
          ]}
          checked={[d.delivery]}
          error={actionData?.errors.delivery}
        />
        <button className="usa-button" type="submit">
          Save
        </button>
      </Form>
    </div>
  );
}
