/** Password rules shown to people and enforced on the server (CJIS Security Policy v6.0 IA-5). */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
/** Passwords must be changed at least this often. */
export const PASSWORD_MAX_AGE_DAYS = 365;
