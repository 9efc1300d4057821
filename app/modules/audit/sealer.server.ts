import { hostname } from "node:os";
import { desc, sql } from "drizzle-orm";
import type { Database, Queryable } from "../../../db/client.ts";
import { queryRows } from "../../../db/client.ts";
import { auditCheckpoints, auditEvents, auditPending, type AuditCheckpoint } from "../../../db/schema/audit.ts";
import { eventLeafHash } from "./audit.server.ts";
import { Frontier, perfectSubtrees, type Hash, type NodeId } from "./merkle.server.ts";
import { checkpointNote, type CheckpointSigner, type SignedCheckpoint } from "./signing.server.ts";
import type { CheckpointSink } from "./sinks.server.ts";

/**
 * The sealer (decision 0026): in exactly one server copy at a time (a transaction-scoped advisory
 * lock), it takes the committed events waiting in audit_pending, in the order they were written,
 * gives each the next position in the log, appends its leaf to the Merkle tree, stores the inner
 * nodes it completes, and ends with a signed checkpoint, all in one transaction. Once that commits,
 * the checkpoint is written to every external sink. An event that commits late, with an earlier
 * number than events already sealed, is still in the queue and is sealed on the next pass.
 */

// A constant naming the sealer among PostgreSQL advisory locks.
const SEALER_LOCK_KEY = 72_122_003;
const DEFAULT_BATCH = 20_000;
/** A pass that seals this many events (after an upgrade or a long stop) says so in the server's log. */
const BACKLOG_WORTH_SAYING = 10_000;
const SEALED_BY = `${hostname()}:${process.pid}`;

export type SealResult = { sealed: number; treeSize: number; checkpoint: SignedCheckpoint | null };

export function toSigned(row: AuditCheckpoint): SignedCheckpoint {
  return {
    treeSize: row.treeSize,
    rootHash: Buffer.from(row.rootHash).toString("hex"),
    issuedAt: row.issuedAt.toISOString(),
    keyId: row.keyId,
    note: row.note,
    signature: row.signature,
  };
}

export async function latestCheckpoint(db: Queryable): Promise<SignedCheckpoint | null> {
  const [row] = await db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.treeSize)).limit(1);
  return row ? toSigned(row) : null;
}

/** The hashes of the given nodes (level 0 from the log, higher levels from the stored inner nodes). */
export async function nodeHashes(db: Queryable, nodes: NodeId[]): Promise<Map<string, Hash>> {
  const found = new Map<string, Hash>();
  if (nodes.length === 0) return found;
  const leaves = nodes.filter((n) => n.level === 0).map((n) => n.index);
  const inner = nodes.filter((n) => n.level > 0);
  const rows = await queryRows<{ level: number; index: string | number; hash: Buffer | Uint8Array }>(
    db,
    sql`select 0 as level, position as index, leaf_hash as hash from audit_log
          where position = any(string_to_array(${leaves.join(",") || "-1"}, ',')::bigint[])
        union all
        select n.level, n.index, n.hash from audit_tree_nodes n
          join unnest(string_to_array(${inner.map((n) => n.level).join(",") || "-1"}, ',')::int[],
                      string_to_array(${inner.map((n) => n.index).join(",") || "-1"}, ',')::bigint[]) as w(level, index)
            on n.level = w.level and n.index = w.index`,
  );
  for (const row of rows) found.set(`${row.level}:${Number(row.index)}`, Buffer.from(row.hash));
  return found;
}

export function hashFrom(found: Map<string, Hash>) {
  return (node: NodeId) => {
    const hash = found.get(`${node.level}:${node.index}`);
    if (!hash) throw new Error(`the audit log's tree has no node at level ${node.level}, index ${node.index}`);
    return hash;
  };
}

async function frontierAt(db: Queryable, size: number): Promise<Frontier> {
  const nodes = perfectSubtrees(0, size);
  const found = await nodeHashes(db, nodes);
  return Frontier.of(size, nodes.map(hashFrom(found)));
}

