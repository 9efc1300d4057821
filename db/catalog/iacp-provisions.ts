import type { FrameworkData } from "./types.ts";

// Our own summaries of the subjects of the IACP sample contract language. The
// principle(s) each provision serves are recorded in the crosswalk.
const cite = (n: number) =>
  `IACP Guiding Principles on Cloud Computing in Law Enforcement (2015), sample contract language, provision ${n}`;

export const iacpProvisions: FrameworkData = {
  key: "iacp-provisions",
  version: "2015",
  kind: "contract-provisions",
  title: "IACP sample contract provisions for cloud services",
  shortTitle: "IACP provisions",
  publisher: "International Association of Chiefs of Police (IACP)",
  published: "2015",
  citation:
    "International Association of Chiefs of Police, Guiding Principles on Cloud Computing in Law Enforcement, 2015 edition, sample contract language",
  description:
    "Thirteen contract provisions, written for a cloud service provider and a law enforcement customer, that put the principles into an agreement: definitions, incorporation of the CJIS Security Policy, ownership, limits on use, audit, portability, integrity, successors and remedies.",
  requirements: [
    {
      code: "1",
      kind: "provision",
      title: "Definition of criminal justice information",
      summary:
        "Defines criminal justice information broadly enough to cover everything the provider receives from the agency, or can reach through the service, in any form or medium, so that every later obligation applies to all of it.",
      citation: cite(1),
    },
    {
      code: "2",
      kind: "provision",
      title: "Definition of data mining or other processing",
      summary:
        "Defines data mining and other processing as any capturing, maintaining, scanning, indexing, parsing, analysis or sharing with third parties of agency data, and extends the definition to the provider's related services, so that the prohibitions elsewhere have a clear object.",
      citation: cite(2),
    },
    {
      code: "3",
      kind: "provision",
      title: "CJIS Security Policy incorporated by reference",
      summary:
        "Makes the FBI CJIS Security Policy part of the agreement as amended from time to time, together with the CJIS Security Addendum where it applies; obliges the provider to comply with the version in force and to accept the policy's limits on access to, use and dissemination of criminal justice information; and has the provider warrant that it is able to do so.",
      citation: cite(3),
    },
    {
      code: "4",
      kind: "provision",
      title: "Ownership, extraction and deletion",
      summary:
        "States that the agency keeps ownership of all its data; at the end of the term the data is extracted and returned to the agency (by the provider when the agency cannot do it itself), and then deleted by the provider.",
      citation: cite(4),
    },
    {
      code: "5",
      kind: "provision",
      title: "Definition of unauthorized use",
      summary:
        "Defines unauthorized use as any access to, or use, disclosure or processing of, agency data that the agreement does not expressly permit.",
      citation: cite(5),
    },
    {
      code: "6",
      kind: "provision",
      title: "Measures against unauthorized use",
      summary:
        "Obliges the provider to take measures that prevent unauthorized use, and to remove or disable any capability of the service that would mine or otherwise process agency data beyond what the agency authorized.",
      citation: cite(6),
    },
    {
      code: "7",
      kind: "provision",
      title: "Precedence over the provider's general terms",
      summary:
        "Provides that these terms prevail over any conflicting privacy policy, acceptable-use policy or other general terms the provider publishes or later changes.",
      citation: cite(7),
    },
    {
      code: "8",
      kind: "provision",
      title: "Modification or disabling of software features",
      summary:
        "Obliges the provider to modify or turn off features of its software where needed to meet these terms, and has it warrant that it is able to do so.",
      citation: cite(8),
    },
    {
      code: "9",
      kind: "provision",
      title: "Audit",
      summary:
        "Gives the agency a right to verify compliance, at agreed intervals or on request, by one of three routes: its own inspection, a report by an independent third-party auditor, or a report by the provider.",
      citation: cite(9),
    },
    {
      code: "10",
      kind: "provision",
      title: "Portability",
      summary:
        "Requires that agency data be exportable, to the maximum extent practicable and without compromising its security, in widely recognized, non-proprietary formats that other systems can read.",
      citation: cite(10),
    },
    {
      code: "11",
      kind: "provision",
      title: "Integrity and chain of custody",
      summary:
        "Requires the provider to keep agency data separate from other customers' data, to maintain access records sufficient to establish chain of custody for evidence, and to provide expert testimony about them when needed, at its own cost.",
      citation: cite(11),
    },
    {
      code: "12",
      kind: "provision",
      title: "Successors and assigns",
      summary:
        "Makes the agreement binding on the provider's successors and assignees, so the obligations follow the service through any change of ownership.",
      citation: cite(12),
    },
    {
      code: "13",
      kind: "provision",
      title: "Remedies",
      summary:
        "Records that a breach would cause the agency irreparable harm, makes the provider liable for it, lets the agency terminate the agreement, and requires the return of all criminal justice information on termination.",
      citation: cite(13),
    },
  ],
};
