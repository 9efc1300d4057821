import { Writable } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";
import type { AppLoadContext, EntryContext } from "react-router";
import { ServerRouter } from "react-router";
import { NonceProvider } from "./nonce.tsx";

export const streamTimeout = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Security headers (CSP with this nonce, frame-ancestors, Referrer-Policy…) are set
  // for every response by the HTTP server; here the nonce reaches the scripts.
  const nonce = loadContext.cspNonce;
  // No page defers data, so nothing is gained by streaming a page out as it renders: the whole page is drawn
  // and sent as one body, which costs less than piping it through streams (decision 0034).
  return new Promise<Response>((resolve, reject) => {
    let failed = false;
    let renderError: unknown = null;
    // A page still not drawn after the stream timeout is cut short.
    const timer = setTimeout(() => abort(), streamTimeout + 1_000);
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <ServerRouter context={routerContext} url={request.url} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          // A shell that failed went to React Router, which draws the error page and logs it; anything else is logged here.
          if (failed) return;
          if (renderError) console.error(renderError);
          const chunks: Uint8Array[] = [];
          const page = new Writable({
            write(chunk: Uint8Array, _encoding, done) {
              chunks.push(chunk);
              done();
            },
            final(done) {
              // The page is drawn: its abort timer goes, so the request's render is not kept in memory for seconds more.
              clearTimeout(timer);
              const html = Buffer.concat(chunks);
              responseHeaders.set("Content-Type", "text/html; charset=utf-8");
              responseHeaders.set("Content-Length", String(html.byteLength));
              resolve(new Response(html, { headers: responseHeaders, status: responseStatusCode }));
              done();
            },
          });
          pipe(page);
        },
        onShellError(error: unknown) {
          failed = true;
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          renderError = error;
        },
      },
    );
  });
}
