/** Where directories send people back to Custody (registered with each provider). */
export const DIRECTORY_CALLBACK_PATH = "/sign-in/directory/callback";
/** The SAML assertion consumer service (HTTP-POST binding), and Custody's entity ID under the public address. */
export const SAML_CALLBACK_PATH = "/sign-in/directory/saml";
