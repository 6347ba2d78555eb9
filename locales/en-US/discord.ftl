# Chat bot messages (Discord and Telegram). Variables are wrapped in { $name }.

discord-unsupported = That isn't something I can do yet.
discord-search-off = Search isn't set up yet: an admin needs to add a TMDB key.
discord-no-results = Nothing found for that title.
discord-forged = This button is not valid (anymore). Please search again.
discord-button-request = Request
discord-button-approve = Approve
discord-button-decline = Decline
discord-requested = Requested { $title }. An approver will look at it; I'll tell you when it's there.
discord-auto-approved = { $title } is approved and on its way. I'll tell you when it's there.
discord-following = Someone already asked for { $title }. I'll tell you too when it's there.
discord-card-requested-by = Requested by { $who }
discord-card-approved = Approved by { $who }
discord-card-declined = Declined by { $who }
discord-card-declined-reason = Declined by { $who }: { $reason }
discord-decline-title = Decline { $title }
discord-decline-label = Reason (the requester sees it)
discord-decline-placeholder = e.g. Not available in good quality yet
discord-help =
    I find movies and shows and ask for them to be added.
    /request movie or /request tv — find a title (pick one of the suggestions), then press Request
    /mine — your requests
    /cancel — withdraw a pending request by its number
    /pending — requests waiting for approval (approvers)
    /link — a code to join this account with another one (or the web console)
    /issue — report a problem with a title in the library (wrong audio, missing subtitles…)
    /trending — what is trending, marked when it is already there
    /discover — browse popular and upcoming titles, or a genre
    /request tv title:Show S02E05 — ask for single episodes (S02E05-E07 for several)
    /request … note: — add a note for the approvers, e.g. “for the kids' weekend”
    I'll send you a direct message when something you asked for is there.
discord-cancel-usage = Give the request's number; /mine shows them.
discord-pending-footer = #{ $id } · requested by { $who }
discord-pending-more = More are waiting; the admin channel has them all.
discord-too-slow = That took too long; please try again.

# Slash command names and descriptions as Discord shows them (name_localizations and
# description_localizations). Names: lower case, no spaces, at most 32 characters;
# descriptions at most 100. Discord still sends the English name, so these never route.
discord-command-request = request
discord-command-request-description = Request a movie or a TV show
discord-command-request-movie = movie
discord-command-request-movie-description = Request a movie
discord-command-request-tv = tv
discord-command-request-tv-description = Request a TV show
discord-command-title-movie = title
discord-command-title-movie-description = The movie's title
discord-command-title-tv = title
discord-command-title-tv-description = The show's title
discord-command-mine = mine
discord-command-mine-description = Your requests and their status
discord-command-cancel = cancel
discord-command-cancel-description = Withdraw one of your pending requests
discord-command-cancel-request = request
discord-command-cancel-request-description = The request's number (/mine shows it)
discord-command-pending = pending
discord-command-pending-description = Requests waiting for approval (approvers)
discord-command-help = help
discord-command-help-description = What I can do
discord-command-link = link
discord-command-link-description = Get a code to join your accounts, or enter one
discord-command-link-code = code
discord-command-link-code-description = A code from another account or the web console

# /link: joining accounts with a one-time code.
discord-link-code = Your link code: { $code } (valid { $minutes } minutes, once). Enter it on your other account: with /link code in Discord, or on the Account page of the web console.
discord-link-done = Linked: this Discord account now belongs to the same Usher user as the code's.
discord-link-bad-code = That code is wrong or has expired. Ask for a new one with /link.
discord-link-already = These accounts are already linked.

# An interaction from a guild outside USHER_DISCORD_GUILD_IDS.
discord-guild-not-served = This server isn't served by this bot.

# The search card: its buttons and the season menu of a show.
discord-button-in-library = In the library
discord-season-all = All seasons
discord-season = Season { $number }
discord-pick-seasons-4k = Pick seasons in 4K…
discord-seasons-recent = { $count } seasons: the menu lists the latest { $shown }; “All seasons” asks for every one.
discord-season-invalid = That isn't a season of this show. Please search again.
discord-season-none = Pick at least one season (or All seasons) as well.
discord-members-only = Only members with the right role on this server can use this bot. Ask an admin if you think you should have it.
discord-not-registered = You don't have an Usher account yet. Ask an admin for a link code, then type /link code: followed by the code.
discord-announce = **{ $who }** requested **{ $title }**
discord-button-retry = Retry
discord-card-failed = Request #{ $id } failed · requested by { $who } · attempts: { $count }
discord-card-retried = Sent again by { $who }

# Lists to browse: /trending and /discover
discord-command-trending = trending
discord-command-trending-description = What is trending on TMDB
discord-command-trending-kind = kind
discord-command-trending-kind-description = Movies, shows or both (default: both)
discord-command-trending-window = period
discord-command-trending-window-description = Today or this week (default: this week)
trending-kind-all = Movies and shows
trending-kind-movie = Movies
trending-kind-tv = Shows
trending-window-day = Today
trending-window-week = This week
discord-command-discover = discover
discord-command-discover-description = Browse popular and upcoming titles, or by genre

# Request notes
discord-command-note = note
discord-command-note-description = A short note for the approvers, e.g. for the kids' weekend

# Discord's episode picker (a show's card → one season → its episodes, 25 a page)
discord-episodes-menu = Episodes of one season…
discord-episodes-pick = { $title }, season { $season }: choose the episodes to ask for.
discord-episodes-placeholder = Episodes to ask for…
discord-episodes-none = TMDB lists no episodes for this season yet.
discord-episodes-invalid = That isn't an episode on this page of the picker. Please open it again from the card.
