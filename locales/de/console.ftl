# Die Web-Konsole.

console-title = Usher
console-nav-dashboard = Übersicht
console-nav-requests = Anfragen
console-nav-users = Benutzer
console-nav-settings = Einstellungen
console-nav-audit = Protokoll
console-nav-account = Konto
console-sign-out = Abmelden
console-signed-in-as = Angemeldet als { $name }

console-login-title = Anmelden
console-login-passkey = Mit Passkey anmelden
console-login-oidc = Mit { $provider } anmelden
console-login-no-method = Es ist noch keine Anmeldemethode eingerichtet. Nutze den einmaligen Einrichtungslink aus der Serverausgabe (oder `usher admin setup-link`).
console-login-failed = Anmeldung fehlgeschlagen. Bitte versuche es erneut.
console-login-needs-js = Die Passkey-Anmeldung braucht JavaScript.

console-dashboard-title = Übersicht
console-dashboard-welcome = Willkommen, { $name }.

console-error-title = Etwas ist schiefgelaufen
console-error-operation = Vorgangsnummer: { $id }
console-error-back = Zurück zur Konsole

console-csrf-missing = Dieses Formular ist abgelaufen. Lade die Seite neu und versuche es erneut.
console-origin-mismatch = Diese Anfrage kam von { $origin }, aber Ushers öffentliche URL ist { $public }. Setze USHER_PUBLIC_URL auf die Adresse, unter der du die Konsole öffnest.
console-too-many = Zu viele Anmeldeversuche. Versuche es in { $seconds } Sekunden erneut.
console-forbidden = Du hast keinen Zugriff auf diese Seite.

# Anmeldung über einen OIDC-Anbieter ({ $provider } ist sein Hostname).
console-oidc-off = Die Anmeldung über einen Identitätsanbieter ist hier nicht eingerichtet.
console-oidc-unavailable = { $provider } ist nicht erreichbar oder antwortet nicht wie eingerichtet, daher ist die Anmeldung darüber gerade nicht möglich. Versuche es später erneut; bleibt der Fehler, sollte die Administration USHER_OIDC_ISSUER und das Serverprotokoll prüfen.
console-oidc-failed = { $provider } hat die Anmeldung nicht abgeschlossen. Bitte beginne von vorn.
console-oidc-invalid = Die Antwort von { $provider } ließ sich nicht prüfen, daher wurde die Anmeldung abgelehnt. Bitte beginne von vorn.
console-oidc-state = Diese Anmeldung ist abgelaufen oder wurde schon verwendet. Bitte beginne auf der Anmeldeseite von vorn.
console-oidc-denied = Die Anmeldung mit { $provider } wurde abgebrochen.
console-oidc-provider-error = { $provider } konnte dich nicht anmelden ({ $code }).
console-oidc-not-allowed = Dein { $provider }-Konto ist in keiner Gruppe, die Usher nutzen darf. Bitte die Administration, dich aufzunehmen.
console-oidc-not-registered = Für dein { $provider }-Konto gibt es noch kein Usher-Konto. Bitte die Administration, dich hinzuzufügen.
console-oidc-disabled = Dieses Konto ist gesperrt.
