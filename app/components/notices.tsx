import { Fragment } from "react";
import { Form, Link } from "react-router";
import { formatDuration, formatMinute, formatUtcMinute } from "~/modules/format.ts";
import { ENTRY_TIME_ZONES } from "~/modules/time-zones.ts";
import {
  NOTICE_FIELDS,
  NOTICE_KIND_HINTS,
  NOTICE_KIND_LABELS,
  noticeConcerns,
  noticeDetailValue,
  type NoticeKindKey,
  OCCURRED_HEADINGS,
  OCCURRED_LABELS,
  type Timeliness,
  TIMELINESS_LABELS,
} from "~/modules/notices/kinds.ts";
import { Field, ErrorSummary } from "./field.tsx";
import { ChoiceGroup, SelectField, TextareaField } from "./inputs.tsx";

/** The pieces the agency and portal notice pages share: the form, the list, one notice. */

const TONE: Record<Timeliness, string> = { late: "bg-secondary-dark", "on-time": "bg-green", "no-window": "bg-base" };

export function TimelinessTag({ timeliness }: { timeliness: Timeliness }) {
  return <span className={`usa-tag ${TONE[timeliness]}`}>{TIMELINESS_LABELS[timeliness]}</span>;
}

type Judged = {
  agencyId: string;
  agencyName: string;
  timeliness: Timeliness;
  deadlineAt: Date | string | null;
  minutesPastDeadline: number | null;
  windowHours: number | null;
  windowDays: number | null;
};

export function timelinessLine(j: Judged) {
  if (j.deadlineAt === null || j.minutesPastDeadline === null) return "No live contract sets a window.";
  const window = j.windowHours !== null ? `${j.windowHours} h after` : `${j.windowDays} days before`;
  return j.minutesPastDeadline > 0
    ? `Late by ${formatDuration(j.minutesPastDeadline)} (window: ${window})`
    : `${formatDuration(-j.minutesPastDeadline)} to spare (window: ${window})`;
}

const zoneOptions = ENTRY_TIME_ZONES.map(([value, label]) => ({ value, label }));

export function NoticeForm(props: {
  side: "vendor" | "agency";
  kind: NoticeKindKey;
  values: Record<string, string | string[]>;
  errors: Record<string, string>;
  agencies: { id: string; name: string }[];
  vendors: { id: string; name: string }[];
}) {
  const { side, kind, values, errors } = props;
  const v = (name: string) => {
    const x = values[name];
    return Array.isArray(x) ? (x[0] ?? "") : (x ?? "");
  };
  const occurred = OCCURRED_LABELS[kind];
  return (
    <Form method="post" className="usa-form usa-form--large" noValidate>
      <input type="hidden" name="kind" value={kind} />
      <ErrorSummary errors={errors} lead="The notice was not saved. Correct the fields listed here." />
      {side === "agency" ? (
        <SelectField
          name="vendorId"
          label="Vendor"
          options={props.vendors.map((x) => ({ value: x.id, label: x.name }))}
          empty="- Choose -"
          defaultValue={v("vendorId")}
          error={errors.vendorId}
        />
      ) : (
        <ChoiceGroup
          name="agencies"
          legend="Agencies this notice concerns"
          hint="Each is told at once, and its CJIS officers see whether the notice met its contract's window."
          error={errors.agencies}
          options={props.agencies.map((a) => ({ value: a.id, label: a.name }))}
          checked={values.agencies === undefined ? props.agencies.map((a) => a.id) : [values.agencies].flat()}
        />
      )}
      <Field
        name="summary"
        label="Summary"
        hint="One line, as it should appear in lists and alerts."
        defaultValue={v("summary")}
        error={errors.summary}
      />
      <fieldset className="usa-fieldset">
        <legend className="usa-legend">{occurred.replace(/^./, (c) => c.toUpperCase())}</legend>
        <Field
          name="occurredLocal"
          label="Date and local time"
          type="datetime-local"
          defaultValue={v("occurredLocal")}
          error={errors.occurredLocal}
        />
        <SelectField
          name="occurredZone"
          label="Time zone"
          options={zoneOptions}
          defaultValue={v("occurredZone") || "America/New_York"}
        />
      </fieldset>
      {side === "agency" ? (
        <fieldset className="usa-fieldset">
          <legend className="usa-legend">When the vendor told the agency</legend>
          <Field
            name="notifiedLocal"
            label="Date and local time"
            type="datetime-local"
            defaultValue={v("notifiedLocal")}
            error={errors.notifiedLocal}
          />
          <SelectField
            name="notifiedZone"
            label="Time zone"
            options={zoneOptions}
            defaultValue={v("notifiedZone") || "America/New_York"}
          />
        </fieldset>
      ) : (
        <p className="custody-muted">Filing here is the notice: its time is the moment you submit, recorded in UTC.</p>
      )}
      {NOTICE_FIELDS[kind].map((f) => {
        const name = `detail.${f.name}`;
        const common = { name, label: f.label, hint: f.hint, error: errors[name], defaultValue: v(name) };
        if (f.input === "textarea") return <TextareaField key={name} {...common} rows={5} />;
        if (f.input === "select")
          return (
            <SelectField
              key={name}
              {...common}
              options={Object.entries(f.options ?? {}).map(([value, label]) => ({ value, label }))}
              empty="- Choose -"
            />
          );
        return <Field key={name} {...common} type={f.input === "date" ? "date" : "text"} />;
      })}
      <button className="usa-button" type="submit">
        {side === "vendor" ? "File the notice" : "Record the notice"}
      </button>
    </Form>
  );
}

