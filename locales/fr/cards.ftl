# Fiches de résultats dans le chat : infos, statut, pages, choix des saisons et mode inline.
card-runtime = { $minutes } min
card-seasons = Saisons : { $count }
card-available = ✅ Déjà dans la médiathèque.
card-available-seasons = ✅ Dans la médiathèque : saison(s) { $seasons }.
card-own = 📝 Votre demande : #{ $id }, { $status }.
card-requested = ⏳ Déjà demandé : #{ $id }, { $status }.
card-following = 🔔 Vous serez prévenu dès que c'est là.
card-button-request-4k = Demander en 4K
card-button-request-all = Demander toutes les saisons
card-button-request-picked = Demander celles-ci
card-button-pick = Choisir les saisons…
card-button-follow = 🔔 Me prévenir aussi
card-button-open-library = ▶️ Ouvrir dans la médiathèque
card-season = S{ $number }
card-button-all = Toutes
card-button-future = Saisons à venir
card-button-back = ◀ Retour
card-pick-seasons = Cochez les saisons voulues, puis appuyez sur Demander.
card-search-expired = Cette recherche est trop ancienne ; cherchez à nouveau.

# Library index: downloads and where to watch.
card-downloading = ⬇️ Téléchargement : { $percent } %.
card-downloading-eta = ⬇️ Téléchargement : { $percent } %, encore environ { $minutes } min.
card-wanted = ⏳ Demandé : Radarr/Sonarr le cherche.
card-button-watch = ▶️ Regarder sur { $server }

# Marques de la bibliothèque dans les listes de résultats (résultats inline Telegram, autocomplétion Discord).
list-mark-available = ✅ Disponible
list-mark-partly = 🟡 Partiellement disponible : saison(s) { $seasons }
list-mark-seasons = ✅ Dans la bibliothèque : saison(s) { $seasons }
list-mark-downloading = ⬇️ Téléchargement { $percent } %
list-mark-downloading-eta = ⬇️ Téléchargement { $percent } %, ~{ $minutes } min
list-mark-requested = ⏳ Demandé

# Single episodes (/tv Show S02E05)
card-request-episodes = Demander { $episodes }
card-button-pick-episodes = Épisodes de S{ $season }…
card-episode = É{ $number }
card-pick-episodes = Cochez les épisodes voulus, puis appuyez sur Demander.
# Lists to browse: /trending and /discover
discover-title-trending = 🔥 { $kind ->
    [movie] Films tendance
    [tv] Séries tendance
   *[all] Tendances
} { $window ->
    [day] aujourd'hui
   *[week] cette semaine
}
discover-title-popular = ⭐ { $media ->
    [tv] Séries populaires
   *[movie] Films populaires
}
discover-title-upcoming = 🎬 Bientôt au cinéma
discover-title-genre = 🎭 { $genre } — { $media ->
    [tv] séries
   *[movie] films
}
discover-empty = Rien à afficher ici.
discover-tap = Touchez un numéro pour ouvrir le titre ; ➕ indique ce que vous pouvez demander.
discover-menu = Que voulez-vous parcourir ?
discover-menu-trending = 🔥 Tendances
discover-menu-upcoming = 🎬 Films à venir
discover-menu-popular-movie = ⭐ Films populaires
discover-menu-popular-tv = ⭐ Séries populaires
discover-menu-genres-movie = 🎭 Films par genre
discover-menu-genres-tv = 🎭 Séries par genre
discover-genres = Choisissez un genre de { $media ->
    [tv] séries
   *[movie] films
} :

# Request notes
request-note-line = 📝 Note : { $note }
bot-note-kept = 📝 Noté : « { $note } » accompagnera la demande que vous ferez depuis cette recherche.
