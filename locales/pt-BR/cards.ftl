# Cartões de resultado no chat: dados, status, páginas, escolha de temporadas e modo inline.
card-runtime = { $minutes } min
card-seasons = Temporadas: { $count }
card-available = ✅ Já está na biblioteca.
card-available-seasons = ✅ Na biblioteca: temporada(s) { $seasons }.
card-own = 📝 Seu pedido: #{ $id }, { $status }.
card-requested = ⏳ Alguém já pediu: #{ $id }, { $status }.
card-following = 🔔 Você será avisado quando chegar.
card-button-request-4k = Pedir em 4K
card-button-request-all = Pedir todas as temporadas
card-button-request-picked = Pedir estas
card-button-pick = Escolher temporadas…
card-button-follow = 🔔 Me avise também
card-button-open-library = ▶️ Abrir na biblioteca
card-season = T{ $number }
card-button-all = Todas
card-button-future = Temporadas futuras
card-button-back = ◀ Voltar
card-pick-seasons = Marque as temporadas que quer e toque em Pedir.
card-search-expired = Esta busca é antiga demais; busque de novo.

# Library index: downloads and where to watch.
card-downloading = ⬇️ Baixando: { $percent } %.
card-downloading-eta = ⬇️ Baixando: { $percent } %, faltam cerca de { $minutes } min.
card-wanted = ⏳ Pedido: o Radarr/Sonarr está procurando.
card-button-watch = ▶️ Assistir no { $server }

# Marcas da biblioteca em listas de resultados (resultados inline do Telegram, preenchimento automático do Discord).
list-mark-available = ✅ Disponível
list-mark-partly = 🟡 Parcialmente disponível: temporada(s) { $seasons }
list-mark-seasons = ✅ Na biblioteca: temporada(s) { $seasons }
list-mark-downloading = ⬇️ Baixando { $percent } %
list-mark-downloading-eta = ⬇️ Baixando { $percent } %, ~{ $minutes } min
list-mark-requested = ⏳ Solicitado

# Single episodes (/tv Show S02E05)
card-request-episodes = Pedir { $episodes }
card-button-pick-episodes = Episódios de T{ $season }…
card-episode = E{ $number }
card-pick-episodes = Marque os episódios que quer e toque em Pedir.
# Lists to browse: /trending and /discover
discover-title-trending = 🔥 { $kind ->
    [movie] Filmes em alta
    [tv] Séries em alta
   *[all] Em alta
} { $window ->
    [day] hoje
   *[week] nesta semana
}
discover-title-popular = ⭐ { $media ->
    [tv] Séries populares
   *[movie] Filmes populares
}
discover-title-upcoming = 🎬 Em breve nos cinemas
discover-title-genre = 🎭 { $genre } — { $media ->
    [tv] séries
   *[movie] filmes
}
discover-empty = Nada para mostrar aqui.
discover-tap = Toque em um número para abrir o título; ➕ marca o que você pode pedir.
discover-menu = O que você quer explorar?
discover-menu-trending = 🔥 Em alta
discover-menu-upcoming = 🎬 Próximos filmes
discover-menu-popular-movie = ⭐ Filmes populares
discover-menu-popular-tv = ⭐ Séries populares
discover-menu-genres-movie = 🎭 Filmes por gênero
discover-menu-genres-tv = 🎭 Séries por gênero
discover-genres = Escolha um gênero de { $media ->
    [tv] séries
   *[movie] filmes
}:

# Request notes
request-note-line = 📝 Nota: { $note }
bot-note-kept = 📝 Anotado: “{ $note }” vai junto com o pedido que você fizer a partir desta busca.
