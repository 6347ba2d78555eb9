# Meldungen, die alle Oberflächen zeigen (Bots und Konsole).

error-not-found = Das habe ich nicht gefunden.
error-forbidden = Das darfst du nicht.
error-invalid = Das sieht nicht richtig aus: { $detail }
error-conflict = Das hat sich inzwischen geändert; bitte versuche es noch einmal.
error-illegal-transition = Diese Anfrage ist { $from } und kann so nicht mehr geändert werden.
error-already-decided = Bereits { $status } von { $who }.
error-already-requested = Das hast du schon angefragt.
error-already-available = Das ist schon in der Bibliothek. Viel Spaß!
error-issue-not-in-library = Dieser Titel ist noch nicht in der Bibliothek, es gibt also nichts zu melden: Fordere ihn stattdessen an.
error-issue-already-open = Du hast schon ein Problem mit diesem Titel gemeldet (#{ $id }); ein Freigeber schaut es sich an.
error-issue-already-resolved = Meldung #{ $id } ist schon erledigt.
error-quota = Du hast dein Limit von { $max } pro { $days } Tagen erreicht.
error-quota-next = Du kannst ab { $when } wieder anfragen.
error-quota-never = Das ist mehr, als dein Limit von { $max } auf einmal erlaubt.
error-upstream = { $service } ist gerade nicht erreichbar, daher ging das nicht. Bitte versuche es in ein paar Minuten noch einmal.
error-search-unavailable = Die Suche ist gerade nicht verfügbar ({ $service } antwortet nicht). Bitte versuche es in ein paar Minuten noch einmal.
error-internal = Bei uns ist etwas schiefgegangen. Bitte versuche es gleich noch einmal.
error-not-saved = Das konnte nicht gespeichert werden: Der Speicher des Servers ist voll oder gestört. Es wurde nichts geändert; bitte versuche es später noch einmal.
someone = jemand

status-pending = offen
status-approved = genehmigt
status-submitted = wird heruntergeladen
status-partially_available = teilweise verfügbar
status-available = verfügbar
status-declined = abgelehnt
status-failed = fehlgeschlagen
status-cancelled = zurückgezogen

# Content limits: a title outside the person's limit, asked for by id
error-not-offered = Dieser Titel ist für dich nicht verfügbar.
# Places: a group chat's or server's shared budget
error-budget = Das gemeinsame Kontingent dieses Chats von { $max } pro { $days } Tagen ist aufgebraucht.
error-budget-next = Es erneuert sich am { $when }.
error-budget-never = Das ist mehr, als das Kontingent dieses Chats von { $max } auf einmal erlaubt.
