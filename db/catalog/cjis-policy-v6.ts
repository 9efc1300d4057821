import type { FrameworkData, RequirementData } from "./types.ts";

/**
 * FBI CJIS Security Policy v6.0 (2024-12-27): the twenty policy areas and, within
 * them, the controls a cloud contract must speak to. Summaries are our own;
 * each cites the policy area and control. Section numbers of policy areas
 * 5.11–5.19 are recorded as in docs/decisions/0005-cjis-catalog-scope.md.
 */

type Area = { section: string; family: string; title: string; summary: string };

const areas: Area[] = [
  {
    section: "5.1",
    family: "IEA",
    title: "Information exchange agreements",
    summary:
      "Before criminal justice information is shared, the parties sign formal agreements that state the security controls each must apply; agreements with private contractors incorporate the CJIS Security Addendum, and agencies monitor the services their providers deliver.",
  },
  {
    section: "5.2",
    family: "AT",
    title: "Awareness and training",
    summary:
      "Everyone with access to criminal justice information, including contractor staff, receives security and privacy awareness training suited to their role, before access and periodically after, and the organization keeps records of it.",
  },
  {
    section: "5.3",
    family: "IR",
    title: "Incident response",
    summary:
      "The organization can detect, report, contain and recover from security incidents, with a plan, trained staff and fixed reporting lines up to the CJIS Systems Officer and the FBI CJIS Division.",
  },
  {
    section: "5.4",
    family: "AU",
    title: "Audit and accountability",
    summary:
      "Systems log the events that matter for security with enough detail to identify who did what and when, protect those logs, review them regularly and keep them for a set period.",
  },
  {
    section: "5.5",
    family: "AC",
    title: "Access control",
    summary:
      "Access to criminal justice information is limited to authorized users, for authorized purposes, with accounts managed through their whole life, least privilege, logon limits, a system-use notice and session controls.",
  },
  {
    section: "5.6",
    family: "IA",
    title: "Identification and authentication",
    summary:
      "Every user and device is uniquely identified and proves its identity before access, with multi-factor authentication and managed authenticators such as passwords and tokens.",
  },
  {
    section: "5.7",
    family: "CM",
    title: "Configuration management",
    summary:
      "Systems are built from documented baseline configurations, changes are controlled, only necessary functions are enabled, and the location of information and components is known.",
  },
  {
    section: "5.8",
    family: "MP",
    title: "Media protection",
    summary:
      "Digital and physical media holding criminal justice information are controlled in use, storage and transport, and sanitized or destroyed before disposal or reuse.",
  },
  {
    section: "5.9",
    family: "PE",
    title: "Physical and environmental protection",
    summary:
      "Facilities that hold criminal justice information or the systems that process it are physically secured, with controlled entry, visitor handling and monitoring.",
  },
  {
    section: "5.10",
    family: "SC",
    title: "System and communications protection",
    summary:
      "Systems protect criminal justice information at their boundaries and in transit and at rest, using approved cryptography, managed keys and controlled network sessions.",
  },
  {
    section: "5.11",
    family: "CA",
    title: "Assessment, authorization and monitoring",
    summary:
      "Security controls are assessed on a fixed cycle, systems are authorized to operate by a named official, and controls are monitored continuously between assessments.",
  },
  {
    section: "5.12",
    family: "PS",
    title: "Personnel security",
    summary:
      "People are screened with fingerprint-based record checks before access, and access is adjusted promptly when they transfer or leave; the same applies to the staff of external providers.",
  },
  {
    section: "5.13",
    family: "CP",
    title: "Contingency planning",
    summary:
      "The organization plans for disruption: contingency plans, backups and alternate processing keep essential services and their data available and recoverable.",
  },
  {
    section: "5.14",
    family: "SA",
    title: "System and services acquisition",
    summary:
      "Security requirements are written into acquisitions, external service providers are held to them, and unsupported components are replaced or formally justified.",
  },
  {
    section: "5.15",
    family: "SI",
    title: "System and information integrity",
    summary:
      "Flaws are fixed within set time frames, malicious code is guarded against, and systems are monitored for signs of attack or unauthorized use.",
  },
  {
    section: "5.16",
    family: "MA",
    title: "Maintenance",
    summary:
      "Maintenance of systems, including remote maintenance and work by outside personnel, is controlled, supervised and recorded.",
  },
  {
    section: "5.17",
    family: "PL",
    title: "Planning",
    summary:
      "Each system has a security plan describing its boundary, controls and rules of behavior, kept current and acknowledged by its users.",
  },
  {
    section: "5.18",
    family: "RA",
    title: "Risk assessment",
    summary:
      "Risks to systems and information are assessed and revisited, systems are categorized, and vulnerabilities are scanned for and remediated on a schedule.",
  },
  {
    section: "5.19",
    family: "SR",
    title: "Supply chain risk management",
    summary:
      "Risks that come through suppliers and their products are identified and managed, and agreements require suppliers to report compromises in their supply chain.",
  },
  {
    section: "5.20",
    family: "MD",
    title: "Mobile devices",
    summary:
      "Phones, tablets and laptops that reach criminal justice information are managed centrally, restricted in use, protected when lost and covered by the other policy areas adapted to mobile use.",
  },
];

