import { When } from "~/components/when.tsx";
import { Fragment } from "react";
import { Link } from "react-router";
import {
  ROSTER_CHANGE_LABELS,
  ROSTER_FLAG_LABELS,
  type RosterFlag,
  type RosterRecord,
  trainingDueOn,
} from "~/modules/roster/vocabulary.ts";

/** The roster table and change lists both sides of the roster show. */

type Person = RosterRecord & {
  id: string;
  flags: string[];
  addendumFile: { id: string; filename: string; sha256: string } | null;
};

export function RosterFlags({ flags }: { flags: string[] }) {
  if (flags.length === 0) return <span className="custody-tag custody-tag--addressed">In order</span>;
  // Each flag is a sentence: it reads in sentence case and wraps like one, marked by its color and a rule, not by capitals.
  return (
    <ul className="usa-list usa-list--unstyled custody-roster-flags">
      {flags.map((f) => (
        <li key={f} className="custody-roster-flag">
          {ROSTER_FLAG_LABELS[f as RosterFlag] ?? f}
        </li>
      ))}
    </ul>
  );
}

export function RosterTable({
  people,
  fileHref,
  editHref,
}: {
  people: Person[];
  fileHref: (fileId: string) => string;
  editHref?: (personId: string) => string;
}) {
  if (people.length === 0) return <p>No one is on the roster yet.</p>;
  return (
    <table className="usa-table usa-table--borderless usa-table--stacked width-full">
      <caption className="usa-sr-only">Personnel with access to unencrypted CJI</caption>
      <thead>
        <tr>
          <th scope="col">Person</th>
          <th scope="col">Fingerprint check</th>
          <th scope="col">Security Addendum</th>
          <th scope="col">Training (due yearly)</th>
          <th scope="col">Left / access ended</th>
          <th scope="col">Flags</th>
        </tr>
      </thead>
      <tbody>
        {people.map((p) => (
          <tr key={p.id}>
            <th scope="row" data-label="Person">
              {editHref ? <Link to={editHref(p.id)}>{p.fullName}</Link> : p.fullName}
              <div className="custody-muted">
                {p.jobRole} · {p.unescortedAccess ? "unescorted access" : "escorted only"}
              </div>
            </th>
            <td data-label="Fingerprint check">
              {p.fingerprintCheckedOn ? `${p.fingerprintCheckedOn}, ${p.fingerprintAgency ?? ""}` : "—"}
            </td>
            <td data-label="Security Addendum">
              {p.addendumSignedOn ?? "—"}
              {p.addendumFile ? (
                <div>
                  <a href={fileHref(p.addendumFile.id)}>signed page</a>
                </div>
              ) : null}
            </td>
            <td data-label="Training (due yearly)">
              {p.trainedOn ?? "—"}
              {p.trainedOn ? <div className="custody-muted">due {trainingDueOn(p.trainedOn)}</div> : null}
            </td>
            <td data-label="Left / access ended">
              {p.leftOn ?? "—"} / {p.accessEndedOn ?? "—"}
            </td>
            <td data-label="Flags">
              <RosterFlags flags={p.flags} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Change = {
  id: string;
  kind: string;
  status: string;
  personName: string;
  proposedAt: Date | string;
  proposedByName: string | null;
  decisionReason: string | null;
  decidedAt: Date | string | null;
};

export function RosterChanges({ changes, href, caption }: { changes: Change[]; href?: (id: string) => string; caption: string }) {
  if (changes.length === 0) return <p>None.</p>;
  return (
    <table className="usa-table usa-table--borderless usa-table--stacked width-full">
      <caption className="usa-sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Change</th>
          <th scope="col">Proposed</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <Fragment key={c.id}>
            <tr>
              <th scope="row" data-label="Change">
                {href ? (
                  <Link to={href(c.id)}>{c.kind === "add" ? `Add ${c.personName}` : `Change ${c.personName}`}</Link>
                ) : c.kind === "add" ? (
                  `Add ${c.personName}`
                ) : (
                  `Change ${c.personName}`
                )}
              </th>
              <td data-label="Proposed">
                <When at={c.proposedAt} />
                {c.proposedByName ? ` by ${c.proposedByName}` : ""}
              </td>
              <td data-label="Status">
                {ROSTER_CHANGE_LABELS[c.status as keyof typeof ROSTER_CHANGE_LABELS]}
                {c.status === "rejected" && c.decisionReason ? (
                  <div className="custody-muted">Reason: {c.decisionReason}</div>
                ) : null}
              </td>
            </tr>
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}
