# Issue reports: a member reports a problem with a title the library holds; approvers
# resolve it (Discord /issue, Telegram /issue, the console's Issues page).
bot-command-issue = Ein Problem mit einem Titel der Bibliothek melden
discord-command-issue = problem
discord-command-issue-description = Ein Problem mit einem Titel der Bibliothek melden (Ton, Untertitel, Bild…)
discord-command-issue-title = titel
discord-command-issue-title-description = Der Titel, wie die Bibliothek ihn führt
discord-command-issue-text = text
discord-command-issue-text-description = Was nicht stimmt (falscher Ton, fehlende Untertitel, schlechtes Bild…)
discord-command-issue-kind = art
discord-command-issue-kind-description = Welche Art von Problem (optional)
discord-issue-usage = Wähle einen Titel aus den Vorschlägen und sag, was nicht stimmt.
issue-kind-video = Bild
issue-kind-audio = Ton
issue-kind-subtitles = Untertitel
issue-kind-other = Sonstiges
issue-card-heading = Problem gemeldet: { $title }
issue-card-details = Meldung #{ $id } · { $kind } · gemeldet von { $who }
issue-card-resolved = Erledigt von { $who }
issue-card-resolved-short = Erledigt.
issue-button-resolve = Erledigt
issue-reported = Danke! Deine Meldung #{ $id } zu { $title } ist bei den Freigebern. Ich sage dir Bescheid, wenn sie erledigt ist.
issue-dm-resolved = Deine Meldung #{ $id } zu { $title } wurde erledigt.
issue-dm-note = Hinweis: { $note }
issue-title-unknown = Ich finde „{ $query }“ nicht unter den Titeln der Bibliothek. Prüfe die Schreibweise oder fordere ihn an, falls er noch fehlt.
issue-title-ambiguous = Mehrere Titel der Bibliothek passen zu „{ $query }“: { $titles }. Bitte schreib den vollen Titel.
telegram-issue-usage =
    Nenne mir den Titel und was nicht stimmt, z. B.
    /issue The Matrix — der Ton ist versetzt
    (der Titel endet an einem Zeilenumbruch, an „ — “, „ - “ oder „|“)
telegram-issue-private = Bitte melde Probleme in einem privaten Chat mit mir.
