/**
 * Roles tied to the job, each a fixed set of permission strings. A membership
 * gives a person one role in one organisation; the role is valid only for that
 * kind of organisation. Least privilege: a role holds nothing it does not need.
 */

export const PERMISSIONS = {
  "catalog:read": "Read the requirement catalog",
  "vendor:read": "Read vendor records",
  "vendor:edit": "Register and edit vendor records",
  "contract:read": "Read contracts and their coverage",
  "contract:edit": "Draft and change contracts",
  "evidence:read": "Read vendor evidence",
  "evidence:request": "Request evidence from vendors",
  "evidence:review": "Accept or reject evidence",
  "notice:record": "Record breach and legal-process notices",
  "roster:approve": "Approve changes to vendor personnel rosters",
  "document:generate": "Generate agreements and compliance documents",
  "document:read": "Read and download generated documents",
  "evidence:upload:own-vendor": "Upload evidence for one's own vendor",
  "notice:file:own-vendor": "File notices for one's own vendor",
  "roster:propose:own-vendor": "Propose changes to one's own vendor roster",
  "user:read": "See the people of the organization and their access",
  "user:invite": "Invite people and grant roles",
  "user:manage": "Disable, re-enable and unlock people; end memberships",
  "access-review:run": "Run access reviews",
  "token:manage": "Create and revoke API tokens",
  "organisation:settings": "Change the organization's own settings (its time zone)",
  "report:read": "Read and export access reports",
  "audit:read": "Read and export the audit trail",
  "export:read": "Export contracts, vendor services and the catalog in NIST OSCAL",
  "agency:export": "Export everything the agency holds, in one signed file",
  "scim:provision": "Provision the agency's people from its directory (SCIM)",
  "directory:manage": "Connect the agency's directory for sign-in and decide whether passwords still work",
  "platform:organisations": "Create agencies and vendors; decommission an agency",
  "platform:deprovision": "Disable a person everywhere",
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

type RoleDefinition = {
  label: string;
  organisationKind: "platform" | "agency" | "vendor";
  description: string;
  permissions: Permission[];
};

const agencyReader: Permission[] = ["catalog:read", "vendor:read", "contract:read"];

export const ROLES = {
  "agency-admin": {
    label: "Agency administrator",
    organisationKind: "agency",
    description: "Manages the agency's accounts, access reviews and API tokens.",
    permissions: [
      "catalog:read",
      "user:read",
      "user:invite",
      "user:manage",
      "access-review:run",
      "token:manage",
      "organisation:settings",
      "report:read",
      "audit:read",
      "agency:export",
      "scim:provision",
      "directory:manage",
    ],
  },
  "procurement-officer": {
    label: "Procurement officer",
    organisationKind: "agency",
    description: "Registers vendors, drafts contracts and follows them to signature and renewal.",
    permissions: [
      ...agencyReader,
      "vendor:edit",
      "contract:edit",
      "evidence:read",
      "document:generate",
      "document:read",
      "export:read",
    ],
  },
  "cjis-officer": {
    label: "CJIS officer",
    organisationKind: "agency",
    description: "Requests and reviews vendor evidence, records notices, approves rosters.",
    permissions: [
      ...agencyReader,
      "evidence:read",
      "evidence:request",
      "evidence:review",
      "notice:record",
      "roster:approve",
      "report:read",
      "document:generate",
      "document:read",
      "export:read",
    ],
  },
  legal: {
    label: "Legal",
    organisationKind: "agency",
    description: "Assembles agreements from the clause library.",
    permissions: [...agencyReader, "document:generate", "document:read"],
  },
  auditor: {
    label: "Auditor (read-only)",
    organisationKind: "agency",
    description: "Reads everything of the agency and exports it, including the audit trail; changes nothing.",
    permissions: [...agencyReader, "evidence:read", "user:read", "report:read", "audit:read", "document:read", "export:read"],
  },
  "vendor-representative": {
    label: "Vendor representative",
    organisationKind: "vendor",
    description: "Answers the vendor's evidence requests, files notices, proposes roster changes.",
    permissions: ["catalog:read", "evidence:upload:own-vendor", "notice:file:own-vendor", "roster:propose:own-vendor"],
  },
  "vendor-admin": {
    label: "Vendor administrator",
    organisationKind: "vendor",
    description:
      "A vendor representative who also manages the vendor's own accounts and API tokens, and reads the audit trail of the vendor's people.",
    permissions: [
      "catalog:read",
      "evidence:upload:own-vendor",
      "notice:file:own-vendor",
      "roster:propose:own-vendor",
      "user:read",
      "user:invite",
      "user:manage",
      "token:manage",
      "organisation:settings",
      "audit:read",
    ],
  },
  "platform-admin": {
    label: "Platform administrator",
    organisationKind: "platform",
    description: "The central console across all agencies: accounts, deprovisioning, organizations, reports.",
    permissions: [
      "catalog:read",
      "user:read",
      "user:invite",
      "user:manage",
      "token:manage",
      "organisation:settings",
      "report:read",
      "audit:read",
      "platform:organisations",
      "platform:deprovision",
      "agency:export",
    ],
  },
} as const satisfies Record<string, RoleDefinition>;

export type Role = keyof typeof ROLES;
export const ALL_ROLES = Object.keys(ROLES) as Role[];

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLES, value);
}

export function permissionsOf(role: Role): ReadonlySet<Permission> {
  return new Set<Permission>(ROLES[role].permissions);
}

export function rolesFor(kind: "platform" | "agency" | "vendor"): Role[] {
  return ALL_ROLES.filter((r) => ROLES[r].organisationKind === kind);
}

/** What the "Not allowed" page tells a person their role does not let them do (the route's permission, in words). */
export type NotAllowed = {
  kind: "not-allowed";
  /** The permission's description: what the page needs the person to be allowed to do. */
  allows: string;
  role: string | null;
  organisation: string | null;
  /** Who can grant a role that allows it, in words. */
  grantedBy: string;
  permission: Permission;
  rolesWithIt: string[];
};

export function isNotAllowed(value: unknown): value is NotAllowed {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "not-allowed";
}
