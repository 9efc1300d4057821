import type { Database } from "../db/client.ts";

/** What the HTTP server hands every loader and action. */
export type AppContext = {
  db: Database;
  /** Per-request nonce the Content-Security-Policy header allows scripts with. */
  cspNonce: string;
};

declare module "react-router" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends AppContext {}
}
