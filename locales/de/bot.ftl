# Texte der Telegram- und Discord-Bots. Variablen stehen in { $name }.

bot-help =
    Ich finde Filme und Serien und beantrage, dass sie hinzugefügt werden.
    /movie <Titel> — einen Film suchen
    /tv <Titel> — eine Serie suchen
    /request <Titel> — beides suchen
    /mine — deine Anfragen
    /cancel <Nummer> — eine offene Anfrage zurückziehen
    /pending — Anfragen, die auf Freigabe warten (Freigebende)
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
