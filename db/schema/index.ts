export * from "./access.ts";
export * from "./audit.ts";
export * from "./catalog.ts";
