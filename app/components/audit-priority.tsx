/**
 * The CJIS Security Policy's audit priority of a requirement, stated only where the catalog records
 * it: "not recorded" otherwise, with the timeline that makes it matter (decision 0005).
 */
export function AuditPriority({ frameworkKey, kind, priority }: { frameworkKey: string; kind: string; priority: string | null }) {
  if (frameworkKey !== "cjis-policy" || kind === "policy-area") return null;
  return (
    <p className="font-body-2xs custody-muted" data-testid="audit-priority">
      <strong>Audit priority:</strong> {priority ?? "not recorded"}.{" "}
      {priority
        ? null
        : "Custody's catalog does not yet carry the policy's priority markings. Priority 1 and existing requirements are auditable since October 1, 2024; Priorities 2 to 4 after September 30, 2027."}
    </p>
  );
}
