// What the password sign-in answers besides success and "wrong email or password", shared by the server
// (lib/auth/signin.ts) and the login page. Safe for the browser.

/** The password was right and the account has two-step sign-in on: ask for the code, then sign in again with it. */
export const MFA_REQUIRED = 'MFA_REQUIRED'
