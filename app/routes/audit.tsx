import { data, Form, Link } from "react-router";
import { Field } from "~/components/field.tsx";
import { authorize } from "~/http/guard.server.ts";
import { auditOrganisations, listAuditEvents, parseAuditFilter } from "~/modules/audit/viewer.server.ts";
import type { Route } from "./+types/audit";
import { formatAddress, formatUtcMillisecond } from "~/modules/format.ts";

export const permission = "audit:read";
export const meta: Route.MetaFunction = () => [{ title: "Audit trail — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const params = new URL(args.request.url).searchParams;
  const { filter, errors } = parseAuditFilter(params);
  const before = Number(params.get("before")) || undefined;
  const organisations = await auth.run((ctx) => auditOrganisations(ctx));
  if (Object.keys(errors).length > 0)
    return data({ events: [], next: null, errors, query: params.toString(), organisations }, { status: 400 });
  const page = await auth.run((ctx) => listAuditEvents(ctx, filter, before));
  const query = new URLSearchParams([...params].filter(([k]) => k !== "before")).toString();
  return { ...page, errors, query, organisations };
}

export default function AuditTrail({ loaderData }: Route.ComponentProps) {
  const { events, next, errors, query, organisations } = loaderData;
  const params = new URLSearchParams(query);
  const value = (k: string) => params.get(k) ?? "";
  return (
    <div className="padding-y-4">
      <h1>Audit trail</h1>
      <p className="usa-intro">
        Every sign-in, read, change and denial, newest first. Times are UTC. Reading this page is itself recorded. Each
        event&apos;s receipt proves to anyone, offline, that the signed audit log holds it as written (check it with the{" "}
        <a href="/.well-known/custody-verify-receipt.mjs">receipt checker</a> and this installation&apos;s{" "}
        <a href="/.well-known/custody-audit-key.pem">public key</a>).
      </p>
      <Form method="get" className="usa-form maxw-none" aria-label="Filter the audit trail">
        <div className="grid-row grid-gap">
          <div className="tablet:grid-col-4">
            <Field name="person" label="Person (e-mail or id)" defaultValue={value("person")} error={errors.person} />
          </div>
          <div className="tablet:grid-col-4">
            <Field
              name="action"
              label="Action"
              hint="e.g. auth.login or person.disable"
              defaultValue={value("action")}
              error={errors.action}
            />
          </div>
          <div className="tablet:grid-col-4">
            <Field
              name="objectType"
              label="Object type"
              hint="e.g. person, requirement"
              defaultValue={value("objectType")}
              error={errors.objectType}
            />
          </div>
          <div className="tablet:grid-col-4">
            <Field name="objectId" label="Object id" defaultValue={value("objectId")} error={errors.objectId} />
          </div>
          {organisations.length > 0 ? (
            <div className="tablet:grid-col-4">
              <label className="usa-label" htmlFor="organisationId">
                Organization
              </label>
              {errors.organisationId ? (
                <span className="usa-error-message" role="alert">
                  {errors.organisationId}
                </span>
              ) : null}
              <select className="usa-select" id="organisationId" name="organisationId" defaultValue={value("organisationId")}>
                <option value="">All organizations</option>
                {organisations.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="tablet:grid-col-4">
            <Field name="from" label="From" type="date" defaultValue={value("from")} error={errors.from} />
          </div>
          <div className="tablet:grid-col-4">
            <Field name="to" label="To" type="date" defaultValue={value("to")} error={errors.to} />
          </div>
        </div>
        <button className="usa-button margin-top-2" type="submit">
          Filter
        </button>
        <a className="usa-button usa-button--outline margin-top-2" href={`/audit/export.csv?${query}`} download>
          Export these events as CSV
        </a>
      </Form>
      <table className="usa-table usa-table--borderless usa-table--stacked usa-table--compact width-full margin-top-3 custody-audit-table">
        <caption className="usa-sr-only">Audit events</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Object</th>
            <th scope="col">Concerning</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.seq}>
              <td data-label="#" className="custody-nowrap">
                {e.seq}{" "}
                <a href={`/audit/events/${e.id}/receipt.json`} className="font-body-3xs">
                  Receipt<span className="usa-sr-only"> of event {e.seq} (signed proof, JSON)</span>
                </a>
              </td>
              <td data-label="When">{formatUtcMillisecond(e.occurredAt)}</td>
              <td data-label="Who" className="custody-wrap">
                <Who event={e} />
              </td>
              <th scope="row" data-label="Action">
                <Dotted name={e.action} />
              </th>
              <td data-label="Object" className="custody-wrap">
                <ObjectCell event={e} />
              </td>
              <td data-label="Concerning">{e.labels.organisation ?? "—"}</td>
              <td data-label="Outcome" className="custody-nowrap">
                {e.outcome}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {events.length === 0 ? <p>No event matches.</p> : null}
      {next ? (
        <p>
          <Link to={`/audit?${query}${query ? "&" : ""}before=${next}`}>Older events</Link>
        </p>
      ) : null}
    </div>
  );
}

type Row = Route.ComponentProps["loaderData"]["events"][number];

/** The person (name, e-mail, the organisation they acted for) or token, and the address they came from. */
function Who({ event: e }: { event: Row }) {
  const { actor, actorOrganisation } = e.labels;
  return (
    <>
      {actor ? (
        <>
          <strong>{actor.name}</strong>
          <br />
          {actor.email}
        </>
      ) : (
        (e.actorLabel ?? "Nobody signed in")
      )}
      {actorOrganisation ? (
        <>
          <br />
          <span className="text-base-dark">{actorOrganisation}</span>
        </>
      ) : null}
      {e.ip ? (
        <>
          <br />
          <span className="text-base-dark">from {formatAddress(e.ip)}</span>
        </>
      ) : null}
    </>
  );
}

/** What the event was about: its title, linked when the reader may open it, and its type. */
function ObjectCell({ event: e }: { event: Row }) {
  if (!e.objectType) return <>—</>;
  const object = e.labels.object;
  if (!object) return <>{e.objectId ? `${e.objectType} ${e.objectId}` : e.objectType}</>;
  return (
    <>
      {object.href ? <Link to={object.href}>{object.label}</Link> : object.label}
      <br />
      <span className="text-base-dark">{e.objectType}</span>
    </>
  );
}

/** An action's name may break after each dot (auth.login.succeeded), never inside a word. */
function Dotted({ name }: { name: string }) {
  const parts = name.split(".");
  return (
    <>
      {parts.map((p, i) => (
        <span key={i}>
          {p}
          {i < parts.length - 1 ? (
            <>
              .<wbr />
            </>
          ) : null}
        </span>
      ))}
    </>
  );
}
