import { Link } from "react-router";

/** Why a sign-in through the agency's directory did not complete, in words, with the way back. */
export function explainDirectoryRefusal(reason: string, directory: string) {
  const messages: Record<string, string> = {
    "no-directory":
      "Your agency no longer signs in through this directory. Sign in with your password, or ask your agency administrator.",
    refused: `Custody could not accept the answer from ${directory}: it failed a security check (signature, audience, nonce, expiry, or an answer already used), or you cancelled. Nothing was signed in. Try again; if it happens again, tell your agency administrator the time it happened.`,
    "not-known": `${directory} vouched for you, but that address is not set up in Custody for this agency. Accounts are made by your agency administrator (an invitation) or by your directory's provisioning, never by signing in. Ask your agency administrator.`,
    "wrong-domain": `${directory} answered with an address outside the domains your agency allows, or one it has not verified. Ask your agency administrator to check the directory settings.`,
    "no-second-factor": `${directory} signed you in without a second factor, and you have no authenticator app set up in Custody. Ask your agency administrator to require multi-factor sign-in in the directory, or to send you a re-enrollment link.`,
    "account-not-usable": "Your Custody account is disabled or locked. Ask your agency administrator.",
  };
  return messages[reason] ?? messages.refused!;
}

export function DirectoryRefusal({ message }: { message: string }) {
  return (
    <div className="grid-row padding-y-4">
      <div className="grid-col-12 tablet:grid-col-8">
        <h1>Sign-in not completed</h1>
        <div className="usa-alert usa-alert--error" role="alert">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{message}</p>
          </div>
        </div>
        <p className="margin-top-3">
          <Link className="usa-button" to="/sign-in">
            Back to sign-in
          </Link>
        </p>
      </div>
    </div>
  );
}
