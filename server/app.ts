import { formatAddress } from "../app/modules/format.ts";
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@react-router/express";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import type { ServerBuild } from "react-router";
import { sql } from "drizzle-orm";
import type { AppContext } from "../app/context.ts";
import type { Secrets } from "../app/modules/access/secrets.server.ts";
import type { Mailer } from "../app/modules/notifications/mail.server.ts";
import type { BlobStore } from "../app/modules/blobs/store.server.ts";
import { anonymousActor, recordNow } from "../app/modules/audit/audit.server.ts";
import { SAML_CALLBACK_PATH } from "../app/modules/access/directory-paths.ts";
import { type DatabaseHandle, projectRoot } from "../db/client.ts";

export { projectRoot };

type Options = {
  database: DatabaseHandle;
  mode: "production" | "development";
  secrets: Secrets;
  /** Replaceable clock, for tests that move time. */
  now?: () => Date;
  mailer?: Mailer | null;
  publicUrl?: string;
  /** Behind a TLS-terminating proxy: honour X-Forwarded-For and X-Forwarded-Proto. */
  trustProxy?: boolean;
  blobs: BlobStore;
  uploadMaxBytes?: number;
  /** The built pages, when the caller has started loading them already (production). */
  serverBuild?: Promise<ServerBuild>;
  /** The public half of the key that signs audit checkpoints, served for anyone checking a receipt. */
  auditPublicKeyPem?: string;
};

// req.ip is the socket address, or with `trust proxy` the client named by X-Forwarded-For; an IPv4
// client seen through an IPv6 socket ("::ffff:10.0.0.5") is recorded as the IPv4 address it is.
const client = (req: Request) => ({
  ip: formatAddress(req.ip ?? req.socket.remoteAddress) || null,
  userAgent: req.get("user-agent")?.slice(0, 500) ?? null,
});

/**
 * A state-changing request must come from our own pages: a foreign Origin (or,
 * without one, a cross-site fetch) is refused and audited.
 */
function sameOriginWrites(database: DatabaseHandle) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return next();
    // A SAML directory answers by a form its own page posts here: the signed assertion, answering a
    // request Custody sent and never answered before, is the proof (directory-saml.server.ts).
    if (req.method === "POST" && req.path === SAML_CALLBACK_PATH) return next();
    const origin = req.get("origin");
    // Compare hosts: behind a TLS-terminating proxy the scheme seen here may differ from the browser's.
    const originHost = (() => {
      try {
        return origin ? new URL(origin).host : null;
      } catch {
        return "invalid";
      }
    })();
    const foreign = origin ? originHost !== req.get("host") : req.get("sec-fetch-site") === "cross-site";
    if (!foreign) return next();
    await recordNow(database.db, anonymousActor(client(req)), [
      {
        action: "access.foreign-origin",
        outcome: "denied",
        details: { origin: origin ?? null, path: req.path, method: req.method },
      },
    ]).catch((error: unknown) => console.error(error));
    res.status(403).type("text/plain").send("Refused: this request did not come from a Custody page.");
  };
}

/**
 * A fresh 128-bit nonce for each response's scripts. The random bytes are drawn from the operating
 * system 4 KB at a time, not 16 bytes on every request, and each piece is used once.
 */
const NONCE_BYTES = 16;
let noncePool = Buffer.alloc(0);
let nonceAt = 0;
function nextNonce() {
  if (nonceAt + NONCE_BYTES > noncePool.length) {
    noncePool = randomBytes(256 * NONCE_BYTES);
    nonceAt = 0;
  }
  const nonce = noncePool.toString("base64", nonceAt, nonceAt + NONCE_BYTES);
  nonceAt += NONCE_BYTES;
  return nonce;
}

/**
 * Headers every response carries, static files included. Scripts run only from
 * our origin or with this request's nonce; nothing may frame the app.
 */
export function securityHeaders({ dev }: { dev: boolean }) {
  const nonce = (_req: unknown, res: unknown) => `'nonce-${(res as Response).locals.cspNonce as string}'`;
  return [
    (_req: Request, res: Response, next: NextFunction) => {
      res.locals.cspNonce = nextNonce();
      next();
    },
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", nonce],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          fontSrc: ["'self'"],
          connectSrc: dev ? ["'self'", "ws:"] : ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
        },
      },
      referrerPolicy: { policy: "same-origin" },
      xFrameOptions: { action: "deny" },
      crossOriginEmbedderPolicy: false,
    }),
    (_req: Request, res: Response, next: NextFunction) => {
      res.setHeader(
        "Permissions-Policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=(), interest-cohort=()",
      );
      next();
    },
  ];
}

