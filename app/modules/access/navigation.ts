import type { Permission, Role } from "./permissions.ts";

/**
 * What the header offers a person, from the permissions of the role they act in: at most six
 * groups, each a link when it holds one page and a menu when it holds more (USWDS extended
 * header), and the page each role starts on. A page a person may not open is never offered.
 */

export type NavItem = { to: string; label: string };
export type NavGroup = { label: string; items: NavItem[] };

type Offer = { to: string; label: string; needs: Permission };

const GROUPS: { label: string; offers: Offer[] }[] = [
  {
    label: "Contracts & vendors",
    offers: [
      { to: "/contracts", label: "Contracts", needs: "contract:read" },
      { to: "/vendors", label: "Vendors", needs: "vendor:read" },
    ],
  },
  {
    label: "Evidence & notices",
    offers: [
      { to: "/evidence", label: "Evidence", needs: "evidence:read" },
      { to: "/notices", label: "Notices", needs: "evidence:read" },
      { to: "/roster", label: "Rosters", needs: "evidence:read" },
    ],
  },
  {
    label: "Vendor portal",
    offers: [
      { to: "/portal", label: "Evidence requests", needs: "evidence:upload:own-vendor" },
      { to: "/portal/notices", label: "Notices", needs: "notice:file:own-vendor" },
      { to: "/portal/roster", label: "Roster", needs: "roster:propose:own-vendor" },
    ],
  },
  { label: "Documents", offers: [{ to: "/documents", label: "Documents", needs: "document:read" }] },
  { label: "Catalog", offers: [{ to: "/catalog", label: "Catalog", needs: "catalog:read" }] },
  {
    label: "Reports & audit",
    offers: [
      { to: "/reports", label: "Access reports", needs: "report:read" },
      { to: "/audit", label: "Audit trail", needs: "audit:read" },
    ],
  },
  {
    label: "Administration",
    offers: [
      { to: "/admin/people", label: "People", needs: "user:read" },
      { to: "/admin/organisations", label: "Organizations", needs: "platform:organisations" },
      { to: "/admin/reviews", label: "Access reviews", needs: "access-review:run" },
      { to: "/admin/tokens", label: "API tokens", needs: "token:manage" },
      { to: "/admin/directory", label: "Directory sign-in", needs: "directory:manage" },
      { to: "/admin/exports", label: "Agency export", needs: "agency:export" },
      { to: "/admin/import", label: "Import an agency", needs: "platform:organisations" },
      { to: "/admin/settings", label: "Settings", needs: "organisation:settings" },
    ],
  },
];

/** Up to this many pages are offered as links side by side; more are grouped into menus. */
const FLAT_LIMIT = 6;

/** A group of one page is shown as a link named for the page; a group of several as a menu named for the group. */
export function navigationFor(permissions: ReadonlySet<Permission>): NavGroup[] {
  const groups = GROUPS.map((g) => ({
    label: g.label,
    items: g.offers.filter((o) => permissions.has(o.needs)).map(({ to, label }) => ({ to, label })),
  })).filter((g) => g.items.length > 0);
  const pages = groups.flatMap((g) => g.items);
  if (pages.length <= FLAT_LIMIT) return pages.map((item) => ({ label: item.label, items: [item] }));
  return groups.map((g) => (g.items.length === 1 ? { label: g.items[0]!.label, items: g.items } : g));
}

/** The one item the current page belongs to: the longest path that starts the page's path. */
export function currentItem(groups: NavGroup[], pathname: string): string | null {
  let best: string | null = null;
  for (const item of groups.flatMap((g) => g.items)) {
    const within = pathname === item.to || pathname.startsWith(`${item.to}/`);
    if (within && (best === null || item.to.length > best.length)) best = item.to;
  }
  return best;
}

/** Where a person lands after signing in, and on "/": the page of their daily work. */
export function landingPath(role: Role | null): string {
  switch (role) {
    case "vendor-representative":
    case "vendor-admin":
      return "/portal";
    case "auditor":
      return "/reports";
    case "agency-admin":
    case "platform-admin":
      return "/admin/people";
    case "legal":
      return "/documents";
    default:
      // CJIS and procurement officers: the dashboard, with what needs them first.
      return "/";
  }
}
