# Schede dei risultati in chat: dati, stato, pagine, scelta delle stagioni e modalità inline.
card-runtime = { $minutes } min
card-seasons = Stagioni: { $count }
card-available = ✅ Già nella libreria.
card-available-seasons = ✅ Nella libreria: stagione/i { $seasons }.
card-own = 📝 La tua richiesta: #{ $id }, { $status }.
card-requested = ⏳ Qualcuno l'ha già chiesto: #{ $id }, { $status }.
card-following = 🔔 Ti avviseremo quando sarà disponibile.
card-button-request-4k = Richiedi in 4K
card-button-request-all = Richiedi tutte le stagioni
card-button-request-picked = Richiedi queste
card-button-pick = Scegli le stagioni…
card-button-follow = 🔔 Avvisa anche me
card-button-open-library = ▶️ Apri nella libreria
card-season = S{ $number }
card-button-all = Tutte
card-button-future = Stagioni future
card-button-back = ◀ Indietro
card-pick-seasons = Spunta le stagioni che vuoi, poi premi Richiedi.
card-search-expired = Questa ricerca è troppo vecchia; cerca di nuovo.

# Library index: downloads and where to watch.
card-downloading = ⬇️ In download: { $percent } %.
card-downloading-eta = ⬇️ In download: { $percent } %, circa { $minutes } min rimanenti.
card-wanted = ⏳ Richiesto: Radarr/Sonarr lo sta cercando.
card-button-watch = ▶️ Guarda su { $server }

# Indicatori della libreria negli elenchi di risultati (risultati inline di Telegram, completamento automatico di Discord).
list-mark-available = ✅ Disponibile
list-mark-partly = 🟡 Disponibile in parte: stagione/i { $seasons }
list-mark-seasons = ✅ Nella libreria: stagione/i { $seasons }
list-mark-downloading = ⬇️ In download { $percent } %
list-mark-downloading-eta = ⬇️ In download { $percent } %, ~{ $minutes } min
list-mark-requested = ⏳ Richiesto

# Single episodes (/tv Show S02E05)
card-request-episodes = Richiedi { $episodes }
card-button-pick-episodes = Episodi di S{ $season }…
card-episode = E{ $number }
card-pick-episodes = Spunta gli episodi che vuoi, poi premi Richiedi.
# Lists to browse: /trending and /discover
discover-title-trending = 🔥 { $kind ->
    [movie] Film di tendenza
    [tv] Serie di tendenza
   *[all] Di tendenza
} { $window ->
    [day] oggi
   *[week] questa settimana
}
discover-title-popular = ⭐ { $media ->
    [tv] Serie popolari
   *[movie] Film popolari
}
discover-title-upcoming = 🎬 Prossimamente al cinema
discover-title-genre = 🎭 { $genre } — { $media ->
    [tv] serie
   *[movie] film
}
discover-empty = Niente da mostrare qui.
discover-tap = Tocca un numero per aprire il titolo; ➕ indica ciò che puoi richiedere.
discover-menu = Cosa vuoi sfogliare?
discover-menu-trending = 🔥 Di tendenza
discover-menu-upcoming = 🎬 Film in arrivo
discover-menu-popular-movie = ⭐ Film popolari
discover-menu-popular-tv = ⭐ Serie popolari
discover-menu-genres-movie = 🎭 Film per genere
discover-menu-genres-tv = 🎭 Serie per genere
discover-genres = Scegli un genere di { $media ->
    [tv] serie
   *[movie] film
}:

# Request notes
request-note-line = 📝 Nota: { $note }
bot-note-kept = 📝 Annotato: «{ $note }» accompagnerà la richiesta che farai da questa ricerca.
