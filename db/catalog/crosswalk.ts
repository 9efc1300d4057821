import type { CrosswalkData, RequirementRef } from "./types.ts";

/**
 * How the frameworks relate. Read each link as "from IS <relationship> OF to":
 * - equivalent: they ask for the same thing;
 * - subset: from asks for part of what to asks for (from is narrower);
 * - superset: from asks for everything to asks for, and more;
 * - intersects: they overlap, neither containing the other.
 * Every link is our judgement, with its reason.
 */

export const P = (n: number): RequirementRef => `iacp-principles@2015:${n}`;
export const V = (n: number): RequirementRef => `iacp-provisions@2015:${n}`;
export const C = (code: string): RequirementRef => `cjis-policy@6.0:${code}`;
export const H = (code: string): RequirementRef => `cjis-addendum@6.0:${code}`;

const link = (
  from: RequirementRef,
  to: RequirementRef,
  relationship: CrosswalkData["relationship"],
  rationale: string,
): CrosswalkData => ({ from, to, relationship, rationale });

// Provision → principle it serves (the IACP sample language states which).
const provisionsToPrinciples: CrosswalkData[] = [
  link(V(1), P(4), "subset", "Defining CJI broadly fixes the scope of what the agency owns."),
  link(V(2), P(5), "subset", "Defines the processing that the no-mining principle forbids."),
  link(
    V(3),
    P(1),
    "equivalent",
    "Incorporating the policy as amended, with a warranty of capability, is how a contract secures CJIS compliance.",
  ),
  link(V(4), P(4), "subset", "Ownership, return and deletion at the end of the term are part of agency ownership."),
  link(V(4), P(7), "intersects", "Extraction at the end of the term depends on the data being portable."),
  link(V(5), P(5), "subset", "Defines the unauthorized use that the principle forbids."),
  link(V(6), P(5), "subset", "Requires the technical measures that make the prohibition real."),
  link(V(7), P(5), "subset", "Makes the contract prevail over the provider's general privacy and use policies."),
  link(
    V(8),
    P(5),
    "subset",
    "Obliges the provider to change or switch off features that would process data without authorization.",
  ),
  link(
    V(9),
    P(6),
    "subset",
    "Gives the agency the audit right the principle asks for, by inspection or report; the principle also asks for audits on a schedule, which the provision does not set.",
  ),
  link(V(10), P(7), "subset", "Requires export in recognized formats; the principle also asks for interoperability."),
  link(
    V(11),
    P(8),
    "subset",
    "Separation, chain-of-custody records and testimony are the integrity principle in contract form; the principle also asks for notice when the data's location changes, which the provision does not require.",
  ),
  link(
    V(12),
    P(9),
    "subset",
    "Binding successors is the core of survivability; the principle also covers continuity through failure.",
  ),
  link(V(13), P(1), "intersects", "Remedies apply when the provider breaches its CJIS obligations."),
  link(V(13), P(4), "intersects", "Return of all CJI on termination protects the agency's ownership."),
  link(V(13), P(5), "intersects", "Remedies apply when data is used without authorization."),
];

