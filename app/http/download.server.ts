import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { data } from "react-router";
import type { Submitted } from "./guard.server.ts";

/**
 * A stored file as a download: its name (ASCII fallback and UTF-8), length, and a
 * Repr-Digest carrying its SHA-256 so the receiver can check what arrived.
 */
export function fileResponse(file: { stream: Readable; filename: string; mediaType: string; size: number; sha256: string }) {
  const filename = nameForType(file.filename, file.mediaType);
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return new Response(createReadableStreamFromReadable(file.stream), {
    headers: {
      "Content-Type": file.mediaType,
      "Content-Length": String(file.size),
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      "Repr-Digest": `sha-256=:${Buffer.from(file.sha256, "hex").toString("base64")}:`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/**
 * The name a file is saved under carries the extension of what its bytes are: a text file
 * uploaded as "report.pdf" downloads as "report.pdf.txt", so no program opens it as anything else.
 */
const EXTENSIONS: [RegExp, string][] = [
  [/^text\/plain\b/i, ".txt"],
  [/^text\/csv\b/i, ".csv"],
];
export function nameForType(filename: string, mediaType: string) {
  const ext = EXTENSIONS.find(([type]) => type.test(mediaType))?.[1];
  return ext && !filename.toLowerCase().endsWith(ext) ? `${filename}${ext}` : filename;
}

type StoredFile = Parameters<typeof fileResponse>[0];

/**
 * Open a file through a module (auth.submit) and answer it as a download; a record whose bytes
 * are gone from the store comes back refused, and answers 410 Gone with the module's message.
 */
export async function download(open: Promise<Submitted<StoredFile>>) {
  const result = await open;
  if (!result.ok) throw data(result.message, { status: 410 });
  return fileResponse(result.value);
}

/** A JSON document (an OSCAL export) as a download, with its SHA-256 so the receiver can check what arrived. */
export function jsonDownload(
  result: { document: unknown; fileName: string },
  disposition: "attachment" | "inline" = "attachment",
) {
  const body = Buffer.from(JSON.stringify(result.document, null, 2) + "\n", "utf8");
  return new Response(body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": String(body.length),
      "Content-Disposition": `${disposition}; filename="${result.fileName}"`,
      "Repr-Digest": `sha-256=:${createHash("sha256").update(body).digest("base64")}:`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
