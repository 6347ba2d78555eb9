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
    /anfragen film oder /anfragen serie — einen Titel finden (einen Vorschlag wählen), dann Anfragen drücken
    /meine — deine Anfragen
    /zurückziehen — eine offene Anfrage über ihre Nummer zurückziehen
    /offen — Anfragen, die auf Freigabe warten (Freigabe-Personen)
    /verknüpfen — ein Code, um dieses Konto mit einem anderen (oder der Web-Konsole) zu verknüpfen
    /problem — ein Problem mit einem Titel der Bibliothek melden (falscher Ton, fehlende Untertitel…)
    /angesagt — was gerade angesagt ist, markiert, wenn es schon da ist
    /entdecken — Beliebtes und Kommendes oder ein Genre durchstöbern
    /anfragen serie titel:Serie S02E05 — einzelne Folgen anfragen (S02E05-E07 für mehrere)
    /anfragen … notiz: — eine Notiz für die Freigabe-Personen anhängen, z. B. „fürs Kinderwochenende“
    Ich schreibe dir eine Direktnachricht, sobald etwas da ist, das du angefragt hast.
discord-cancel-usage = Gib die Nummer der Anfrage an; /meine zeigt sie.
discord-pending-footer = #{ $id } · angefragt von { $who }
discord-pending-more = Es warten noch mehr; im Admin-Kanal stehen alle.
discord-too-slow = Das hat zu lange gedauert; bitte versuche es noch einmal.

# Slash command names and descriptions as Discord shows them (see en-US).
discord-command-request = anfragen
discord-command-request-description = Einen Film oder eine Serie anfragen
discord-command-request-movie = film
discord-command-request-movie-description = Einen Film anfragen
discord-command-request-tv = serie
discord-command-request-tv-description = Eine Serie anfragen
discord-command-title-movie = titel
discord-command-title-movie-description = Der Titel des Films
discord-command-title-tv = titel
discord-command-title-tv-description = Der Titel der Serie
discord-command-mine = meine
discord-command-mine-description = Deine Anfragen und ihr Stand
discord-command-cancel = zurückziehen
discord-command-cancel-description = Eine deiner offenen Anfragen zurückziehen
discord-command-cancel-request = anfrage
discord-command-cancel-request-description = Die Nummer der Anfrage (/meine zeigt sie)
discord-command-pending = offen
discord-command-pending-description = Anfragen, die auf Freigabe warten (Freigebende)
discord-command-help = hilfe
discord-command-help-description = Was ich kann
discord-command-link = verknüpfen
discord-command-link-description = Einen Code zum Verknüpfen deiner Konten holen oder eingeben
discord-command-link-code = code
discord-command-link-code-description = Ein Code von einem anderen Konto oder der Web-Konsole

# /link: joining accounts with a one-time code.
discord-link-code = Dein Verknüpfungscode: { $code } (gültig { $minutes } Minuten, einmal). Gib ihn in deinem anderen Konto ein: mit /verknüpfen code in Discord oder auf der Kontoseite der Web-Konsole.
discord-link-done = Verknüpft: Dieses Discord-Konto gehört jetzt zum selben Usher-Benutzer wie der Code.
discord-link-bad-code = Dieser Code ist falsch oder abgelaufen. Hol dir mit /link einen neuen.
discord-link-already = Diese Konten sind schon verknüpft.

# An interaction from a guild outside USHER_DISCORD_GUILD_IDS.
discord-guild-not-served = Dieser Server wird von diesem Bot nicht bedient.

# Die Suchkarte: ihre Knöpfe und das Staffelmenü einer Serie.
discord-button-in-library = In der Bibliothek
discord-season-all = Alle Staffeln
discord-season = Staffel { $number }
discord-pick-seasons-4k = Staffeln in 4K wählen…
discord-seasons-recent = { $count } Staffeln: Das Menü zeigt die neuesten { $shown }; „Alle Staffeln“ fragt nach allen.
discord-season-invalid = Das ist keine Staffel dieser Serie. Bitte suche erneut.
discord-season-none = Wähle dazu mindestens eine Staffel (oder Alle Staffeln).
discord-members-only = Nur Mitglieder mit der passenden Rolle auf diesem Server können diesen Bot benutzen. Frag einen Admin, wenn du sie haben solltest.
discord-not-registered = Du hast noch kein Usher-Konto. Bitte einen Admin um einen Verknüpfungscode und gib dann /verknüpfen code: mit dem Code ein.
discord-announce = **{ $who }** hat **{ $title }** angefragt
discord-button-retry = Erneut senden
discord-card-failed = Anfrage #{ $id } fehlgeschlagen · angefragt von { $who } · Versuche: { $count }
discord-card-retried = Erneut gesendet von { $who }

# Lists to browse: /trending and /discover
discord-command-trending = angesagt
discord-command-trending-description = Was auf TMDB gerade angesagt ist
discord-command-trending-kind = art
discord-command-trending-kind-description = Filme, Serien oder beides (Standard: beides)
discord-command-trending-window = zeitraum
discord-command-trending-window-description = Heute oder diese Woche (Standard: diese Woche)
trending-kind-all = Filme und Serien
trending-kind-movie = Filme
trending-kind-tv = Serien
trending-window-day = Heute
trending-window-week = Diese Woche
discord-command-discover = entdecken
discord-command-discover-description = Beliebte und kommende Titel durchstöbern, oder nach Genre

# Request notes
discord-command-note = notiz
discord-command-note-description = Eine kurze Notiz für die Freigebenden, z. B. fürs Kinderwochenende

# Discord's episode picker (a show's card → one season → its episodes, 25 a page)
discord-episodes-menu = Folgen einer Staffel…
discord-episodes-pick = { $title }, Staffel { $season }: wähle die Folgen, die du anfragen möchtest.
discord-episodes-placeholder = Folgen zum Anfragen…
discord-episodes-none = TMDB führt für diese Staffel noch keine Folgen.
discord-episodes-invalid = Das ist keine Folge auf dieser Seite der Auswahl. Bitte öffne sie erneut über die Karte.
