import type { Database } from "../db/client.ts";
import type { Secrets } from "./modules/access/secrets.server.ts";
import type { BlobStore } from "./modules/blobs/store.server.ts";
import type { Mailer } from "./modules/notifications/mail.server.ts";

/** What the HTTP server hands every loader and action. */
export type AppContext = {
  db: Database;
  /** Per-request nonce the Content-Security-Policy header allows scripts with. */
  cspNonce: string;
  secrets: Secrets;
  /** The network peer and its user agent, as the server saw them. */
  client: { ip: string | null; userAgent: string | null };
  /** The clock; tests replace it to move time. */
  now: () => Date;
  /** Outgoing e-mail, when SMTP_URL is configured. */
  mailer: Mailer | null;
  /** The address people reach Custody at, for links in e-mails sent outside a request. */
  publicUrl: string;
  /** Where uploaded files are kept, by SHA-256. */
  blobs: BlobStore;
  /** Largest upload accepted, in bytes. */
  uploadMaxBytes: number;
  /** The public key that checks the audit log's checkpoints (receipts name it); null where none is configured. */
  auditPublicKeyPem: string | null;
};

declare module "react-router" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends AppContext {}
}
