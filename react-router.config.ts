import type { Config } from "@react-router/dev/config";

export default {
  appDirectory: "app",
  ssr: true,
  // The browser gets the whole route manifest once, as a static file it caches, instead of each page
  // working out (and each link asking /__manifest for) the routes near it: decision 0034.
  routeDiscovery: { mode: "initial" },
  // Opt in early to React Router 8 behaviour that needs no code change here. v8_middleware waits
  // for the access-control work, since it changes how the load context is built.
  future: {
    v8_splitRouteModules: true,
    v8_viteEnvironmentApi: true,
    v8_passThroughRequests: true,
    v8_trailingSlashAwareDataRequests: true,
  },
} satisfies Config;
