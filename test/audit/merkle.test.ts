import { describe, expect, it } from "vitest";
import {
  consistencyPlan,
  EMPTY_ROOT,
  Frontier,
  inclusionPlan,
  leafHash,
  nodeHash,
  perfectSubtrees,
  resolvePlan,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
  type Hash,
  type NodeId,
} from "../../app/modules/audit/merkle.server.ts";
import canonicalize from "canonicalize";
import { eventEntry } from "../../app/modules/audit/audit.server.ts";
import type { AuditEvent } from "../../db/schema/audit.ts";

/** The tree hash exactly as RFC 9162 2.1.1 writes it, recursively, to compare the fast paths against. */
function mth(leaves: Hash[]): Hash {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0]!;
  const k = splitPoint(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const leaves = Array.from({ length: 70 }, (_, i) => leafHash(`event ${i}`));
const hashOf = (node: NodeId) => mth(leaves.slice(node.index * 2 ** node.level, (node.index + 1) * 2 ** node.level));

describe("the audit log's Merkle tree (RFC 9162)", () => {
  it("hashes a leaf over 0x00 and the entry, and an inner node over 0x01, left and right", () => {
    // The RFC 6962/9162 test vector: the empty tree, and the leaf hash of an empty entry.
    expect(EMPTY_ROOT.toString("hex")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(leafHash("").toString("hex")).toBe("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    expect(nodeHash(leafHash("a"), leafHash("b")).equals(mth([leafHash("a"), leafHash("b")]))).toBe(true);
  });

  it("keeps the same root when leaves are appended one by one as when the tree is hashed whole, at every size", () => {
    const frontier = Frontier.empty();
    expect(frontier.root().equals(EMPTY_ROOT)).toBe(true);
    for (let n = 1; n <= leaves.length; n++) {
      const completed = frontier.append(leaves[n - 1]!);
      for (const node of completed) expect(node.hash.equals(hashOf(node))).toBe(true);
      expect(frontier.root().equals(mth(leaves.slice(0, n)))).toBe(true);
      const resumed = Frontier.of(n, perfectSubtrees(0, n).map(hashOf));
      expect(resumed.root().equals(frontier.root())).toBe(true);
    }
  });

  it("proves every leaf's inclusion in every tree that holds it, and refuses a proof for another leaf, index or root", () => {
    for (let n = 1; n <= 40; n++) {
      const root = mth(leaves.slice(0, n));
      for (let m = 0; m < n; m++) {
        const proof = resolvePlan(inclusionPlan(m, n), hashOf);
        expect(verifyInclusion(leaves[m]!, m, n, proof, root)).toBe(true);
        expect(verifyInclusion(leaves[m + 1]!, m, n, proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion(leaves[m]!, (m + 1) % n, n, proof, root)).toBe(false);
        expect(verifyInclusion(leaves[m]!, m, n, proof, mth(leaves.slice(0, n + 1)))).toBe(false);
      }
    }
  });

  it("proves every smaller tree a prefix of every larger one, and refuses a proof against a tree that was rewritten", () => {
    const rewritten = [...leaves];
    rewritten[2] = leafHash("forged");
    for (let n = 1; n <= 40; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = resolvePlan(consistencyPlan(m, n), hashOf);
        const root1 = mth(leaves.slice(0, m));
        const root2 = mth(leaves.slice(0, n));
        expect(verifyConsistency(m, n, root1, root2, proof)).toBe(true);
        if (m > 2 && m < n) expect(verifyConsistency(m, n, mth(rewritten.slice(0, m)), root2, proof)).toBe(false);
        if (m < n) expect(verifyConsistency(m, n, root1, mth(leaves.slice(0, n + 1)), proof)).toBe(false);
      }
    }
  });
});

/** The entry as canonicalize() writes the whole object: what the hand-written form must equal. */
function eventEntrySlow(event: Omit<AuditEvent, "seq" | "hash">): string {
  return canonicalize({
    v: 2,
    id: event.id,
    occurredAt: event.occurredAt.toISOString(),
    actorPersonId: event.actorPersonId,
    actorSessionId: event.actorSessionId,
    actorTokenId: event.actorTokenId,
    actorLabel: event.actorLabel,
    actorOrganisationId: event.actorOrganisationId ?? null,
    organisationId: event.organisationId,
    audience: event.audience && event.audience.length > 0 ? event.audience : null,
    ip: event.ip,
    userAgent: event.userAgent,
    action: event.action,
    objectType: event.objectType,
    objectId: event.objectId,
    outcome: event.outcome,
    details: event.details,
  })!;
}

describe("an event's bytes in the log", () => {
  it("are the RFC 8785 canonical JSON of the event, written by hand for speed yet equal to canonicalize() for every kind of value", () => {
    const base = {
      id: "6f1c0c1e-8d2b-4a57-9a43-2b7e1f0c9d11",
      occurredAt: new Date("2026-12-05T10:11:12.345Z"),
      actorPersonId: null,
      actorSessionId: "s-1",
      actorTokenId: null,
      actorLabel: "officer@riverside.gov",
      organisationId: "0b0e2a8e-9f3b-4c41-8a0c-6a2b5b1f2e33",
      actorOrganisationId: null,
      audience: null,
      ip: "127.0.0.1",
      userAgent: "Mozilla/5.0",
      action: "evidence.read",
      objectType: "evidence-item",
      objectId: "x",
      outcome: "success" as const,
      details: {},
      prevHash: null,
    };
    const variants = [
      base,
      {
        ...base,
        audience: ["b", "a"],
        actorOrganisationId: "c1",
        details: { z: 1, a: [3, { y: null, b: 'é\u2028"\\' }], m: 1.5e-7 },
      },
      {
        ...base,
        actorLabel: "Zoë \u{1F46E} <script>",
        userAgent: null,
        ip: null,
        details: { "\u00e9": 1, e: 2, E: 3, "": true },
      },
      { ...base, audience: [], outcome: "denied" as const, objectId: null, objectType: null },
    ];
    for (const event of variants) expect(eventEntry(event)).toBe(eventEntrySlow(event));
  });
});
