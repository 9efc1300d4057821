import { C, H, P, V } from "./crosswalk.ts";
import type { EvidenceKindData } from "./types.ts";

/**
 * The kinds of evidence a vendor provides, each linked to the requirements it
 * can help satisfy: the one declaration of which kinds exist and their keys.
 * Evidence tracking (requests, review, expiry) and notices build on these; the
 * forms each capability draws for a kind are keyed by EvidenceKindKey, so the
 * compiler refuses a key this list does not declare.
 */
const kind = <const K extends string, const N extends boolean = false>(k: EvidenceKindData & { key: K; notice?: N }) => k;

export const evidenceKindsData = [
  kind({
    key: "third-party-audit-report",
    name: "Third-party audit report",
    description:
      "A report by an independent auditor on the provider's performance, use, access and compliance with the agreement, covering a stated period.",
    renewalMonths: 12,
    supports: [P(6), V(9), C("5.1.2"), C("SA-9"), C("CA-2"), H("5.00")],
  }),
  kind({
    key: "independent-assessment",
    name: "Independent security assessment (SOC 2, FedRAMP, StateRAMP)",
    description:
      "An attestation or authorization from a recognized assessment program, such as a SOC 2 Type II report or a FedRAMP or StateRAMP authorization, with its scope and period. Useful evidence, though it does not by itself establish CJIS compliance.",
    renewalMonths: 12,
    supports: [P(1), P(10), C("CA-2"), C("SA-9"), C("5.1.2")],
  }),
  kind({
    key: "cyber-insurance-certificate",
    name: "Cyber-liability insurance certificate",
    description:
      "A certificate from the insurer showing the carrier, policy number, coverage period and per-claim and aggregate limits of the provider's cyber-liability cover.",
    renewalMonths: 12,
    supports: [P(10), V(13)],
  }),
  kind({
    key: "breach-notice",
    notice: true,
    name: "Breach or incident notice",
    description:
      "The provider's notice of a suspected or confirmed security incident or unauthorized access affecting agency data: when it was discovered, when the agency was told, what happened and which data and agencies are affected.",
    eventDriven: true,
    supports: [P(4), C("IR-6"), C("SR-8"), H("4.00")],
  }),
  kind({
    key: "legal-process-notice",
    notice: true,
    name: "Legal-process notice",
    description:
      "The provider's notice that it has been served with a subpoena, warrant, court order or other legal process seeking agency data: when it was served, by which authority, and the deadline to respond.",
    eventDriven: true,
    supports: [P(4), V(4)],
  }),
  kind({
    key: "data-location-change-notice",
    notice: true,
    name: "Data-location change notice",
    description:
      "The provider's notice that the physical storage location of a designated category of agency data will change or has changed, with the old and new country and region.",
    eventDriven: true,
    supports: [P(8), C("CM-12"), C("SC-28")],
  }),
  kind({
    key: "business-change-notice",
    notice: true,
    name: "Business-change notice",
    description:
      "The provider's notice of a merger, acquisition, restructuring, relocation, assignment of the contract or insolvency that could affect continuity of service or the security of agency data.",
    eventDriven: true,
    supports: [P(9), V(12), C("5.1.2"), C("SR-8")],
  }),
  kind({
    key: "personnel-roster",
    name: "Personnel roster with Security Addendum certifications",
    description:
      "The list of provider personnel with access to unencrypted criminal justice information, with each person's role, fingerprint check date, Security Addendum certification date and training date, and the signed certification pages.",
    renewalMonths: 12,
    supports: [P(10), C("PS-3"), C("PS-7"), C("SA-9"), H("2.00"), H("CERT")],
  }),
  kind({
    key: "fingerprint-check-attestation",
    name: "Fingerprint background-check attestation",
    description:
      "Confirmation, from the provider or the checking agency, that named personnel completed state and national fingerprint-based record checks before receiving access, with the dates and the agency that ran them.",
    supports: [P(10), C("PS-3"), C("PS-7")],
  }),
  kind({
    key: "training-record",
    name: "Security-awareness training record",
    description:
      "Records showing that named provider personnel completed security and privacy awareness training, with completion dates, so that yearly renewal can be checked.",
    renewalMonths: 12,
    supports: [P(10), C("AT-2"), C("AT-4"), H("CERT")],
  }),
  kind({
    key: "fips-validation-certificate",
    name: "FIPS 140-3 validation certificate",
    description:
      "The validation certificate of each cryptographic module that protects agency data in transit or at rest, with module name and certificate number; a FIPS 140-2 certificate is no longer accepted after 21 September 2026.",
    supports: [P(10), C("SC-8"), C("SC-13"), C("SC-28")],
  }),
  kind({
    key: "key-custody-attestation",
    name: "Key-custody attestation",
    description:
      "A statement of who generates, holds and can use the keys that encrypt agency data, and whether any provider personnel can reach them.",
    renewalMonths: 12,
    supports: [P(10), C("SC-12"), C("SC-28")],
  }),
  kind({
    key: "availability-report",
    name: "Availability and service-level report",
    description:
      "Measured availability, reliability and performance for a reporting period, set against the targets in the agreement for each service criticality.",
    renewalMonths: 3,
    supports: [P(11), C("5.13")],
  }),
  kind({
    key: "deletion-certificate",
    name: "Data deletion or sanitization certificate",
    description:
      "Certification that agency data was returned and then deleted or that media holding it was sanitized or destroyed, naming the method, the data or media concerned and the date.",
    eventDriven: true,
    supports: [P(4), V(4), V(13), C("MP-6")],
  }),
  kind({
    key: "vulnerability-scan-summary",
    name: "Vulnerability scan or penetration-test summary",
    description:
      "A summary of recent vulnerability scans or a penetration test of the service: dates, scope, findings by severity and the remediation of each within its time frame.",
    renewalMonths: 3,
    supports: [C("RA-5"), C("SI-2"), C("CA-2")],
  }),
];

export type EvidenceKindKey = (typeof evidenceKindsData)[number]["key"];
/** The kinds a vendor files as notices. */
export type NoticeKindKey = Extract<(typeof evidenceKindsData)[number], { notice?: true }>["key"];
