import accessGovernanceReport from "./access-governance-report/schema.ts";
import auditBinder from "./audit-binder/schema.ts";
import cjisAddendum from "./cjis-addendum/schema.ts";
import complianceReport from "./compliance-report/schema.ts";
import evidenceRequestLetter from "./evidence-request-letter/schema.ts";
import type { TemplateModule } from "./fields.ts";
import gapMemo from "./gap-memo/schema.ts";
import managementControlAgreement from "./management-control-agreement/schema.ts";
import rosterCertification from "./roster-certification/schema.ts";
import slaSchedule from "./sla-schedule/schema.ts";
import tcoWorksheet from "./tco-worksheet/schema.ts";

/** Each template's code (variable schema and predicates), by template id. */
export const templateModules: Record<string, TemplateModule> = {
  "access-governance-report": accessGovernanceReport,
  "audit-binder": auditBinder,
  "cjis-addendum": cjisAddendum,
  "compliance-report": complianceReport,
  "evidence-request-letter": evidenceRequestLetter,
  "gap-memo": gapMemo,
  "management-control-agreement": managementControlAgreement,
  "roster-certification": rosterCertification,
  "sla-schedule": slaSchedule,
  "tco-worksheet": tcoWorksheet,
};

export type { FieldMeta, TemplateModule } from "./fields.ts";
