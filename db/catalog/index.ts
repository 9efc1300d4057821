import { cjisAddendum } from "./cjis-addendum.ts";
import { cjisPolicyV6 } from "./cjis-policy-v6.ts";
import { crosswalkData } from "./crosswalk.ts";
import { evidenceKindsData } from "./evidence-kinds.ts";
import { iacpPrinciples } from "./iacp-principles.ts";
import { iacpProvisions } from "./iacp-provisions.ts";
import type { CatalogData } from "./types.ts";

/** Everything the seeder loads, in display order. */
export const catalogData: CatalogData = {
  frameworks: [iacpPrinciples, iacpProvisions, cjisPolicyV6, cjisAddendum],
  crosswalk: crosswalkData,
  evidenceKinds: evidenceKindsData,
};
