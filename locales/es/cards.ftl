# Tarjetas de resultados en el chat: datos, estado, páginas, elección de temporadas y modo inline.
card-runtime = { $minutes } min
card-seasons = Temporadas: { $count }
card-available = ✅ Ya está en la biblioteca.
card-available-seasons = ✅ En la biblioteca: temporada(s) { $seasons }.
card-own = 📝 Tu solicitud: #{ $id }, { $status }.
card-requested = ⏳ Alguien ya lo pidió: #{ $id }, { $status }.
card-following = 🔔 Te avisaremos cuando esté.
card-button-request-4k = Solicitar en 4K
card-button-request-all = Solicitar todas las temporadas
card-button-request-picked = Solicitar estas
card-button-pick = Elegir temporadas…
card-button-follow = 🔔 Avisarme también
card-button-open-library = ▶️ Abrir en la biblioteca
card-season = T{ $number }
card-button-all = Todas
card-button-future = Temporadas futuras
card-button-back = ◀ Volver
card-pick-seasons = Marca las temporadas que quieres y pulsa Solicitar.
card-search-expired = Esta búsqueda es demasiado antigua; busca de nuevo.

# Library index: downloads and where to watch.
card-downloading = ⬇️ Descargando: { $percent } %.
card-downloading-eta = ⬇️ Descargando: { $percent } %, quedan unos { $minutes } min.
card-wanted = ⏳ Solicitado: Radarr/Sonarr lo está buscando.
card-button-watch = ▶️ Ver en { $server }

# Marcas de la biblioteca en listas de resultados (resultados inline de Telegram, autocompletado de Discord).
list-mark-available = ✅ Disponible
list-mark-partly = 🟡 Disponible en parte: temporada(s) { $seasons }
list-mark-seasons = ✅ En la biblioteca: temporada(s) { $seasons }
list-mark-downloading = ⬇️ Descargando { $percent } %
list-mark-downloading-eta = ⬇️ Descargando { $percent } %, ~{ $minutes } min
list-mark-requested = ⏳ Solicitado

# Single episodes (/tv Show S02E05)
card-request-episodes = Solicitar { $episodes }
card-button-pick-episodes = Episodios de T{ $season }…
card-episode = E{ $number }
card-pick-episodes = Marca los episodios que quieres y pulsa Solicitar.
# Lists to browse: /trending and /discover
discover-title-trending = 🔥 { $kind ->
    [movie] Películas en tendencia
    [tv] Series en tendencia
   *[all] Tendencias
} { $window ->
    [day] de hoy
   *[week] de esta semana
}
discover-title-popular = ⭐ { $media ->
    [tv] Series populares
   *[movie] Películas populares
}
discover-title-upcoming = 🎬 Próximamente en cines
discover-title-genre = 🎭 { $genre } — { $media ->
    [tv] series
   *[movie] películas
}
discover-empty = No hay nada que mostrar aquí.
discover-tap = Toca un número para abrir el título; ➕ marca lo que puedes pedir.
discover-menu = ¿Qué quieres explorar?
discover-menu-trending = 🔥 Tendencias
discover-menu-upcoming = 🎬 Próximos estrenos
discover-menu-popular-movie = ⭐ Películas populares
discover-menu-popular-tv = ⭐ Series populares
discover-menu-genres-movie = 🎭 Películas por género
discover-menu-genres-tv = 🎭 Series por género
discover-genres = Elige un género de { $media ->
    [tv] series
   *[movie] películas
}:

# Request notes
request-note-line = 📝 Nota: { $note }
bot-note-kept = 📝 Anotado: «{ $note }» irá con la petición que hagas desde esta búsqueda.
