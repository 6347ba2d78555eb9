# Texte der Telegram- und Discord-Bots. Variablen stehen in { $name }.

bot-help =
    Ich finde Filme und Serien und beantrage, dass sie hinzugefügt werden.
    /movie <Titel> — einen Film suchen
    /tv <Titel> — eine Serie suchen
    /request <Titel> — beides suchen
    /mine — deine Anfragen
    /cancel <Nummer> — eine offene Anfrage zurückziehen
    /pending — Anfragen, die auf Freigabe warten (Freigebende)
    /link — dieses Konto mit Discord oder der Web-Konsole verbinden
    /language — die Sprache wählen, in der ich schreibe
    /issue <Titel> — <Problem> — ein Problem mit einem Titel der Bibliothek melden
    /trending [movie|tv] [day] — was gerade angesagt ist, markiert, wenn es schon da ist
    /discover — Beliebtes und Kommendes oder ein Genre durchstöbern
    /tv <Serie> S02E05 — einzelne Folgen anfragen (S02E05-E07 für mehrere)
    /movie <Titel> -- <Notiz> — eine Notiz für die Freigebenden anhängen, z. B. /movie Dune -- fürs Kinderwochenende
bot-usage-search = Sag mir, wonach ich suchen soll, z. B. /movie Dune
bot-no-results = Nichts gefunden für „{ $query }“.
bot-search-unavailable = Die Suche ist noch nicht eingerichtet; frag einen Admin.
bot-button-request = Anfragen
bot-button-approve = ✅ Freigeben
bot-button-decline = ❌ Ablehnen
bot-decline-reason-0 = Nicht in guter Qualität verfügbar
bot-decline-reason-1 = Schon in der Bibliothek
bot-decline-reason-2 = Passt nicht auf diesen Server
bot-requested = Angefragt! Jemand mit Freigaberecht schaut es sich an.
bot-auto-approved = Sofort freigegeben; es ist unterwegs.
bot-followed = Das hat schon jemand angefragt; du erfährst, wenn es da ist.
bot-invalid-button = Dieser Knopf ist nicht mehr gültig.
bot-approved = Freigegeben.
bot-declined = Abgelehnt.
bot-pick-reason = Wähle einen Grund.
bot-approver-card = Neue Anfrage #{ $id }: { $title } ({ $kind }) von { $who }
bot-kind-movie = Film
bot-kind-tv = Serie
bot-decided = { $status } von { $who }
bot-declined-reason = Grund: { $reason }
bot-dm-status = Deine Anfrage für { $title } ist jetzt { $status }.
bot-mine-empty = Du hast noch keine Anfragen.
bot-mine-line = #{ $id } { $title } — { $status }
bot-pending-empty = Nichts wartet auf Freigabe.
bot-cancel-usage = Nutze /cancel <Nummer>; /mine zeigt die Nummern.
bot-cancelled = Anfrage #{ $id } zurückgezogen.
bot-not-allowed = In diesem Chat kann der Bot nicht genutzt werden.

# /start, /link, /language und die Befehlsliste (setMyCommands).
bot-welcome = Hallo { $name }! Schick mir einen Titel oder nutze einen dieser Befehle:
bot-command-start = Begrüßung und was ich kann
bot-command-help = Was ich kann
bot-command-movie = Einen Film zum Anfragen suchen
bot-command-tv = Eine Serie zum Anfragen suchen
bot-command-request = Einen Film oder eine Serie suchen
bot-command-mine = Deine Anfragen und ihr Stand
bot-command-cancel = Eine offene Anfrage zurückziehen
bot-command-pending = Anfragen, die auf Freigabe warten
bot-command-link = Dieses Konto mit Discord oder der Konsole verbinden
bot-command-language = Die Sprache wählen, in der ich schreibe
bot-language-name = Deutsch
bot-language-automatic = Automatisch (Sprache deiner App)
bot-language-pick = In welcher Sprache soll ich dir schreiben?
bot-language-chosen = Ab jetzt schreibe ich dir auf Deutsch.
bot-language-follow-app = Ab jetzt folge ich der Sprache deiner App.
bot-link-code =
    Dein Verknüpfungscode: { $code }
    Er gilt einmal, innerhalb von { $minutes } Minuten. Gib ihn dort ein, wo du dieses Konto verbinden willst: auf der Kontoseite der Web-Konsole oder mit /link auf Discord.
