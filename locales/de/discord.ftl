# Nachrichten der Chat-Bots (Discord und Telegram). Variablen stehen in { $name }.

discord-unsupported = Das kann ich noch nicht.
discord-search-off = Die Suche ist noch nicht eingerichtet: ein Admin muss einen TMDB-Schlüssel hinterlegen.
discord-no-results = Zu diesem Titel habe ich nichts gefunden.
discord-forged = Dieser Knopf ist nicht (mehr) gültig. Bitte suche erneut.
discord-button-request = Anfragen
discord-button-approve = Genehmigen
discord-button-decline = Ablehnen
discord-requested = { $title } ist angefragt. Jemand schaut es sich an; ich melde mich, sobald es da ist.
discord-auto-approved = { $title } ist genehmigt und unterwegs. Ich melde mich, sobald es da ist.
discord-following = { $title } hat schon jemand angefragt. Ich sage dir auch Bescheid, sobald es da ist.
discord-card-requested-by = Angefragt von { $who }
discord-card-approved = Genehmigt von { $who }
discord-card-declined = Abgelehnt von { $who }
discord-card-declined-reason = Abgelehnt von { $who }: { $reason }
discord-decline-title = { $title } ablehnen
discord-decline-label = Grund (die anfragende Person sieht ihn)
discord-decline-placeholder = z. B. Noch nicht in guter Qualität verfügbar
discord-help =
    Ich finde Filme und Serien und beantrage, dass sie hinzugefügt werden.
    /request movie oder /request tv — einen Titel finden (einen Vorschlag wählen), dann Anfragen drücken
    /mine — deine Anfragen
    /cancel — eine offene Anfrage über ihre Nummer zurückziehen
    /pending — Anfragen, die auf Freigabe warten (Freigabe-Personen)
    Ich schreibe dir eine Direktnachricht, sobald etwas da ist, das du angefragt hast.
discord-cancel-usage = Gib die Nummer der Anfrage an; /mine zeigt sie.
discord-pending-footer = #{ $id } · angefragt von { $who }
discord-pending-more = Es warten noch mehr; im Admin-Kanal stehen alle.
discord-too-slow = Das hat zu lange gedauert; bitte versuche es noch einmal.
