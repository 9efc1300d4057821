/** The system-use notice (CJIS Security Policy v6.0 AC-8), in our own words. */
export function SystemUseNotice() {
  return (
    <div className="usa-alert usa-alert--warning" role="region" aria-labelledby="system-use-heading">
      <div className="usa-alert__body">
        <h2 className="usa-alert__heading" id="system-use-heading">
          Restricted system: read before you sign in
        </h2>
        <div className="usa-alert__text">
          <p>
            This is a restricted information system of a criminal justice agency. It holds criminal justice information and may be
            used only by people authorized to do so, and only for the purposes they are authorized for.
          </p>
          <p>
            Everything done on this system is monitored and recorded, and the records may be reviewed by the agency, its auditors
            and law enforcement.
          </p>
          <p>
            Unauthorized use, or use beyond your authorization, is prohibited and may be punished under criminal and civil law and
            lead to disciplinary action.
          </p>
          <p className="margin-bottom-0">By using this system you consent to this monitoring and recording.</p>
        </div>
      </div>
    </div>
  );
}