bot-link-private = Verknüpfungscodes sind persönlich: schick mir /link in einem privaten Chat.
bot-link-done = Verbunden: Dieses Telegram-Konto gehört jetzt zum selben Usher-Konto wie das, das den Code erzeugt hat.
bot-link-invalid = Dieser Code ist falsch oder abgelaufen. Hol dir dort, wo du ihn erzeugt hast, mit /link einen neuen.
bot-link-already = Diese Konten sind schon verbunden.
# Someone the bot refuses (USHER_TELEGRAM_REGISTRATION=refuse) and how they get in.
bot-not-registered = Du bist hier noch nicht registriert. Bitte einen Admin um einen Link-Code und schick mir dann /link CODE (oder öffne den Einladungslink, den du bekommst: er sendet /start link-CODE).
bot-not-registered-short = Du bist hier nicht registriert. Bitte einen Admin um einen Link-Code und schick mir dann /link CODE.
bot-post-as-yourself = Du schreibst anonym als die Gruppe, daher weiß ich nicht, wer du bist. Schalte „Anonym bleiben“ in deinen Admin-Rechten aus (oder schreib als du selbst) und versuch es noch einmal.
# Ablehnen mit eigenem Grund: eine Frage, auf die die freigebende Person antwortet.
bot-button-decline-other = ✏️ Anderer Grund…
bot-decline-ask = { $who }, antworte auf diese Nachricht mit dem Grund, #{ $id } ({ $title }) abzulehnen.
bot-decline-reply = Antworte auf meine Nachricht mit dem Grund.

# A request that failed: its card in the admin chats shows the upstream's answer to the last
# attempt and, apart, the circuit breaker; Retry sends it again.
bot-failed-card = ⚠️ Anfrage #{ $id } fehlgeschlagen: { $title } ({ $kind }) von { $who }
bot-failure-answer = { $service } antwortete HTTP { $status }: { $message }
bot-failure-answer-bare = { $service } antwortete HTTP { $status }
bot-failure-no-answer = { $service }: { $message }
bot-failure-paused-no-answer = { $service } wurde nicht aufgerufen: Aufrufe waren bereits pausiert
bot-failure-breaker-open = offen: Aufrufe an { $service } sind nach wiederholten Fehlern pausiert
bot-failure-breaker-closed = geschlossen
bot-failure-breaker = Schutzschalter: { $state }
bot-failure-breaker-title = Schutzschalter
bot-failure-answer-title = Letzter Versuch
bot-failure-attempts = Versuche: { $count }
bot-button-retry = 🔁 Erneut senden
bot-retried = Erneut gesendet von { $who }
bot-mine-progress = ⬇️ { $percent } %
bot-mine-progress-eta = ⬇️ { $percent } %, noch ~{ $minutes } Min.

# Sicherheitswarnungen im Admin-Chat (nur Namen, Adressen und Zahlen, nie ein Geheimnis).
security-alert-failed-sign-in = 🚨 Sicherheit: { $seen } fehlgeschlagene Konsolen-Anmeldungen ({ $method }) von { $from } innerhalb von { $minutes } Minuten.
security-alert-forged-button = 🚨 Sicherheit: Ein gefälschter oder wiederverwendeter Button wurde auf { $platform } von Nutzer { $from } gedrückt.
security-alert-bad-signature = 🚨 Sicherheit: { $seen } Anfragen an { $endpoint } von { $from } hatten innerhalb von { $minutes } Minuten eine ungültige Signatur oder ein ungültiges Token.
security-alert-new-admin = 🚨 Sicherheit: { $user } ist jetzt Admin (durch { $by }).
security-alert-api-key-created = 🚨 Sicherheit: Der API-Schlüssel „{ $name }“ wurde erstellt.
security-alert-api-key-revoked = 🚨 Sicherheit: Der API-Schlüssel „{ $name }“ wurde widerrufen.
security-alert-secret-rotated = 🚨 Sicherheit: Der Hauptschlüssel wurde gewechselt; { $count } gespeicherte Geheimnisse wurden neu versiegelt.

# Lists to browse: /trending and /discover
bot-command-trending = Was gerade angesagt ist (mit movie, tv oder day)
bot-command-discover = Beliebtes, Kommendes und nach Genre stöbern
# Places: group voting and /mine's allowance
bot-vote-card = { $who } wünscht sich { $title }. Willst du das auch? Stimm unten ab – du erfährst, wenn es da ist.
bot-vote-button = 🙋 Will ich auch ({ $votes })
bot-vote-counted = Gezählt: { $votes } Personen wollen das.
bot-vote-counted-of = Gezählt: { $votes } von { $threshold } Stimmen, die es genehmigen.
bot-vote-approved = Das sind { $votes } Stimmen – genehmigt! Es ist unterwegs.
bot-vote-already = Deine Stimme zählt schon ({ $votes } bisher).
bot-vote-requester = Du hast es angefragt: deine Anfrage zählt schon als deine Stimme.
bot-vote-closed = Diese Anfrage wartet nicht mehr auf Stimmen: sie ist { $status }.
bot-allowance-personal = Dein Kontingent:
bot-allowance-place = Gemeinsames Kontingent dieses Chats:
bot-allowance-movies = Filme
bot-allowance-seasons = Staffeln
bot-allowance-line = { $kind }: { $left } von { $max } übrig pro { $days } Tage
bot-allowance-renews = (erneuert sich am { $when })
