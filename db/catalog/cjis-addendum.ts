import type { FrameworkData } from "./types.ts";

// Our own summaries of the sections of the CJIS Security Addendum (CJIS
// Security Policy v6.0, Appendix H) and of its certification page.
const cite = (section: string) => `CJIS Security Policy v6.0, Appendix H (CJIS Security Addendum), section ${section}`;

export const cjisAddendum: FrameworkData = {
  key: "cjis-addendum",
  version: "6.0",
  kind: "addendum",
  title: "FBI CJIS Security Addendum",
  shortTitle: "CJIS Security Addendum",
  publisher: "FBI Criminal Justice Information Services Division",
  published: "2024-12-27",
  citation:
    "Federal Bureau of Investigation, CJIS Security Addendum, Appendix H of the CJIS Security Policy version 6.0, 27 December 2024",
  description:
    "The agreement a private contractor signs before it may perform criminal justice functions with access to criminal justice information, and the certification each of its employees with access signs. It must be incorporated whole; an agency may not edit it.",
  requirements: [
    {
      code: "1.00",
      kind: "addendum-section",
      title: "Definitions",
      summary:
        "Defines the contracting government agency (the criminal justice agency that engages the contractor) and the contractor (the private party that performs criminal justice functions for it under an agreement).",
      citation: cite("1.00"),
    },
    {
      code: "2.00",
      kind: "addendum-section",
      title: "Responsibilities of the contracting government agency",
      summary:
        "The agency ensures that every contractor employee with access to criminal justice information receives the Addendum and the CJIS Security Policy, signs the certification, and that the signed certifications are kept for audit.",
      citation: cite("2.00"),
    },
    {
      code: "3.00",
      kind: "addendum-section",
      title: "Responsibilities of the contractor",
      summary:
        "The contractor maintains a security program that meets applicable federal and state law and the CJIS Security Policy in force when the contract is signed and every later version, and protects the information it handles accordingly.",
      citation: cite("3.00"),
    },
    {
      code: "4.00",
      kind: "addendum-section",
      title: "Security violations",
      summary:
        "Security violations by the contractor are reported to the CJIS Systems Officer and the FBI, may justify terminating the contract, and may lead the FBI to suspend or end the contractor's access to CJIS systems and services; on termination, records holding criminal history information are deleted or returned.",
      citation: cite("4.00"),
    },
    {
      code: "5.00",
      kind: "addendum-section",
      title: "Audit",
      summary:
        "The FBI may audit the contractor's facilities, systems and records for compliance, periodically and without notice, and the contracting agency may do the same.",
      citation: cite("5.00"),
    },
    {
      code: "6.00",
      kind: "addendum-section",
      title: "Scope and authority",
      summary:
        "Sets out what the Addendum covers and the authority behind it, that it gives no rights to third parties, and that it does not reduce the responsibilities the parties already have under law, regulation or the CJIS Security Policy.",
      citation: cite("6.00"),
    },
    {
      code: "CERT",
      kind: "certification",
      title: "Contractor employee certification",
      summary:
        "Each contractor employee with access to criminal justice information signs a certification that they have read and understood the Addendum and the security requirements that apply to them, and accept the consequences of misuse; a contractor representative countersigns, and the agency keeps the signed page.",
      citation: "CJIS Security Policy v6.0, Appendix H (CJIS Security Addendum), certification page (H-8)",
    },
  ],
};
