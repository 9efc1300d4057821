import { Hash } from "~/components/hash.tsx";
import { When } from "~/components/when.tsx";
import { formatAddress, formatCount, formatFileSize } from "~/modules/format.ts";
import type { KindField } from "~/modules/evidence/kinds.ts";
import { FlagList, VersionFields } from "./evidence.tsx";

/** The versions of an item and its chain of custody, as both the agency and the vendor see them. */

type Version = {
  id: string;
  version: number;
  status: string;
  issuedOn: string | null;
  validFrom: string | null;
  expiresOn: string | null;
  fields: Record<string, string | number>;
  flags: string[];
  submittedAt: Date | string;
  submittedByName: string;
  submittedFrom: string | null;
  attestation: { name: string; title: string; statement: string } | null;
  decidedAt: Date | string | null;
  decidedByName: string | null;
  decisionReason: string | null;
  files: { id: string; filename: string; sizeBytes: number; sha256: string }[];
};

const VERSION_STATUS: Record<string, string> = {
  submitted: "Submitted",
  "under-review": "Under review",
  accepted: "Accepted",
  rejected: "Rejected",
  superseded: "Superseded",
};

export function EvidenceVersions({
  kindKey,
  fields,
  versions,
  fileHref,
}: {
  kindKey: string;
  fields: KindField[];
  versions: Version[];
  fileHref: (fileId: string) => string;
}) {
  return (
    <section aria-labelledby="versions">
      <h2 id="versions">Versions</h2>
      {versions.length === 0 ? <p>Nothing submitted yet.</p> : null}
      {versions.map((v) => (
        <article
          key={v.id}
          className="border-1px border-base-lighter padding-2 margin-y-2"
          aria-labelledby={`version-${v.version}`}
        >
          <h3 id={`version-${v.version}`} className="margin-top-0">
            Version {v.version}: {VERSION_STATUS[v.status] ?? v.status}
          </h3>
          <p className="custody-muted">
            Submitted <When at={v.submittedAt} /> by {v.submittedByName}
            {v.submittedFrom ? ` from ${formatAddress(v.submittedFrom)}` : ""}
          </p>
          {v.decidedAt ? (
            <p>
              {v.status === "rejected" ? "Rejected" : "Decided"} <When at={v.decidedAt} />
              {v.decidedByName ? ` by ${v.decidedByName}` : ""}
              {v.decisionReason ? (
                <>
                  : <strong>{v.decisionReason}</strong>
                </>
              ) : null}
            </p>
          ) : null}
          <FlagList flags={v.flags} />
          <VersionFields kindKey={kindKey} fields={fields} version={v} />
          {v.attestation ? (
            <blockquote className="custody-attestation">
              “{v.attestation.statement}” — {v.attestation.name}, {v.attestation.title}
            </blockquote>
          ) : null}
          <ul>
            {v.files.map((f) => (
              <li key={f.id}>
                <a href={fileHref(f.id)}>{f.filename}</a> ({formatFileSize(f.sizeBytes)}) · SHA-256 <Hash value={f.sha256} />
              </li>
            ))}
          </ul>
        </article>
      ))}
    </section>
  );
}

type CustodyRow = {
  seq: number;
  position: number | null;
  at: Date | string;
  who: string;
  actorOrganisation: string;
  organisation: string;
  from: string;
  label: string;
  outcome: string;
  version: number | null;
  files: { filename: string; sha256: string; bytes: number }[];
  note: string;
};

export function CustodyTable({ rows }: { rows: CustodyRow[] }) {
  return (
    <table className="usa-table usa-table--borderless usa-table--stacked width-full custody-audit-table">
      <caption className="usa-sr-only">Chain of custody</caption>
      <thead>
        <tr>
          <th scope="col">Log position</th>
          <th scope="col">When (UTC)</th>
          <th scope="col">Who</th>
          <th scope="col">Acting for</th>
          <th scope="col">What</th>
          <th scope="col">Concerning</th>
          <th scope="col">From</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.seq}>
            <td data-label="Log position" className="custody-nowrap">
              {r.position === null ? "being sealed" : r.position}
            </td>
            <td data-label="When (UTC)">
              <When at={r.at} utc />
            </td>
            <td data-label="Who" className="custody-wrap">
              {r.who}
            </td>
            <td data-label="Acting for">{r.actorOrganisation || "—"}</td>
            <th scope="row" data-label="What">
              {r.label}
              {r.outcome !== "success" ? ` (${r.outcome})` : ""}
              {r.version !== null ? ` · version ${r.version}` : ""}
            </th>
            <td data-label="Concerning">{r.organisation || "—"}</td>
            <td data-label="From">{r.from || "—"}</td>
            <td data-label="Detail">
              {r.files.map((f) => (
                <div key={f.sha256 + f.filename}>
                  {f.filename} ({formatCount(f.bytes, "byte")}) <Hash value={f.sha256} />
                </div>
              ))}
              {r.note}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Proofs = {
  checkpoint: { treeSize: number; rootHash: string; issuedAt: string; keyId: string; signature: string } | null;
  proven: { eventId: string; position: number; inclusionProof: string[] }[];
  notYetSealed: string[];
};

/** The signed checkpoint the chain is proven against, and each event's inclusion proof (RFC 9162), folded away. */
export function CustodyProofs({ proofs }: { proofs: Proofs }) {
  const cp = proofs.checkpoint;
  return (
    <details className="margin-top-2">
      <summary>
        Signed checkpoint and inclusion proofs ({formatCount(proofs.proven.length, "event")} proven
        {proofs.notYetSealed.length > 0 ? `, ${formatCount(proofs.notYetSealed.length, "event")} still being sealed` : ""})
      </summary>
      {cp ? (
        <dl className="custody-definitions">
          <dt>Events in the log</dt>
          <dd>{formatCount(cp.treeSize, "event")}</dd>
          <dt>Signed</dt>
          <dd>
            <When at={cp.issuedAt} utc /> with key <Hash value={cp.keyId} label="key id" />
          </dd>
          <dt>Root (SHA-256)</dt>
          <dd>
            <Hash value={cp.rootHash} label="root hash" />
          </dd>
          <dt>Ed25519 signature</dt>
          <dd>
            <Hash value={cp.signature} label="signature" />
          </dd>
        </dl>
      ) : (
        <p>The audit log has no signed checkpoint yet.</p>
      )}
      <ul className="usa-list">
        {proofs.proven.map((p) => (
          <li key={p.eventId}>
            Position {p.position}: {p.inclusionProof.length === 0 ? "no proof hashes (the log held one event)" : null}
            {p.inclusionProof.map((h) => (
              <code key={h} className="custody-hash">
                {h}{" "}
              </code>
            ))}
          </li>
        ))}
      </ul>
    </details>
  );
}
