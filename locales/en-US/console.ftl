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

console-setup-title = Set up Usher
console-setup-intro = This one-time link makes you Usher's first administrator. Choose the name others will see, then create a passkey on this device (or a security key). It signs you in from now on; there is no password.
console-setup-name = Your name
console-setup-create = Create passkey
console-setup-gone = This setup link expired or was already used. Run `usher admin setup-link` on the server for a new one.

console-passkey-name = Passkey name
console-passkey-default-name = Passkey
console-passkey-cancelled = The passkey prompt was closed or timed out. Try again when you are ready.
console-passkey-unsupported = This browser cannot use passkeys here. Open the console over https (or http://localhost) in a current browser.
console-passkey-failed = The passkey could not be verified. Please try again.
console-passkey-expired = This passkey attempt expired or was already used. Please try again.
console-passkey-unknown = This passkey is not registered with Usher. Sign in another way, or ask an admin.
console-passkey-exists = This passkey is already registered.
console-passkey-sign-in-first = Sign in first to add a passkey.
console-passkey-unavailable = Passkeys are off on this server: { $reason }
console-name-invalid = A name needs 1 to 64 characters.

console-account-title = Your account
console-account-passkeys = Passkeys
console-account-no-passkeys = You have no passkeys yet.
console-account-added-at = Added
console-account-last-used = Last used
console-account-never = never
console-account-rename = Rename
console-account-remove = Remove
console-account-add-passkey = Add a passkey
console-account-sessions = Where you are signed in
console-account-signed-in-at = Signed in
console-account-via = With
console-account-via-passkey = Passkey
console-account-via-oidc = Single sign-on
console-account-from = From
console-account-this-session = this browser
console-account-end-all = Sign out everywhere
console-account-linked-accounts = Linked chat accounts
console-account-no-links = No Discord or Telegram account is linked yet.
console-account-link-help = Send /link to the Usher bot in Discord or Telegram and enter the code it gives you here. Your requests there and here then belong to one account.
console-account-link-code = Link code
console-account-link = Link account
console-account-platform-discord = Discord
console-account-platform-telegram = Telegram
console-account-platform-oidc = Single sign-on
console-account-added = Passkey added.
console-account-renamed = Passkey renamed.
console-account-removed = Passkey removed.
console-account-linked = Accounts linked.
console-account-last-passkey = This is your last way to sign in, so it stays. Add another passkey first.
console-account-code-invalid = That code is wrong or expired. Ask the bot for a new one with /link.
console-account-already-linked = That code belongs to this account already.