export function KindChooser({ chosen }: { chosen: string | null }) {
  return (
    <Form method="get" className="usa-form usa-form--large" aria-label="Kind of notice">
      <ChoiceGroup
        type="radio"
        name="kind"
        legend="Kind of notice"
        options={Object.entries(NOTICE_KIND_LABELS).map(([value, label]) => ({
          value,
          label,
          description: NOTICE_KIND_HINTS[value as NoticeKindKey],
        }))}
        checked={chosen ? [chosen] : []}
      />
      <button className={`usa-button${chosen ? " usa-button--outline" : ""}`} type="submit">
        {chosen ? "Change" : "Continue"}
      </button>
    </Form>
  );
}

type Row = {
  id: string;
  kind: string;
  summary: string;
  vendorName: string;
  occurredAt: Date | string;
  occurredZone: string;
  notifiedAt: Date | string;
  notifiedZone: string;
  agencies: Judged[];
};

export function NoticeTable({ rows, href, showVendor }: { rows: Row[]; href: (id: string) => string; showVendor: boolean }) {
  if (rows.length === 0) return <p>No notices match.</p>;
  return (
    <table className="usa-table usa-table--borderless usa-table--stacked width-full">
      <caption className="usa-sr-only">Notices, the most recent event first</caption>
      <thead>
        <tr>
          <th scope="col">Notice</th>
          {showVendor ? <th scope="col">Vendor</th> : null}
          <th scope="col">Event</th>
          <th scope="col">Notified</th>
          <th scope="col">Timeliness</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <th scope="row" data-label="Notice">
              <Link to={href(r.id)}>{r.summary}</Link>
              <div className="custody-muted">{NOTICE_KIND_LABELS[r.kind as NoticeKindKey]}</div>
            </th>
            {showVendor ? <td data-label="Vendor">{r.vendorName}</td> : null}
            <td data-label="Event">
              {OCCURRED_HEADINGS[r.kind as NoticeKindKey]} {formatMinute(r.occurredAt, r.occurredZone)}
            </td>
            <td data-label="Notified">{formatMinute(r.notifiedAt, r.notifiedZone)}</td>
            <td data-label="Timeliness">
              {r.agencies.map((a) => (
                <div key={a.agencyId}>
                  <TimelinessTag timeliness={a.timeliness} /> {r.agencies.length > 1 || !showVendor ? `${a.agencyName}: ` : ""}
                  <span className="custody-muted">{timelinessLine(a)}</span>
                </div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Detail = Omit<Row, "agencies"> & {
  details: unknown;
  filedByKind: string;
  filedByName: string | null;
  filedAt: Date | string;
  filedFrom: string | null;
  agencies: (Judged & { contractTitle: string | null })[];
};

export function NoticeDetail({ notice: n }: { notice: Detail }) {
  const kind = n.kind as NoticeKindKey;
  const details = (n.details ?? {}) as Record<string, unknown>;
  const concerns = noticeConcerns(kind, details);
  return (
    <>
      {concerns.map((c) => (
        <div key={c} className="usa-alert usa-alert--error usa-alert--slim" role="alert">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{c}</p>
          </div>
        </div>
      ))}
      <dl className="custody-definitions">
        <dt>Kind</dt>
        <dd>{NOTICE_KIND_LABELS[kind]}</dd>
        <dt>Vendor</dt>
        <dd>{n.vendorName}</dd>
        <dt>{OCCURRED_HEADINGS[kind]}</dt>
        <dd>
          {formatMinute(n.occurredAt, n.occurredZone)} ({n.occurredZone}; {formatUtcMinute(n.occurredAt)})
        </dd>
        <dt>Notified</dt>
        <dd>
          {formatMinute(n.notifiedAt, n.notifiedZone)} ({formatUtcMinute(n.notifiedAt)})
        </dd>
        <dt>{n.filedByKind === "vendor" ? "Filed in the portal by" : "Recorded by"}</dt>
        <dd>
          {n.filedByName ?? "—"}, {formatUtcMinute(n.filedAt)}
          {n.filedFrom ? ` from ${n.filedFrom}` : ""}
        </dd>
        {NOTICE_FIELDS[kind].map((f) => (
          <Fragment key={f.name}>
            <dt>{f.label}</dt>
            <dd className="custody-pre">{noticeDetailValue(f, details[f.name])}</dd>
          </Fragment>
        ))}
      </dl>
      <h2>Timeliness</h2>
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption className="usa-sr-only">Whether the notice met each agency's contract window</caption>
        <thead>
          <tr>
            <th scope="col">Agency</th>
            <th scope="col">Contract and window</th>
            <th scope="col">Deadline</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {n.agencies.map((a) => (
            <tr key={a.agencyId}>
              <th scope="row" data-label="Agency">
                {a.agencyName}
              </th>
              <td data-label="Contract and window">
                {a.contractTitle ?? "No live contract"}
                {a.windowHours !== null
                  ? `: within ${a.windowHours} h`
                  : a.windowDays !== null
                    ? `: ${a.windowDays} days ahead`
                    : ""}
              </td>
              <td data-label="Deadline">{a.deadlineAt ? formatMinute(a.deadlineAt, n.occurredZone) : "—"}</td>
              <td data-label="Result">
                <TimelinessTag timeliness={a.timeliness} /> <span className="custody-muted">{timelinessLine(a)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
