import { createHash } from "node:crypto";

/**
 * The Merkle tree of the audit log, as RFC 9162 (Certificate Transparency v2) section 2.1 defines
 * it: a leaf is SHA-256(0x00 ‖ entry), an inner node SHA-256(0x01 ‖ left ‖ right), and a tree of n
 * leaves splits at the largest power of two below n. Pure functions, no database: the sealer, the
 * verifier and the receipts use them, and scripts/verify-receipt.mjs mirrors the two checks.
 */

export type Hash = Buffer;

export const EMPTY_ROOT: Hash = createHash("sha256").digest();

const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

export function leafHash(entry: Uint8Array | string): Hash {
  // A string is hashed as its UTF-8 bytes.
  return createHash("sha256").update(LEAF_PREFIX).update(entry).digest();
}

export function nodeHash(left: Hash, right: Hash): Hash {
  return createHash("sha256").update(NODE_PREFIX).update(left).update(right).digest();
}

/** A perfect subtree: 2^level leaves starting at leaf index × 2^level. Level 0 is a leaf. */
export type NodeId = { level: number; index: number };

const pow2 = (level: number) => 2 ** level;

/** The largest power of two strictly below n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees that make up leaves [start, end), left to right. For every range the RFC's
 * recursion asks about, start is aligned to the first subtree's size, so the list is unique.
 */
export function perfectSubtrees(start: number, end: number): NodeId[] {
  const nodes: NodeId[] = [];
  let at = start;
  while (at < end) {
    let level = 0;
    while (at % pow2(level + 1) === 0 && at + pow2(level + 1) <= end) level += 1;
    nodes.push({ level, index: at / pow2(level) });
    at += pow2(level);
  }
  return nodes;
}

/** The root over a range, from its perfect subtrees' hashes (left to right): folded from the right. */
export function foldSubtrees(hashes: Hash[]): Hash {
  if (hashes.length === 0) return EMPTY_ROOT;
  let root = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i]!, root);
  return root;
}

/**
 * The right edge of a tree: the hashes of its perfect subtrees, largest first. Appending a leaf
 * completes zero or more inner nodes, which are returned so the caller can keep them for proofs.
 */
export class Frontier {
  private constructor(
    private size_: number,
    private readonly stack: Hash[],
  ) {}

  static empty() {
    return new Frontier(0, []);
  }

  /** The frontier of a tree of `size` leaves, from the hashes of perfectSubtrees(0, size). */
  static of(size: number, subtreeHashes: Hash[]) {
    if (perfectSubtrees(0, size).length !== subtreeHashes.length) throw new Error("frontier does not match the tree size");
    return new Frontier(size, [...subtreeHashes]);
  }

  get size() {
    return this.size_;
  }

  /** Append one leaf hash; returns the inner nodes it completed. */
  append(leaf: Hash): { level: number; index: number; hash: Hash }[] {
    const completed: { level: number; index: number; hash: Hash }[] = [];
    let hash = leaf;
    let level = 0;
    let position = this.size_;
    // Each trailing 1-bit of the old size is a subtree that the new leaf's subtree now pairs with.
    while (position % 2 === 1) {
      hash = nodeHash(this.stack.pop()!, hash);
      level += 1;
      position = (position - 1) / 2;
      completed.push({ level, index: position, hash });
    }
    this.stack.push(hash);
    this.size_ += 1;
    return completed;
  }

  root(): Hash {
    return foldSubtrees(this.stack);
  }
}

/**
 * Which perfect subtrees an inclusion proof of leaf m in a tree of n leaves consists of (RFC 9162
 * 2.1.3.1), in proof order: each element is a range given as its perfect subtrees.
 */
export function inclusionPlan(m: number, n: number): NodeId[][] {
  if (!(m >= 0 && m < n)) throw new Error(`leaf ${m} is not in a tree of ${n}`);
  const path: NodeId[][] = [];
  const walk = (index: number, start: number, end: number) => {
    const size = end - start;
    if (size === 1) return;
    const k = splitPoint(size);
    if (index < k) {
      walk(index, start, start + k);
      path.push(perfectSubtrees(start + k, end));
    } else {
      walk(index - k, start + k, end);
      path.push(perfectSubtrees(start, start + k));
    }
  };
  walk(m, 0, n);
  return path;
}

/** Which subtrees a consistency proof from a tree of m leaves to one of n consists of (RFC 9162 2.1.4.1). */
export function consistencyPlan(m: number, n: number): NodeId[][] {
  if (!(m > 0 && m <= n)) throw new Error(`no consistency proof from ${m} to ${n}`);
  const proof: NodeId[][] = [];
  const sub = (size: number, start: number, end: number, whole: boolean) => {
    const length = end - start;
    if (size === length) {
      if (!whole) proof.push(perfectSubtrees(start, end));
      return;
    }
    const k = splitPoint(length);
    if (size <= k) {
      sub(size, start, start + k, whole);
      proof.push(perfectSubtrees(start + k, end));
    } else {
      sub(size - k, start + k, end, false);
      proof.push(perfectSubtrees(start, start + k));
    }
  };
  if (m < n) sub(m, 0, n, true);
  return proof;
}

/** Every node a plan needs, once each. */
export function nodesOf(plan: NodeId[][]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const range of plan) for (const node of range) seen.set(`${node.level}:${node.index}`, node);
  return [...seen.values()];
}

/** Turn a plan into proof hashes, given the hash of every node it names. */
export function resolvePlan(plan: NodeId[][], hashOf: (node: NodeId) => Hash): Hash[] {
  return plan.map((range) => foldSubtrees(range.map(hashOf)));
}

/** RFC 9162 2.1.3.2: does `proof` show that `leaf` is leaf number `index` of the tree with `root` and `size`? */
export function verifyInclusion(leaf: Hash, index: number, size: number, proof: Hash[], root: Hash): boolean {
  if (!(index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 2.1.4.2: does `proof` show that the tree (size1, root1) is a prefix of (size2, root2)? */
export function verifyConsistency(size1: number, size2: number, root1: Hash, root2: Hash, proof: Hash[]): boolean {
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (!(size1 > 0 && size1 < size2) || proof.length === 0) return false;
  const path = (size1 & (size1 - 1)) === 0 ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(root1) && sr.equals(root2) && sn === 0;
}
