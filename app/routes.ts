import { type RouteConfig, index, route } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("catalog", "routes/catalog.tsx"),
  route("catalog/crosswalk", "routes/catalog.crosswalk.tsx"),
  route("catalog/evidence", "routes/catalog.evidence.tsx"),
  route("catalog/:framework", "routes/catalog.framework.tsx"),
  route("catalog/:framework/:version", "routes/catalog.framework.version.tsx"),
  route("catalog/:framework/:version/:code", "routes/catalog.requirement.tsx"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
