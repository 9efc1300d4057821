#!/usr/bin/env node
// Check a Custody audit receipt offline: node verify-receipt.mjs receipt.json --key custody-audit-key.pem
//
// One file, Node.js only, no dependencies, so that counsel, a court's expert or the other side can
// read all of it and run it anywhere. It checks, for every event in the receipt, the RFC 9162
// (Certificate Transparency v2) inclusion proof to a checkpoint of the audit log, and the
// checkpoint's Ed25519 signature against the installation's public key. It prints what that proves
// in plain words, and exits with status 0 only when everything checks.
import { createHash, createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";

const usage = "Usage: node verify-receipt.mjs RECEIPT.json [--key PUBLIC-KEY.pem]";

function fail(message) {
  console.error(`NOT VERIFIED: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const receiptPath = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--key");
const keyPath = args.includes("--key") ? args[args.indexOf("--key") + 1] : undefined;
if (!receiptPath || (args.includes("--key") && !keyPath)) {
  console.error(usage);
  process.exit(2);
}

let receipt;
try {
  receipt = JSON.parse(readFileSync(receiptPath, "utf8"));
} catch (error) {
  fail(`${receiptPath} is not a readable JSON file (${error.message}).`);
}
if (receipt?.type !== "custody.audit.receipt/v1") fail(`${receiptPath} is not a Custody audit receipt (type ${receipt?.type}).`);

// --- RFC 9162 hashing -------------------------------------------------------------------------
const sha256 = (...parts) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};
const leafHash = (entry) => sha256(Buffer.from([0]), Buffer.from(entry, "utf8"));
const nodeHash = (left, right) => sha256(Buffer.from([1]), left, right);

// RFC 9162 section 2.1.3.2: verify an inclusion proof.
function verifyInclusion(leaf, index, size, proof, root) {
  if (!(index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

// --- The checkpoint -----------------------------------------------------------------------------
const checkpoint = receipt.checkpoint;
if (!checkpoint) fail("the receipt holds no checkpoint: none of its events had been sealed into the log yet.");
const note =
  /^Custody audit log checkpoint v1\nkey ([0-9a-f]{16})\nsize (\d+)\nroot ([0-9a-f]{64})\ntime (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\n$/.exec(
    checkpoint.note ?? "",
  );
if (!note) fail("the checkpoint's signed note is not in Custody's checkpoint form.");
const [, noteKeyId, noteSize, noteRoot, noteTime] = note;
const treeSize = Number(noteSize);
const root = Buffer.from(noteRoot, "hex");

let publicKeyPem;
let keySource;
if (keyPath) {
  try {
    publicKeyPem = readFileSync(keyPath, "utf8");
  } catch (error) {
    fail(`cannot read the public key ${keyPath} (${error.message}).`);
  }
  keySource = `the key given with --key (${keyPath})`;
} else {
  publicKeyPem = receipt.publicKey?.pem;
  if (!publicKeyPem)
    fail(`no --key was given and the receipt carries none. Get it from ${receipt.publicKey?.url ?? "the agency"}.`);
  keySource = "the key INSIDE THE RECEIPT (see the warning below)";
}
let key;
try {
  key = createPublicKey(publicKeyPem);
} catch {
  fail("the public key is not a PEM public key.");
}
if (key.asymmetricKeyType !== "ed25519") fail(`the public key is a ${key.asymmetricKeyType} key, not Ed25519.`);
const keyId = sha256(key.export({ type: "spki", format: "der" }))
  .toString("hex")
  .slice(0, 16);
if (keyId !== noteKeyId) fail(`the checkpoint was signed by key ${noteKeyId}, but ${keySource} is key ${keyId}.`);
let signatureOk = false;
try {
  signatureOk = verify(null, Buffer.from(checkpoint.note, "utf8"), key, Buffer.from(checkpoint.signature ?? "", "base64"));
} catch {
  signatureOk = false;
}
if (!signatureOk)
  fail(`the checkpoint's signature is not valid for key ${keyId}: the checkpoint was altered or not signed by it.`);

// --- Each event ---------------------------------------------------------------------------------
const events = Array.isArray(receipt.events) ? receipt.events : [];
const lines = [];
for (const [i, event] of events.entries()) {
  const label = `event ${i + 1} (position ${event.position})`;
  if (typeof event.entry !== "string" || !Array.isArray(event.inclusionProof)) fail(`${label} is incomplete.`);
  let fields;
  try {
    fields = JSON.parse(event.entry);
  } catch {
    fail(`${label}'s entry is not JSON.`);
  }
  if (fields.id !== event.eventId) fail(`${label} names event ${event.eventId} but its entry is event ${fields.id}.`);
  const proof = event.inclusionProof.map((h) => Buffer.from(h, "hex"));
  if (!verifyInclusion(leafHash(event.entry), event.position, treeSize, proof, root)) {
    fail(
      `${label} (${fields.action ?? "?"}, ${fields.occurredAt ?? "?"}) is NOT in the signed log as written: its entry or its proof was altered.`,
    );
  }
  const who = fields.actorLabel ?? fields.actorPersonId ?? "an unnamed actor";
  const from = fields.ip ? ` from ${fields.ip}` : "";
  lines.push(
    `  ${String(i + 1).padStart(3)}. position ${event.position}: ${fields.occurredAt} UTC, ${fields.action} by ${who}${from}, outcome ${fields.outcome}`,
  );
}

// --- What it proves -----------------------------------------------------------------------------
const subject = receipt.subject ?? {};
console.log(
  `VERIFIED: Custody audit receipt for ${subject.kind ?? "a record"} "${subject.title ?? ""}" (id ${subject.id ?? "?"}).`,
);
console.log("");
console.log(
  `The checkpoint is signed by key ${keyId}, checked with ${keySource}. It says that at ${noteTime} UTC the ` +
    `installation's audit log held ${treeSize} events, with Merkle root ${noteRoot}.`,
);
console.log("");
if (lines.length > 0) {
  console.log(`Each of these ${lines.length} events is in that log, at the position given, exactly as the receipt writes it:`);
  for (const line of lines) console.log(line);
} else {
  console.log("The receipt lists no event sealed into that log.");
}
const waiting = Array.isArray(receipt.notYetSealed) ? receipt.notYetSealed.length : 0;
if (waiting > 0)
  console.log(`\n${waiting} further event(s) had not yet been sealed when the receipt was made; they are not proven here.`);
console.log("");
console.log(
  "What this proves: the events above were recorded in the log, in this form, no later than the checkpoint's time, and " +
    "none of them has been changed since: changing any byte of any of them, or removing or reordering them, would give " +
    "a different root, which the signature would not match. It does not prove that the events say what happened, nor " +
    "that no other events concern this record; compare a later checkpoint of the same log to see the log only grew.",
);
if (!keyPath) {
  console.log("");
  console.log(
    `WARNING: no --key was given, so the key carried inside the receipt was trusted. Anyone making a false receipt could ` +
      `put their own key in it. Get the installation's key from the agency or ${receipt.publicKey?.url ?? "its Custody server"} ` +
      `(its id must be ${keyId}) and run again with --key.`,
  );
}
