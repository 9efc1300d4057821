import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import busboy from "busboy";
import type { SpooledUpload } from "../modules/blobs/content.server.ts";
import { controlCharacterProblem } from "./form.server.ts";
import type { Submitted } from "./guard.server.ts";

/**
 * Reads a multipart form as it arrives: text fields into memory (small, limited),
 * the one file straight to a spool file while its SHA-256 and size are computed.
 * Nothing is buffered whole; a file over the limit stops the read and leaves
 * nothing behind.
 */
export class UploadRejected extends Error {
  override name = "UploadRejected";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export type ReceivedForm = { fields: Record<string, string>; file: SpooledUpload | null };

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

export async function receiveUpload(
  request: Request,
  options: { spoolDir: string; maxBytes: number; fileField: string; requireFile?: boolean },
): Promise<ReceivedForm> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data") || !request.body) {
    throw new UploadRejected(options.fileField, "Choose a file to upload.");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > options.maxBytes + 1024 * 1024) {
    // Refuse without storing a byte when the request itself says it is too large; but read the rest and let it go,
    // because a server that answers while the browser is still sending is seen as a reset connection, not as this message.
    await discardBody(request.body, DISCARD_BOUND);
    throw new UploadRejected(options.fileField, `The file is larger than the ${megabytes(options.maxBytes)} limit.`);
  }
  await mkdir(options.spoolDir, { recursive: true, mode: 0o700 });

  const fields: Record<string, string> = {};
  let file: SpooledUpload | null = null;
  let rejection: UploadRejected | null = null;
  const writes: Promise<void>[] = [];
  const spooled: string[] = [];

  const parser = busboy({
    headers: { "content-type": type },
    // Keep the name as sent, so that one with folder parts is refused rather than silently cut.
    preservePath: true,
    limits: { fileSize: options.maxBytes, files: 1, fields: 50, fieldSize: 10_000, parts: 60 },
  });
  parser.on("field", (name, value) => {
    const problem = controlCharacterProblem([[name, value]]);
    if (problem) rejection ??= new UploadRejected(name, problem.message);
    fields[name] = value;
  });
  parser.on("file", (name, stream, info) => {
    if (name !== options.fileField || !info.filename) {
      stream.resume();
      return;
    }
    if (hasFolderParts(info.filename)) {
      rejection ??= new UploadRejected(
        options.fileField,
        `The file name “${info.filename.slice(0, 120)}” contains folder names (“/”, “\\” or “..”). Rename the file and upload it again.`,
      );
      stream.resume();
      return;
    }
    const spoolPath = path.join(options.spoolDir, `${randomUUID()}.part`);
    spooled.push(spoolPath);
    const hash = createHash("sha256");
    let size = 0;
    let truncated = false;
    stream.on("limit", () => {
      truncated = true;
    });
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    writes.push(
      pipeline(stream, meter, createWriteStream(spoolPath, { mode: 0o600 })).then(() => {
        if (truncated) {
          rejection = new UploadRejected(options.fileField, `The file is larger than the ${megabytes(options.maxBytes)} limit.`);
          return;
        }
        if (size === 0) {
          rejection = new UploadRejected(options.fileField, "The file is empty.");
          return;
        }
        file = {
          spoolPath,
          filename: cleanFilename(info.filename ?? "upload"),
          size,
          sha256: hash.digest("hex"),
          declaredType: info.mimeType,
        };
      }),
    );
  });
  parser.on("filesLimit", () => {
    rejection ??= new UploadRejected(options.fileField, "Upload one file at a time.");
  });

  try {
    await pipeline(Readable.fromWeb(request.body as WebReadableStream<Uint8Array>), parser);
    await Promise.all(writes);
  } catch (error) {
    await Promise.all(spooled.map((p) => rm(p, { force: true })));
    if (error instanceof UploadRejected) throw error;
    throw new UploadRejected(options.fileField, "The upload did not arrive whole. Try again.");
  }
  if (rejection) {
    await Promise.all(spooled.map((p) => rm(p, { force: true })));
    throw rejection as UploadRejected;
  }
  // A form that checks its other fields first takes a missing file as one more message.
  if (!file && options.requireFile !== false) throw new UploadRejected(options.fileField, "Choose a file to upload.");
  return { fields, file };
}

/** How much of a body too large to take is read and thrown away so that its sender sees the answer; past it, the connection is cut. */
export const DISCARD_BOUND = 1024 * 1024 * 1024;

async function discardBody(body: ReadableStream<Uint8Array>, bound: number) {
  const reader = body.getReader();
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      if (read > bound) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // The sender gave up: nothing more to read.
  }
}

/** A browser sends a bare file name; one with folder parts is an attempt to write elsewhere. */
function hasFolderParts(name: string) {
  return /[\\/]/.test(name) || name === ".." || name === ".";
}

/** Keep the name a person gave the file, without any path and within a sane length. */
function cleanFilename(name: string) {
  const base = name.split(/[\\/]/).pop() ?? "upload";
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, "").trim();
  return (cleaned || "upload").slice(0, 200);
}

export async function discardUpload(file: SpooledUpload | null | undefined) {
  if (file) await rm(file.spoolPath, { force: true });
}

/**
 * Receive an upload, hand it to fn (which submits it through auth.submit), and always remove the
 * spool file. A refused upload or input the module rejects comes back as field errors (with the
 * text fields, to refill the form).
 */
export async function withUpload<T>(
  request: Request,
  options: Parameters<typeof receiveUpload>[1],
  fn: (received: ReceivedForm) => Promise<Submitted<T>>,
): Promise<{ ok: true; value: T } | { ok: false; errors: Record<string, string>; fields: Record<string, string> }> {
  let received: ReceivedForm;
  try {
    received = await receiveUpload(request, options);
  } catch (error) {
    if (error instanceof UploadRejected) return { ok: false, errors: { [error.field]: error.message }, fields: {} };
    throw error;
  }
  try {
    const result = await fn(received);
    return result.ok ? result : { ok: false, errors: result.errors, fields: received.fields };
  } finally {
    await discardUpload(received.file);
  }
}
