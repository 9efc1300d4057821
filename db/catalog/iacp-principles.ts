import type { FrameworkData } from "./types.ts";

// Our own summaries of the twelve principles. Cite by number; never quote the source.
const cite = (n: number) => `IACP Guiding Principles on Cloud Computing in Law Enforcement (2015), principle ${n}`;

export const iacpPrinciples: FrameworkData = {
  key: "iacp-principles",
  version: "2015",
  kind: "principles",
  title: "IACP Guiding Principles on Cloud Computing in Law Enforcement",
  shortTitle: "IACP principles",
  publisher: "International Association of Chiefs of Police (IACP)",
  published: "2015",
  citation:
    "International Association of Chiefs of Police, Guiding Principles on Cloud Computing in Law Enforcement, 2015 edition (first released January 2013)",
  description:
    "Twelve principles an agency should secure in any agreement with a cloud service provider, covering security policy compliance, data ownership, use of the data, audit, portability, integrity, continuity, confidentiality, service levels and cost.",
  requirements: [
    {
      code: "1",
      kind: "principle",
      title: "CJIS Security Policy compliance",
      summary:
        "The provider meets the FBI CJIS Security Policy in force, signs the CJIS Security Addendum where it applies, warrants that it is able to comply, keeps complying as the policy is revised, and accepts the policy's limits on who may access, use, store and disseminate criminal justice information.",
      citation: cite(1),
    },
    {
      code: "2",
      kind: "principle",
      title: "Protect everything at the highest applicable level",
      summary:
        "Rather than classifying each item, the agency protects all data it collects (camera video, plate reads, records) at the most demanding security level that applies to any of it, usually the CJIS level. Enforcement data may be kept apart from general collection, and the required security standards are written into the contract.",
      citation: cite(2),
    },
    {
      code: "3",
      kind: "principle",
      title: "Storage and analytics separable from collection",
      summary:
        "Vendors of sensors and collection devices often bundle storage and analytics. The agency keeps the option to buy storage and analytics separately, or to share one store across several collection systems, so that data does not end up in isolated silos.",
      citation: cite(3),
    },
    {
      code: "4",
      kind: "principle",
      title: "Agency ownership of its data",
      summary:
        "The agency owns all of its data in the broadest sense, including records, media, metadata, search history and location data. The provider tells the agency promptly of any subpoena, warrant or other legal process it receives concerning that data; releases nothing to a third party without the agency's written authorization and notice to it, or an order from a court with jurisdiction (and then only once any challenge by the agency is resolved); and tells the agency immediately of any attempted or actual unauthorized access.",
      citation: cite(4),
      figure: "Legal process: notice promptly. Unauthorized access: notice immediately.",
    },
    {
      code: "5",
      kind: "principle",
      title: "No data mining or unauthorized processing",
      summary:
        "The provider may not scan, index, analyze or share agency data for any purpose the agency has not authorized, such as advertising or other commercial use; routine monitoring of performance and capacity is the only exception. The agreement prevails over the provider's general privacy or acceptable-use terms.",
      citation: cite(5),
    },
    {
      code: "6",
      kind: "principle",
      title: "Auditing",
      summary:
        "On request or at intervals set in the agreement, the provider audits its own performance, use, access and compliance, or allows the agency or an independent third party to do so.",
      citation: cite(6),
      figure: "Audit on request and at the interval the contract sets.",
    },
    {
      code: "7",
      kind: "principle",
      title: "Portability and interoperability",
      summary:
        "Agency data can be exported to other systems in standard, non-proprietary formats, without weakening its security or integrity, so the agency is never locked in to one provider.",
      citation: cite(7),
    },
    {
      code: "8",
      kind: "principle",
      title: "Integrity and chain of custody",
      summary:
        "The provider keeps agency data physically or logically separate from other customers' data. For evidence, it keeps access records complete enough to prove chain of custody and helps the agency establish it, including by testifying. It tells the agency when the physical storage location of designated categories of data changes.",
      citation: cite(8),
    },
    {
      code: "9",
      kind: "principle",
      title: "Survivability",
      summary:
        "Service continuity and the security of the agency's data survive whatever happens to the provider — a merger, acquisition, restructuring, relocation or failure — and the agreement holds whoever takes the provider's place to the same commitments.",
      citation: cite(9),
    },
    {
      code: "10",
      kind: "principle",
      title: "Confidentiality",
      summary:
        "The provider applies physical, technical, administrative and procedural safeguards: access control, background checks of its staff, security awareness training, encryption (possibly with keys the agency holds), regular audits and limits on where data may be located. It supplies evidence of an independent security assessment and keeps cyber-liability insurance in force for the whole term, with proof.",
      citation: cite(10),
      figure: "Cyber-liability insurance in force for the whole term.",
    },
    {
      code: "11",
      kind: "principle",
      title: "Availability, reliability and performance",
      summary:
        "The agreement sets measurable availability, reliability and performance targets, stricter for critical services such as computer-aided dispatch than for archives or e-mail.",
      citation: cite(11),
    },
    {
      code: "12",
      kind: "principle",
      title: "Total cost of ownership",
      summary:
        "The agency decides on the total cost of ownership over the life of the system, weighing cloud (low capital outlay, steady yearly fees) against on-premises (high capital outlay, variable upkeep), with the cost of continuing CJIS compliance counted on both sides.",
      citation: cite(12),
    },
  ],
};
