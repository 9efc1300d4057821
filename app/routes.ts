import { type RouteConfig, index, route } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("sign-in", "routes/sign-in.tsx"),
  route("sign-in/verify", "routes/sign-in.verify.tsx"),
  route("sign-out", "routes/sign-out.tsx"),
  route("invitations/:token", "routes/invitation.tsx"),
  route("account", "routes/account.tsx"),
  route("account/password", "routes/account.password.tsx"),
  route("admin/people", "routes/admin/people.tsx"),
  route("admin/people/:personId", "routes/admin/person.tsx"),
  route("admin/invitations/new", "routes/admin/invitation-new.tsx"),
  route("admin/organisations", "routes/admin/organisations.tsx"),
  route("audit", "routes/audit.tsx"),
  route("audit/export.csv", "routes/audit.export.tsx"),
  route("catalog", "routes/catalog.tsx"),
  route("catalog/crosswalk", "routes/catalog.crosswalk.tsx"),
  route("catalog/evidence", "routes/catalog.evidence.tsx"),
  route("catalog/:framework", "routes/catalog.framework.tsx"),
  route("catalog/:framework/:version", "routes/catalog.framework.version.tsx"),
  route("catalog/:framework/:version/:code", "routes/catalog.requirement.tsx"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
