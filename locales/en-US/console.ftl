# The web console. Page texts live here so the console speaks the same languages as the bots.

console-title = Usher
console-nav-dashboard = Dashboard
console-nav-requests = Requests
console-nav-users = Users
console-nav-settings = Settings
console-nav-audit = Audit log
console-nav-account = Account
console-sign-out = Sign out
console-signed-in-as = Signed in as { $name }

console-login-title = Sign in
console-login-passkey = Sign in with a passkey
console-login-oidc = Sign in with { $provider }
console-login-no-method = No sign-in method is set up yet. Use the one-time setup link from the server's output (or run `usher admin setup-link`).
console-login-failed = Sign-in failed. Please try again.
console-login-needs-js = Passkey sign-in needs JavaScript.

console-dashboard-title = Dashboard
console-dashboard-welcome = Welcome, { $name }.

console-error-title = Something went wrong
console-error-operation = Operation id: { $id }
console-error-back = Back to the console

console-csrf-missing = This form has expired. Reload the page and try again.
console-origin-mismatch = This request came from { $origin }, but Usher's public URL is { $public }. Set USHER_PUBLIC_URL to the address you open the console at.
console-too-many = Too many sign-in attempts. Try again in { $seconds } seconds.
console-forbidden = You don't have access to this page.

# Sign-in with an OIDC provider ({ $provider } is its host name).
console-oidc-off = Sign-in with an identity provider is not set up here.
console-oidc-unavailable = { $provider } cannot be reached or does not answer as configured, so sign-in with it is not possible right now. Try again later; if it keeps failing, the administrator should check USHER_OIDC_ISSUER and the server log.
console-oidc-failed = { $provider } did not complete the sign-in. Please start again.
console-oidc-invalid = The answer from { $provider } could not be verified, so the sign-in was refused. Please start again.
console-oidc-state = This sign-in has expired or was already used. Please start again from the sign-in page.
console-oidc-denied = Sign-in with { $provider } was cancelled.
console-oidc-provider-error = { $provider } could not sign you in ({ $code }).
console-oidc-not-allowed = Your { $provider } account is not in a group that may use Usher. Ask an administrator to add you.
console-oidc-not-registered = There is no Usher account for your { $provider } account yet. Ask an administrator to add you.
console-oidc-disabled = This account is disabled.
