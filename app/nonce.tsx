import { createContext, useContext } from "react";

/** The per-request Content-Security-Policy nonce, provided by entry.server. */
const NonceContext = createContext<string>("");

export const NonceProvider = NonceContext.Provider;

export function useNonce() {
  return useContext(NonceContext);
}
