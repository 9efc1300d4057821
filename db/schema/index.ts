export * from "./access.ts";
export * from "./audit.ts";
export * from "./catalog.ts";
export * from "./vendors.ts";
export * from "./contracts.ts";
export * from "./evidence.ts";
