# Search result cards in chat: facts, status lines, paging, the season picker and inline mode.
card-runtime = { $minutes } min
card-seasons = Seasons: { $count }
card-available = ✅ Already in the library.
card-available-seasons = ✅ In the library: season(s) { $seasons }.
card-own = 📝 You asked for this: #{ $id }, { $status }.
card-requested = ⏳ Someone already asked: #{ $id }, { $status }.
card-following = 🔔 You'll be told when it's there.
card-button-request-4k = Request 4K
card-button-request-all = Request all seasons
card-button-request-picked = Request these
card-button-pick = Pick seasons…
card-button-follow = 🔔 Notify me too
card-button-open-library = ▶️ Open in library
card-season = S{ $number }
card-button-all = All
card-button-future = Future seasons
card-button-back = ◀ Back
card-pick-seasons = Tick the seasons you want, then press Request.
card-search-expired = This search is too old; search again.

# Library index: downloads and where to watch.
card-downloading = ⬇️ Downloading: { $percent } %.
card-downloading-eta = ⬇️ Downloading: { $percent } %, about { $minutes } min left.
card-wanted = ⏳ Requested: Radarr/Sonarr is looking for it.
card-button-watch = ▶️ Watch on { $server }

# Library marks in lists of search results (Telegram inline results, Discord autocomplete).
list-mark-available = ✅ Available
list-mark-partly = 🟡 Partly available: season(s) { $seasons }
list-mark-seasons = ✅ In the library: season(s) { $seasons }
list-mark-downloading = ⬇️ Downloading { $percent } %
list-mark-downloading-eta = ⬇️ Downloading { $percent } %, ~{ $minutes } min
list-mark-requested = ⏳ Requested

# Single episodes (/tv Show S02E05)
card-request-episodes = Request { $episodes }
card-button-pick-episodes = Episodes of S{ $season }…
card-episode = E{ $number }
card-pick-episodes = Tick the episodes you want, then press Request.
# Lists to browse: /trending and /discover
discover-title-trending = 🔥 { $kind ->
    [movie] Trending movies
    [tv] Trending shows
   *[all] Trending
} { $window ->
    [day] today
   *[week] this week
}
discover-title-popular = ⭐ { $media ->
    [tv] Popular shows
   *[movie] Popular movies
}
discover-title-upcoming = 🎬 Coming soon to cinemas
discover-title-genre = 🎭 { $genre } — { $media ->
    [tv] shows
   *[movie] movies
}
discover-empty = Nothing to show here.
discover-tap = Tap a number to open the title; ➕ marks what you can request.
discover-menu = What would you like to browse?
discover-menu-trending = 🔥 Trending
discover-menu-upcoming = 🎬 Upcoming movies
discover-menu-popular-movie = ⭐ Popular movies
discover-menu-popular-tv = ⭐ Popular shows
discover-menu-genres-movie = 🎭 Movies by genre
discover-menu-genres-tv = 🎭 Shows by genre
discover-genres = Pick a genre of { $media ->
    [tv] shows
   *[movie] movies
}:

# Request notes
request-note-line = 📝 Note: { $note }
bot-note-kept = 📝 Noted: “{ $note }” goes with the request you make from this search.
