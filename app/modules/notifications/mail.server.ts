import nodemailer, { type Transporter } from "nodemailer";
import { formatMinute } from "../format.ts";

/**
 * Outgoing e-mail over SMTP. Messages carry a link into Custody and never an
 * attachment or a secret (gap 3: no files leave by e-mail).
 */
export type Mailer = {
  send(message: { to: string; subject: string; text: string; html: string }): Promise<void>;
};

export function createMailer(smtpUrl: string | undefined, from: string): Mailer | null {
  if (!smtpUrl) return null;
  const transport: Transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({ from, ...message, attachments: [] });
    },
  };
}

/** Text made safe to put in an HTML e-mail body. */
export const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function invitationMessage(input: {
  to: string;
  link: string;
  organisationName: string;
  roleLabel: string;
  expiresAt: Date;
  /** The organisation's zone: the expiry is said on its clock. */
  timeZone: string;
  invitedBy: string | null;
}) {
  const who = input.invitedBy ? `${input.invitedBy} has invited you` : "You are invited";
  const expires = formatMinute(input.expiresAt, input.timeZone);
  const text = [
    `${who} to use Custody for ${input.organisationName}, as ${input.roleLabel.toLowerCase()}.`,
    "",
    "Open this link to choose your password and set up your authenticator app:",
    input.link,
    "",
    `The link works once and expires ${expires}. Custody never sends passwords by e-mail.`,
    "If you did not expect this, ignore it or tell your agency's administrator.",
  ].join("\n");
  const html = `<p>${escape(who)} to use Custody for ${escape(input.organisationName)}, as ${escape(input.roleLabel.toLowerCase())}.</p>
<p><a href="${escape(input.link)}">Choose your password and set up your authenticator app</a></p>
<p>The link works once and expires ${escape(expires)}. Custody never sends passwords by e-mail.</p>
<p>If you did not expect this, ignore it or tell your agency's administrator.</p>`;
  return { to: input.to, subject: `Your invitation to Custody (${input.organisationName})`, text, html };
}