// Principle → CJIS Security Policy v6.0.
const principlesToCjis: CrosswalkData[] = [
  link(
    P(1),
    C("SA-9"),
    "superset",
    "The principle asks for full policy compliance; SA-9 is the control that holds external providers to it.",
  ),
  link(P(1), C("5.1.2"), "intersects", "Agencies must monitor that the provider keeps complying."),
  link(P(1), C("SA-4"), "intersects", "The compliance commitment belongs in the acquisition contract."),
  link(
    P(2),
    C("SC-28"),
    "intersects",
    "Storing all collected data at the CJIS level means encrypting all of it at rest to the CJIS standard.",
  ),
  link(P(2), C("SC-8"), "intersects", "Transmitting all collected data at the CJIS level means encrypting all of it in transit."),
  link(P(2), C("CM-12"), "intersects", "Applying one level to all data still requires knowing where each category is held."),
  link(
    P(3),
    C("SA-4"),
    "intersects",
    "Buying storage separately from collection is an acquisition decision that must carry the security requirements.",
  ),
  link(P(4), C("IR-6"), "intersects", "Immediate notice of unauthorized access overlaps with incident reporting duties."),
  link(P(4), C("SR-8"), "intersects", "Both require the provider to notify the agency of events affecting its data."),
  link(
    P(4),
    C("SA-9"),
    "intersects",
    "Limits on release to third parties are part of the provider's obligations under its agreement.",
  ),
  link(P(5), C("SC-28"), "intersects", "Protecting data at rest limits what the provider can read or mine."),
  link(P(5), C("SA-9"), "intersects", "The provider's permitted use of data is fixed in its service agreement."),
  link(
    P(6),
    C("SA-9"),
    "intersects",
    "The policy requires provider audits; the principle lets the agency choose who audits and when.",
  ),
  link(P(6), C("CA-2"), "intersects", "Periodic assessment of controls is one form of the audit the principle asks for."),
  link(P(6), C("AU-6"), "intersects", "Reviewing audit records is how use and access are audited."),
  link(P(6), C("5.1.2"), "intersects", "Monitoring and reviewing a provider's services includes auditing them."),
  link(P(7), C("SA-4"), "intersects", "Export formats and interoperability must be specified in the acquisition contract."),
  link(P(8), C("AU-2"), "intersects", "Chain of custody depends on logging every access to evidence."),
  link(P(8), C("AU-3"), "intersects", "Records must name who accessed what, and when, to prove custody."),
  link(P(8), C("AU-9"), "intersects", "Custody records are only proof if they are protected from change."),
  link(P(8), C("AU-11"), "intersects", "Custody records must outlast the cases they support."),
  link(P(8), C("CM-12"), "intersects", "Notice of a change of storage location presumes the location is recorded."),
  link(P(9), C("SA-9"), "intersects", "A successor provider inherits the agreement and its security obligations."),
  link(P(9), C("SR-8"), "intersects", "Changes in the provider's business are supply-chain events the agency should hear of."),
  link(P(10), C("PS-3"), "intersects", "Background checks of provider staff are one of the safeguards named."),
  link(P(10), C("PS-7"), "intersects", "Provider staff are held to the agency's personnel rules, and their departures reported."),
  link(P(10), H("CERT"), "intersects", "Provider staff with access certify that they have read the Security Addendum."),
  link(P(10), C("AC-6"), "intersects", "Access control includes giving provider staff no more access than their tasks need."),
  link(P(8), C("SC-28"), "intersects", "Evidence keeps its integrity at rest only if it is protected there."),
  link(P(8), C("SA-9(5)"), "intersects", "Knowing and limiting where the data is kept is part of accounting for its custody."),
  link(P(9), C("CP-9"), "intersects", "Surviving a provider's failure depends on backups the agency can restore."),
  link(P(9), C("CP-10"), "intersects", "Continuity through failure means the service can be recovered to a secure state."),
  link(
    P(1),
    H("3.00"),
    "intersects",
    "Compliance with the CJIS Security Policy is committed in the Security Addendum for private contractors.",
  ),
  link(
    P(1),
    C("5.1.1.4"),
    "intersects",
    "A government provider commits to the policy through a management control agreement instead.",
  ),
  link(P(10), C("AT-2"), "intersects", "Security awareness training of provider staff is one of the safeguards named."),
  link(P(10), C("AC-2"), "intersects", "Access control begins with managed accounts."),
  link(P(10), C("IA-2"), "intersects", "Strong authentication is part of access control."),
  link(P(10), C("SC-12"), "intersects", "The principle allows customer-held keys; the policy treats key access as CJI access."),
  link(P(10), C("SC-13"), "intersects", "Encryption must use validated cryptography."),
  link(P(10), C("SC-28"), "intersects", "Encryption at rest and geographic limits are both named safeguards."),
  link(P(10), C("CA-2"), "intersects", "Evidence of an independent assessment overlaps with periodic control assessment."),
  link(P(11), C("5.13"), "intersects", "Contingency planning keeps services available; the principle sets the targets."),
  link(
    P(12),
    C("SA-4"),
    "intersects",
    "Total cost of ownership should price the security requirements the acquisition contract carries.",
  ),
  link(P(12), C("SA-22"), "intersects", "The life of the system includes replacing components before support ends."),
];