/** One pass: seal up to `batch` waiting events. Null when another server copy is sealing right now. */
export async function sealBatch(
  db: Database,
  signer: CheckpointSigner,
  options: { now?: () => Date; batch?: number } = {},
): Promise<SealResult | null> {
  const now = options.now ?? (() => new Date());
  const batch = options.batch ?? DEFAULT_BATCH;
  return db.transaction(async (tx) => {
    const [lock] = await queryRows<{ ok: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${SEALER_LOCK_KEY}) as ok`);
    if (!lock?.ok) return null;
    const latest = await latestCheckpoint(tx);
    const size = latest?.treeSize ?? 0;
    const waiting = await tx
      .select({ seq: auditPending.seq, eventId: auditPending.eventId, leafHash: auditPending.leafHash })
      .from(auditPending)
      .orderBy(auditPending.seq)
      .limit(batch);
    if (waiting.length === 0) return { sealed: 0, treeSize: size, checkpoint: null };

    // Hash-chained events (before migration 0020) are queued without a leaf: compute it from the event.
    const chained = waiting.filter((w) => w.leafHash === null).map((w) => w.seq);
    const chainedLeaves = new Map<number, Buffer>();
    if (chained.length > 0) {
      const events = await tx
        .select()
        .from(auditEvents)
        .where(sql`${auditEvents.seq} = any(string_to_array(${chained.join(",")}, ',')::bigint[])`);
      for (const event of events) chainedLeaves.set(event.seq, eventLeafHash(event));
    }

    const frontier = await frontierAt(tx, size);
    const ids: string[] = [];
    const leaves: string[] = [];
    const inner: { level: number; index: number; hash: Hash }[] = [];
    for (const item of waiting) {
      const leaf = item.leafHash ? Buffer.from(item.leafHash) : chainedLeaves.get(item.seq);
      if (!leaf) throw new Error(`audit event #${item.seq} is queued for the log but is not in audit_events`);
      ids.push(item.eventId);
      leaves.push(leaf.toString("hex"));
      inner.push(...frontier.append(leaf));
    }
    await tx.execute(sql`
      insert into audit_log (position, event_id, leaf_hash)
      select ${size}::bigint + t.ord - 1, t.id::uuid, decode(t.h, 'hex')
      from unnest(string_to_array(${ids.join(",")}, ','), string_to_array(${leaves.join(",")}, ',')) with ordinality as t(id, h, ord)`);
    if (inner.length > 0) {
      await tx.execute(sql`
        insert into audit_tree_nodes (level, index, hash)
        select t.l::int, t.i::bigint, decode(t.h, 'hex')
        from unnest(string_to_array(${inner.map((n) => n.level).join(",")}, ','),
                    string_to_array(${inner.map((n) => n.index).join(",")}, ','),
                    string_to_array(${inner.map((n) => n.hash.toString("hex")).join(",")}, ',')) as t(l, i, h)`);
    }
    await tx.execute(
      sql`delete from audit_pending where seq = any(string_to_array(${waiting.map((w) => w.seq).join(",")}, ',')::bigint[])`,
    );
    const issuedAt = now();
    const rootHash = frontier.root();
    const note = checkpointNote({ treeSize: frontier.size, rootHash, issuedAt, keyId: signer.keyId });
    const row = {
      treeSize: frontier.size,
      rootHash,
      issuedAt,
      keyId: signer.keyId,
      note,
      signature: signer.sign(note),
      sealedBy: SEALED_BY,
    };
    await tx.insert(auditCheckpoints).values(row);
    return { sealed: waiting.length, treeSize: frontier.size, checkpoint: toSigned(row) };
  });
}

/**
 * The sealer of one server copy: seals every second (and once more when the server stops), then
 * hands the newest checkpoint to each external sink that has not had it yet. A sink that fails is
 * tried again on the next pass with whatever checkpoint is newest then.
 */
export class Sealer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private readonly sentSize = new Map<CheckpointSink, number>();

  constructor(
    private readonly db: Database,
    private readonly signer: CheckpointSigner,
    private readonly sinks: CheckpointSink[],
    private readonly options: {
      now?: () => Date;
      batch?: number;
      /** Where failures are reported (console.error by default). */
      log?: (message: string) => void;
      /** Where a large backlog's sealing is reported, as after an upgrade (console.log by default). */
      info?: (message: string) => void;
    } = {},
  ) {}

  /** Seal everything waiting now; returns how many events were sealed and the tree's size. */
  sealNow(): Promise<{ sealed: number; treeSize: number }> {
    this.queued += 1;
    const run = this.running.then(() => this.sealAll()).finally(() => (this.queued -= 1));
    this.running = run.catch(() => {});
    return run;
  }

  private async sealAll() {
    let sealed = 0;
    let treeSize = 0;
    for (;;) {
      const result = await sealBatch(this.db, this.signer, this.options);
      if (!result) break; // another copy holds the lock: it seals these
      sealed += result.sealed;
      treeSize = result.treeSize;
      if (result.sealed < (this.options.batch ?? DEFAULT_BATCH)) break;
    }
    if (sealed >= BACKLOG_WORTH_SAYING) {
      (this.options.info ?? console.log)(`Audit log: sealed ${sealed} waiting events; the log holds ${treeSize}.`);
    }
    await this.publish();
    return { sealed, treeSize };
  }

  /** Give every sink the newest checkpoint if it has not had it. */
  private async publish() {
    const newest = await latestCheckpoint(this.db);
    if (!newest) return;
    for (const sink of this.sinks) {
      if ((this.sentSize.get(sink) ?? -1) >= newest.treeSize) continue;
      try {
        await sink.write(newest);
        this.sentSize.set(sink, newest.treeSize);
      } catch (error) {
        (this.options.log ?? console.error)(
          `Audit checkpoint at size ${newest.treeSize} could not be written to ${sink.description} (tried again next second): ${(error as Error).message}`,
        );
      }
    }
  }

  start(everyMs = 1_000) {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.queued > 0) return; // a pass is under way (a long backlog): the next tick looks again
      void this.sealNow().catch((error: unknown) => (this.options.log ?? console.error)(`Audit sealer failed: ${String(error)}`));
    }, everyMs);
    this.timer.unref();
  }

  /** Stop the timer and seal what is left (at shutdown). */
  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sealNow();
  }
}