const sectionOf = new Map(areas.map((a) => [a.family, a.section]));

/** Sections 5.11–5.19: numbered as we read the policy, not yet checked against its text (decision 0005). */
const unverified = (section: string) => /^5\.1[1-9]$/.test(section);
const sectionText = (section: string) =>
  unverified(section)
    ? `section ${section} as Custody reads the policy's numbering, not yet checked against its text`
    : `section ${section}`;

function area(a: Area): RequirementData {
  return {
    code: a.section,
    kind: "policy-area",
    title: `${a.title} (${a.family === "IEA" ? "Policy Area 1" : a.family === "MD" ? "Policy Area 20" : a.family})`,
    summary: a.summary,
    citation: `CJIS Security Policy v6.0, ${a.family === "IEA" ? "Policy Area 1" : a.family === "MD" ? "Policy Area 20" : `${a.family} family`} (${sectionText(a.section)})`,
  };
}

function control(code: string, title: string, summary: string, figure?: string): RequirementData {
  const family = code.split("-")[0]!;
  const section = sectionOf.get(family)!;
  const base = code.replace(/\(.*\)$/, "");
  const enhancement = base !== code;
  return {
    code,
    kind: enhancement ? "control-enhancement" : "control",
    parent: enhancement ? base : section,
    title,
    summary,
    citation: `CJIS Security Policy v6.0, ${code} (${sectionText(section)})`,
    ...(figure ? { figure } : {}),
  };
}

