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

console-setup-title = Usher einrichten
console-setup-intro = Dieser einmalige Link macht dich zum ersten Administrator von Usher. Wähle den Namen, den andere sehen, und lege dann einen Passkey auf diesem Gerät (oder einem Sicherheitsschlüssel) an. Mit ihm meldest du dich ab jetzt an; ein Passwort gibt es nicht.
console-setup-name = Dein Name
console-setup-create = Passkey anlegen
console-setup-gone = Dieser Einrichtungslink ist abgelaufen oder wurde schon benutzt. Führe `usher admin setup-link` auf dem Server aus, um einen neuen zu bekommen.

console-passkey-name = Name des Passkeys
console-passkey-default-name = Passkey
console-passkey-cancelled = Die Passkey-Abfrage wurde geschlossen oder ist abgelaufen. Versuche es erneut, wenn du bereit bist.
console-passkey-unsupported = Dieser Browser kann hier keine Passkeys verwenden. Öffne die Konsole über https (oder http://localhost) in einem aktuellen Browser.
console-passkey-failed = Der Passkey konnte nicht geprüft werden. Bitte versuche es erneut.
console-passkey-expired = Dieser Passkey-Versuch ist abgelaufen oder wurde schon verwendet. Bitte versuche es erneut.
console-passkey-unknown = Dieser Passkey ist bei Usher nicht registriert. Melde dich anders an oder frage einen Admin.
console-passkey-exists = Dieser Passkey ist bereits registriert.
console-passkey-sign-in-first = Melde dich zuerst an, um einen Passkey hinzuzufügen.
console-passkey-unavailable = Passkeys sind auf diesem Server aus: { $reason }
console-name-invalid = Ein Name braucht 1 bis 64 Zeichen.

console-account-title = Dein Konto
console-account-passkeys = Passkeys
console-account-no-passkeys = Du hast noch keine Passkeys.
console-account-added-at = Hinzugefügt
console-account-last-used = Zuletzt benutzt
console-account-never = nie
console-account-rename = Umbenennen
console-account-remove = Entfernen
console-account-add-passkey = Passkey hinzufügen
console-account-sessions = Wo du angemeldet bist
console-account-signed-in-at = Angemeldet
console-account-via = Mit
console-account-via-passkey = Passkey
console-account-via-oidc = Single Sign-on
console-account-from = Von
console-account-this-session = dieser Browser
console-account-end-all = Überall abmelden
console-account-linked-accounts = Verknüpfte Chat-Konten
console-account-no-links = Noch ist kein Discord- oder Telegram-Konto verknüpft.
console-account-link-help = Schicke /link an den Usher-Bot in Discord oder Telegram und gib den Code, den er dir nennt, hier ein. Deine Anfragen dort und hier gehören dann zu einem Konto.
console-account-link-code = Verknüpfungscode
console-account-link = Konto verknüpfen
console-account-platform-discord = Discord
console-account-platform-telegram = Telegram
console-account-platform-oidc = Single Sign-on
console-account-added = Passkey hinzugefügt.
console-account-renamed = Passkey umbenannt.
console-account-removed = Passkey entfernt.
console-account-linked = Konten verknüpft.
console-account-last-passkey = Das ist dein letzter Weg zur Anmeldung, er bleibt deshalb. Füge zuerst einen weiteren Passkey hinzu.
console-account-code-invalid = Dieser Code ist falsch oder abgelaufen. Hol dir mit /link einen neuen vom Bot.
console-account-already-linked = Dieser Code gehört schon zu diesem Konto.