// Provision → CJIS Security Policy v6.0 and the Security Addendum.
const provisionsToCjis: CrosswalkData[] = [
  link(V(1), H("1.00"), "intersects", "Both define the scope of the information and parties the agreement covers."),
  link(V(3), H("3.00"), "equivalent", "Both bind the provider to the CJIS Security Policy in force and to later versions."),
  link(V(3), C("SA-9"), "subset", "Incorporating the policy is how a contract meets the external-services control."),
  link(V(4), C("MP-6"), "intersects", "Deletion at the end of the term must follow media sanitization rules."),
  link(V(6), C("SC-28"), "intersects", "Encryption at rest is a principal measure against unauthorized use."),
  link(
    V(9),
    C("SA-9"),
    "intersects",
    "The policy requires provider audits; the provision gives the agency its own audit routes.",
  ),
  link(V(9), C("CA-2"), "intersects", "An independent third-party report can serve as a control assessment."),
  link(V(9), C("5.1.2"), "intersects", "Audit rights are how the agency monitors and reviews the provider."),
  link(
    V(9),
    H("5.00"),
    "intersects",
    "The Addendum gives the FBI and the agency audit rights; the provision adds report-based routes.",
  ),
  link(V(11), C("AU-3"), "intersects", "Chain-of-custody records need the audit record content the policy requires."),
  link(V(11), C("AU-9"), "intersects", "Custody records must be protected from change."),
  link(V(11), C("AU-11"), "intersects", "Custody records must be kept long enough to support prosecution."),
  link(V(12), C("5.1.2"), "intersects", "A change of provider ownership is a change to the service the agency must manage."),
  link(V(13), H("4.00"), "intersects", "Both provide for termination and return or deletion of records after a violation."),
  link(V(13), C("MP-6"), "intersects", "Return of CJI on termination is followed by sanitization of the provider's copies."),
  link(V(10), C("SA-4"), "intersects", "Export formats and the provider's help at transition are terms of the acquisition."),
  link(V(11), C("AU-2"), "intersects", "Chain-of-custody records start from logging the events that touch the evidence."),
  link(
    V(4),
    C("5.1.2"),
    "intersects",
    "Return and deletion at the end of the term are part of managing the provider's service to its end.",
  ),
];

// CJIS Security Policy ↔ Security Addendum.
const cjisToAddendum: CrosswalkData[] = [
  link(
    C("SA-9"),
    H("3.00"),
    "superset",
    "SA-9 requires the Addendum for private contractors; section 3.00 is the contractor's commitment within it.",
  ),
  link(
    H("CERT"),
    C("PS-3"),
    "intersects",
    "The certification and the fingerprint check are both needed before a contractor employee gets access.",
  ),
  link(H("CERT"), C("AT-2"), "intersects", "Reading and certifying the Addendum overlaps with security awareness."),
  link(H("2.00"), C("SA-9"), "subset", "Collecting signed certifications is part of holding the provider to the agreement."),
  link(H("4.00"), C("IR-6"), "intersects", "Security violations are reported up the same lines as incidents."),
  link(H("5.00"), C("CA-2"), "intersects", "An audit under the Addendum assesses the contractor's controls."),
];

export const crosswalkData: CrosswalkData[] = [
  ...provisionsToPrinciples,
  ...principlesToCjis,
  ...provisionsToCjis,
  ...cjisToAddendum,
];
