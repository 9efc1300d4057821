import { describe, expect, it } from "vitest";
import { currentItem, navigationFor } from "../../app/modules/access/navigation.ts";
import { ALL_ROLES, permissionsOf, ROLES } from "../../app/modules/access/permissions.ts";

describe("the header's navigation", () => {
  it("marks only the most specific page current: a portal notice is under Notices, not also under the portal", () => {
    const groups = navigationFor(permissionsOf("vendor-representative"));
    expect(currentItem(groups, "/portal/notices/4b2f0c1e-0000-4000-8000-000000000000")).toBe("/portal/notices");
    expect(currentItem(groups, "/portal/evidence/4b2f0c1e-0000-4000-8000-000000000000")).toBe("/portal");
    expect(currentItem(groups, "/portal")).toBe("/portal");
    expect(currentItem(groups, "/portalx")).toBeNull();
  });

  it("offers every role at most six groups, and groups of one page as a link named for that page", () => {
    for (const role of ALL_ROLES) {
      const groups = navigationFor(permissionsOf(role));
      expect(groups.length, ROLES[role].label).toBeLessThanOrEqual(6);
      expect(groups.length, ROLES[role].label).toBeGreaterThan(0);
      for (const g of groups.filter((x) => x.items.length === 1)) expect(g.label).toBe(g.items[0]!.label);
    }
    expect(navigationFor(permissionsOf("cjis-officer")).map((g) => g.label)).toEqual([
      "Contracts & vendors",
      "Evidence & notices",
      "Documents",
      "Catalog",
      "Access reports",
    ]);
  });
});
