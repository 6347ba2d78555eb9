# Suchergebnis-Karten im Chat: Angaben, Status, Blättern, Staffelauswahl und Inline-Modus.
card-runtime = { $minutes } Min.
card-seasons = Staffeln: { $count }
card-available = ✅ Schon in der Bibliothek.
card-available-seasons = ✅ In der Bibliothek: Staffel(n) { $seasons }.
card-own = 📝 Deine Anfrage: #{ $id }, { $status }.
card-requested = ⏳ Schon angefragt: #{ $id }, { $status }.
card-following = 🔔 Du bekommst Bescheid, sobald es da ist.
card-button-request-4k = 4K anfragen
card-button-request-all = Alle Staffeln anfragen
card-button-request-picked = Diese anfragen
card-button-pick = Staffeln wählen…
card-button-follow = 🔔 Mich auch benachrichtigen
card-button-open-library = ▶️ In der Mediathek öffnen
card-season = St. { $number }
card-button-all = Alle
card-button-future = Künftige Staffeln
card-button-back = ◀ Zurück
card-pick-seasons = Wähle die Staffeln und drücke dann „Diese anfragen“.
card-search-expired = Diese Suche ist zu alt; bitte neu suchen.

# Library index: downloads and where to watch.
card-downloading = ⬇️ Wird heruntergeladen: { $percent } %.
card-downloading-eta = ⬇️ Wird heruntergeladen: { $percent } %, noch etwa { $minutes } Min.
card-wanted = ⏳ Angefragt: Radarr/Sonarr sucht danach.
card-button-watch = ▶️ Auf { $server } ansehen

# Bibliotheksmarken in Suchergebnislisten (Telegram-Inline-Ergebnisse, Discord-Autovervollständigung).
list-mark-available = ✅ Verfügbar
list-mark-partly = 🟡 Teilweise verfügbar: Staffel(n) { $seasons }
list-mark-seasons = ✅ In der Bibliothek: Staffel(n) { $seasons }
list-mark-downloading = ⬇️ Wird geladen: { $percent } %
list-mark-downloading-eta = ⬇️ Wird geladen: { $percent } %, ~{ $minutes } Min.
list-mark-requested = ⏳ Angefragt

# Single episodes (/tv Show S02E05)
card-request-episodes = { $episodes } anfragen
card-button-pick-episodes = Folgen von S{ $season }…
card-episode = F{ $number }
card-pick-episodes = Wähle die Folgen und drücke dann „Diese anfragen“.
# Lists to browse: /trending and /discover
discover-title-trending = 🔥 { $kind ->
    [movie] Angesagte Filme
    [tv] Angesagte Serien
   *[all] Angesagt
} { $window ->
    [day] heute
   *[week] diese Woche
}
discover-title-popular = ⭐ { $media ->
    [tv] Beliebte Serien
   *[movie] Beliebte Filme
}
discover-title-upcoming = 🎬 Bald im Kino
discover-title-genre = 🎭 { $genre } — { $media ->
    [tv] Serien
   *[movie] Filme
}
discover-empty = Hier gibt es nichts zu zeigen.
discover-tap = Tippe auf eine Nummer, um den Titel zu öffnen; ➕ markiert, was du anfragen kannst.
discover-menu = Was möchtest du durchstöbern?
discover-menu-trending = 🔥 Angesagt
discover-menu-upcoming = 🎬 Kommende Filme
discover-menu-popular-movie = ⭐ Beliebte Filme
discover-menu-popular-tv = ⭐ Beliebte Serien
discover-menu-genres-movie = 🎭 Filme nach Genre
discover-menu-genres-tv = 🎭 Serien nach Genre
discover-genres = Wähle ein Genre für { $media ->
    [tv] Serien
   *[movie] Filme
}:

# Request notes
request-note-line = 📝 Notiz: { $note }
bot-note-kept = 📝 Notiert: „{ $note }“ geht mit der Anfrage mit, die du aus dieser Suche stellst.