/** The built pages (build/server/index.js); main starts loading them while it opens the database. */
export const loadServerBuild = () =>
  import(pathToFileURL(path.join(projectRoot, "build", "server", "index.js")).href) as Promise<ServerBuild>;

export async function createApp({
  database,
  mode,
  secrets,
  now = () => new Date(),
  mailer = null,
  publicUrl = "http://localhost:3000",
  trustProxy = false,
  blobs,
  uploadMaxBytes = 50 * 1024 * 1024,
  serverBuild,
  auditPublicKeyPem,
}: Options) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trustProxy);
  app.use(securityHeaders({ dev: mode === "development" }));
  app.use(sameOriginWrites(database));

  // Load balancers ask here; it proves the database answers.
  app.get("/healthz", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    try {
      await database.db.execute(sql`select 1`);
      res.json({ status: "ok", database: database.driver });
    } catch {
      res.status(503).json({ status: "unavailable", database: database.driver });
    }
  });

  // Public by design (no sign-in): the key a court, counsel or the other side checks a custody receipt
  // and the audit log's checkpoints against (decision 0026). It holds nothing of any agency's.
  app.get("/.well-known/custody-audit-key.pem", (_req, res) => {
    if (!auditPublicKeyPem) return res.status(404).type("text/plain").send("Not found");
    res.setHeader("Cache-Control", "public, max-age=3600");
    res.type("application/x-pem-file").send(auditPublicKeyPem);
  });

  // The receipt checker itself, so the other side can read what they run (scripts/verify-receipt.mjs).
  app.get("/.well-known/custody-verify-receipt.mjs", (_req, res) => {
    res.setHeader("Cache-Control", "public, max-age=3600");
    res.type("text/javascript").sendFile(path.join(projectRoot, "scripts", "verify-receipt.mjs"));
  });

  const getLoadContext = (req: Request, res: Response): AppContext => ({
    db: database.db,
    cspNonce: res.locals.cspNonce as string,
    secrets,
    client: client(req),
    now,
    mailer,
    publicUrl,
    blobs,
    uploadMaxBytes,
    auditPublicKeyPem: auditPublicKeyPem ?? null,
  });

  // Pages and data may show agency data: never store them in any cache.
  const noStore = (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  };

  if (mode === "development") {
    const vite = await import("vite");
    const devServer = await vite.createServer({ server: { middlewareMode: true }, root: projectRoot });
    app.use(devServer.middlewares);
    app.all(
      /.*/,
      noStore,
      createRequestHandler({
        build: () => devServer.ssrLoadModule("virtual:react-router/server-build") as Promise<ServerBuild>,
        mode,
        getLoadContext,
      }),
    );
  } else {
    const clientDir = path.join(projectRoot, "build", "client");
    const build = await (serverBuild ?? loadServerBuild());
    // Fingerprinted assets never change under the same name.
    app.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y", fallthrough: false }));
    // The few other built files (the icon, the no-script styles) are served by name: asking the disk for
    // every page's path first, to find no such file, was a system call on every request.
    const serveFile = express.static(clientDir, { maxAge: "1h", index: false });
    const files = new Set(builtFiles(clientDir));
    app.use((req, res, next) => (files.has(req.path) ? serveFile(req, res, next) : next()));
    app.all(/.*/, noStore, createRequestHandler({ build, mode, getLoadContext }));
  }

  // Last resort: log, answer without detail.
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: number }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      res
        .status(status)
        .type("text/plain")
        .send(status === 404 ? "Not found" : "Bad request");
      return;
    }
    console.error(error);
    res.status(500).type("text/plain").send("Custody could not handle this request. The error has been logged.");
  });

  return app;
}

/** The files under the built client folder, outside assets/, as the paths they are served at ("/favicon.svg"). */
function builtFiles(clientDir: string): string[] {
  return readdirSync(clientDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `/${path.relative(clientDir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/")}`)
    .filter((served) => !served.startsWith("/assets/"));
}