const controls: RequirementData[] = [
  {
    code: "5.1.2",
    kind: "control",
    parent: "5.1",
    title: "Monitoring, review and delivery of services",
    summary:
      "An agency that uses a service provider monitors and reviews the provider's services and security against the agreement, audits it, and manages changes to the service, so that the agency stays accountable for the criminal justice information the provider holds.",
    citation: "CJIS Security Policy v6.0, section 5.1.2",
  },
  {
    code: "5.1.1.4",
    kind: "control",
    parent: "5.1",
    title: "Management control agreements",
    summary:
      "When a government body that is not itself a criminal justice agency — a county or state IT department, a state hosting center — runs or hosts systems that hold criminal justice information, the criminal justice agency keeps authority over those systems and the people who work on them through a management control agreement, which takes the place of the CJIS Security Addendum used with private contractors.",
    citation: "CJIS Security Policy v6.0, section 5.1.1.4",
  },
  control(
    "AT-2",
    "Literacy training and awareness",
    "Users receive security and privacy literacy training before they are given access to criminal justice information and at least once a year after that, with content kept current.",
    "Before access, then at least every 12 months.",
  ),
  control(
    "AT-4",
    "Training records",
    "The organization records each person's security and privacy training and keeps those records for a minimum period so an auditor can verify it.",
    "Keep training records at least 3 years.",
  ),
  control(
    "IR-6",
    "Incident reporting",
    "Personnel report a suspected security incident to the organization's incident response capability without delay, and incidents involving criminal justice information are passed on to the CJIS Systems Officer and the FBI CJIS Division.",
    "Report within 1 hour of discovery.",
  ),
  control(
    "AU-2",
    "Event logging",
    "The system logs the events a security review needs: successful and failed logons, access to and creation, change and deletion of information, changes to permissions, password changes, actions of privileged users and access to the audit log itself.",
  ),
  control(
    "AU-3",
    "Content of audit records",
    "Each audit record states what kind of event happened, when and where, its source, whether it succeeded, and the identity of the individuals and objects involved, so that every action can be traced to a person.",
  ),
  control(
    "AU-6",
    "Audit record review, analysis and reporting",
    "Audit records are reviewed and analyzed regularly for signs of inappropriate or unusual activity, and findings are reported to the people who must act on them.",
    "Review audit records at least weekly.",
  ),
  control(
    "AU-8",
    "Time stamps",
    "Audit records carry time stamps from the system clock, expressed in Coordinated Universal Time or with a fixed offset, precise enough to order events reliably.",
    "UTC, granularity of at least one hundredth of a second.",
  ),
  control(
    "AU-9",
    "Protection of audit information",
    "Audit records and audit tools are protected from unauthorized access, change and deletion.",
  ),
  control(
    "AU-11",
    "Audit record retention",
    "Audit records are kept long enough to support investigations after the fact and to meet retention rules.",
    "Keep audit records at least 1 year.",
  ),
  control(
    "AC-2",
    "Account management",
    "Accounts are created, approved, changed, disabled and removed through a defined process, each tied to a named person and authorized role, and the list of accounts is reviewed for continued need on a fixed cycle.",
    "Review accounts at least every 12 months (AC-2 j).",
  ),
  control(
    "AC-2(2)",
    "Automated temporary and emergency account management",
    "Temporary and emergency accounts are removed or disabled automatically once their period ends.",
    "Remove temporary and emergency accounts within 72 hours.",
  ),
  control(
    "AC-2(3)",
    "Disable accounts",
    "Accounts are disabled when they expire, when they are no longer tied to a user or role, when the user breaches policy, or when they have been inactive too long.",
    "Disable within 1 week accounts expired, unassigned, or inactive for 90 days.",
  ),
  control(
    "AC-2(4)",
    "Automated audit actions",
    "Creating, changing, enabling, disabling and removing accounts is logged automatically, and the responsible people are told.",
  ),
  control(
    "AC-2(13)",
    "Disable accounts for high-risk individuals",
    "The account of a user found to pose a significant security or privacy risk is disabled quickly once the risk is discovered.",
    "Disable within 30 minutes of discovery.",
  ),
  control(
    "AC-7",
    "Unsuccessful logon attempts",
    "The system limits consecutive failed logon attempts and locks the account when the limit is reached, until an administrator releases it.",
    "5 consecutive failures within 15 minutes lock the account until an administrator releases it.",
  ),
  control(
    "AC-8",
    "System use notification",
    "Before access, the system shows a notice that it is a restricted system, that use is monitored and recorded, that unauthorized use is prohibited and may be punished, and that use means consent to monitoring; the user acknowledges it explicitly.",
  ),
  control(
    "AC-11",
    "Device lock",
    "A session is locked after a period of inactivity and stays locked until the user authenticates again.",
    "Lock after at most 30 minutes of inactivity.",
  ),
  control(
    "AC-12",
    "Session termination",
    "User sessions end automatically under defined conditions, and the user can end a session explicitly by logging out.",
  ),
  control(
    "IA-2",
    "Identification and authentication of organizational users",
    "Users are uniquely identified and authenticated, with multi-factor authentication for both privileged and non-privileged accounts and authentication that resists replay.",
    "Multi-factor authentication for all accounts; replay-resistant.",
  ),
  control(
    "IA-4",
    "Identifier management",
    "User identifiers are assigned only with authorization, are unique to one person or device, and are not reused for another person.",
  ),
  control(
    "IA-5",
    "Authenticator management",
    "Passwords and other authenticators are issued, protected and replaced under rules: passwords of sufficient length with long passphrases allowed, screened against lists of compromised values, changed periodically and when compromised, and stored only as salted one-way hashes.",
    "Passwords at least 8 characters, screened against compromised lists, changed at least every 12 months.",
  ),
  control(
    "IA-11",
    "Re-authentication",
    "Users must authenticate again after a set time and when they move to a privileged function.",
    "Re-authenticate at least every 12 hours and on privileged actions.",
  ),
  control(
    "CM-12",
    "Information location",
    "The organization identifies and records where criminal justice information is processed and stored and which system components hold it, including at external providers.",
  ),
  control(
    "MP-6",
    "Media sanitization",
    "Media that held criminal justice information is sanitized or destroyed before disposal, release or reuse, by a method that makes the data unrecoverable, and the act is recorded.",
    "Overwrite at least three times or degauss, or destroy.",
  ),
  control(
    "SC-8",
    "Transmission confidentiality and integrity",
    "Criminal justice information sent outside a physically secure location is encrypted to protect it from disclosure and change in transit.",
    "Encrypt in transit with FIPS-validated cryptography of at least 128-bit strength.",
  ),
  control(
    "SC-10",
    "Network disconnect",
    "Network connections are ended at the end of a session or after a set period of inactivity.",
  ),
  control(
    "SC-12",
    "Cryptographic key establishment and management",
    "Cryptographic keys are generated, distributed, stored and destroyed under the organization's control. In a cloud service, provider staff who can reach the keys that protect criminal justice information are treated as having access to it (see Appendix G.3), so the agency should hold the keys.",
    "Agency controls the keys; provider staff who can reach keys count as having CJI access.",
  ),
  control(
    "SC-13",
    "Cryptographic protection",
    "Cryptography that protects criminal justice information uses modules validated under FIPS 140; FIPS 140-2 certificates stop being accepted on a fixed date, after which FIPS 140-3 is required.",
    "FIPS 140-3; FIPS 140-2 certificates not accepted after 2026-09-21.",
  ),
  control(
    "SC-28",
    "Protection of information at rest",
    "Criminal justice information stored outside a physically secure location is encrypted, and cloud storage of it is kept within the jurisdiction of CJIS Advisory Policy Board member countries.",
    "AES with at least 256-bit keys (or FIPS 140-3); storage only in the United States and its territories, tribal lands, or Canada.",
  ),
  control(
    "CA-2",
    "Control assessments",
    "Security and privacy controls are assessed on a fixed cycle to confirm they are implemented and working, and the results go to the officials responsible.",
    "Assess controls at least every 3 years.",
  ),
  control(
    "PS-3",
    "Personnel screening",
    "Before anyone is granted access to unencrypted criminal justice information, they undergo a state-of-residency and national fingerprint-based record check, and the organization keeps a list of the people cleared for unescorted access.",
    "Fingerprint-based check before access.",
  ),
  control(
    "PS-4",
    "Personnel termination",
    "When someone leaves, their access is disabled, their credentials are revoked and organization property is recovered, promptly.",
    "Act on termination within 24 hours.",
  ),
  control(
    "PS-7",
    "External personnel security",
    "External providers are held to the same personnel security requirements as the organization's own staff and must report transfers and departures of their personnel who hold credentials or access.",
    "Provider reports staff changes within 24 hours.",
  ),
  control(
    "SA-4",
    "Acquisition process",
    "Contracts for systems and services state the security and privacy requirements, the strength and assurance expected, the documentation to be delivered and the acceptance criteria.",
  ),
  control(
    "SA-9",
    "External system services",
    "Providers of external services must meet the organization's security requirements under an agreement — the CJIS Security Addendum for private contractors or a Management Control Agreement for government ones — and are audited and monitored for compliance.",
    "The CSA audits each provider at least every 3 years.",
  ),
  control(
    "SA-22",
    "Unsupported system components",
    "Components no longer supported by their developer or vendor are replaced, or their continued use is justified and approved with other protections in place.",
  ),
  control(
    "SI-2",
    "Flaw remediation",
    "Security-relevant software and firmware updates are tested and installed within time frames set by severity, and the process is tracked.",
    "Fix critical flaws within 15 days, high 30, medium 60, low 90.",
  ),
  control(
    "RA-5",
    "Vulnerability monitoring and scanning",
    "Systems are scanned for vulnerabilities on a schedule and when new threats emerge, and findings are analyzed and remediated within severity-based time frames.",
    "Scan at least monthly; remediate critical within 15 days, high 30, medium 60, low 90.",
  ),
  control(
    "AC-3",
    "Access enforcement",
    "The system enforces the approved authorizations for every logical access to criminal justice information and system resources, so a person or process reaches only what the agency's policy and their role allow.",
  ),
  control(
    "AC-6",
    "Least privilege",
    "People and processes get only the access their assigned tasks need; privileged functions and security settings are limited to the staff who must have them, and privileges are reviewed to confirm they are still needed.",
  ),
  control(
    "AU-12",
    "Audit record generation",
    "The system can produce the audit records defined for it, lets designated staff choose which events each component logs, and writes those records with the content an audit record must carry.",
  ),
  control(
    "SC-7",
    "Boundary protection",
    "Communications at the system's external boundary and key internal boundaries are monitored and controlled through managed interfaces; publicly reachable parts sit in separate subnetworks, and traffic is denied unless it is allowed.",
  ),
  control(
    "CA-3",
    "Information exchange",
    "Every exchange of information between the system and another system — a state message switch, another agency's records system — is approved and documented in an agreement that sets out the interface, the security and privacy requirements and each side's responsibilities, and the agreements are reviewed and kept current.",
  ),
  control(
    "CA-9",
    "Internal system connections",
    "Connections between components of the system, such as the feeds between dispatch, records management and message-switching components, are authorized, documented with their interface and security requirements, and reviewed, and ended when no longer needed.",
  ),
  control(
    "PS-5",
    "Personnel transfer",
    "When a person is reassigned, the organization reviews whether the access they hold is still needed and changes or removes it within a set time of the transfer.",
  ),
  control(
    "CP-9",
    "System backup",
    "User and system information and the system's security documentation are backed up on a schedule; the backups are protected against disclosure and change (encrypted when they leave the agency's control) and tested.",
  ),
  control(
    "CP-10",
    "System recovery and reconstitution",
    "After a disruption, compromise or failure, the system can be restored to a known, secure state within the time the agency has set, with its security controls working again.",
  ),
  control(
    "PE-2",
    "Physical access authorizations",
    "The facility where the system resides keeps a current list of the people allowed to enter it, issues them credentials, reviews the list and removes those who no longer need entry.",
  ),
  control(
    "PE-3",
    "Physical access control",
    "Entry to and exit from the facility is controlled at defined points, visitors are escorted and logged, and keys, combinations and other access devices are safeguarded.",
  ),
  control(
    "PE-6",
    "Monitoring physical access",
    "Physical access to the facility is monitored so incidents are detected and answered, and the physical access logs are reviewed.",
  ),
  control(
    "SA-9(5)",
    "Processing, storage and service location",
    "The organization limits where its information may be processed and stored — for a cloud service, the countries or regions the contract names — and the provider keeps to those locations.",
  ),
  control(
    "SR-8",
    "Notification agreements",
    "Agreements with suppliers require them to notify the organization when the supply chain is compromised and of the results of assessments or audits of it.",
  ),
];

// Controls are listed under their policy area, in the order of the policy.
const areaOrder = new Map(areas.map((a, i) => [a.section, i]));
const sectionOfRequirement = (r: RequirementData) =>
  r.kind === "control-enhancement" ? sectionOf.get(r.code.split("-")[0]!)! : r.parent!;

const requirementsInOrder: RequirementData[] = areas.flatMap((a) => [
  area(a),
  ...controls
    .filter((c) => sectionOfRequirement(c) === a.section)
    .sort((x, y) => x.code.localeCompare(y.code, "en", { numeric: true })),
]);
if (requirementsInOrder.length !== areas.length + controls.length || areaOrder.size !== 20) {
  throw new Error("CJIS v6.0 catalog: a control is not filed under a policy area");
}

export const cjisPolicyV6: FrameworkData = {
  key: "cjis-policy",
  version: "6.0",
  kind: "security-policy",
  title: "FBI CJIS Security Policy",
  shortTitle: "CJIS Security Policy",
  publisher: "FBI Criminal Justice Information Services Division",
  published: "2024-12-27",
  citation:
    "Federal Bureau of Investigation, Criminal Justice Information Services (CJIS) Security Policy, version 6.0, 27 December 2024",
  description:
    "The security requirements every system holding criminal justice information must meet. Version 6.0 completes the move to the NIST SP 800-53 control families: Policy Area 1 (information exchange agreements), eighteen control families, and Policy Area 20 (mobile devices). " +
    "Editions: this catalog holds version 6.0 as published on 2024-12-27. Version 6.1 was published on 2026-06-25 (the FBI's file cjis_security_policy_v6-1_20260625.pdf); its changes are not yet in this catalog, and none is recorded here that we could not verify from a citable source. " +
    "Audit timeline set by the policy: Priority 1 and existing requirements are auditable since 2024-10-01; Priorities 2 to 4 become auditable after 2027-09-30. The priority of each requirement is not recorded in this catalog. " +
    "Citations: the control identifiers (such as IR-6 and AC-7) are certain and are what Custody's documents cite; the section numbers of policy areas 5.11 to 5.19 are our reading of the policy and have not been checked against its text.",
  requirements: requirementsInOrder,
};
