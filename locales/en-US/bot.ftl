# Telegram and Discord bot texts. Variables are wrapped in { $name }.

bot-help =
    I find movies and shows and ask for them to be added.
    /movie <title> — find a movie
    /tv <title> — find a show
    /request <title> — find either
    /mine — your requests
    /cancel <number> — withdraw a pending request
    /pending — requests waiting for approval (approvers)
    /link — join this account with Discord or the web console
    /language — choose the language I write in
    /issue <title> — <problem> — report a problem with a title in the library
    /trending [movie|tv] [day] — what is trending, marked when it is already there
    /discover — browse popular and upcoming titles, or a genre
    /tv <show> S02E05 — ask for single episodes (S02E05-E07 for several)
    /movie <title> -- <note> — add a note for the approvers, e.g. /movie Dune -- for the kids' weekend
bot-usage-search = Tell me what to look for, e.g. /movie Dune
bot-no-results = Nothing found for “{ $query }”.
bot-search-unavailable = Search isn't set up yet; ask an admin.
bot-button-request = Request
bot-button-approve = ✅ Approve
bot-button-decline = ❌ Decline
bot-decline-reason-0 = Not available in good quality
bot-decline-reason-1 = Already in the library
bot-decline-reason-2 = Not for this server
bot-requested = Requested! An approver will have a look.
bot-auto-approved = Approved right away; it's on its way.
bot-followed = Someone already asked for this; you'll hear when it's there.
bot-invalid-button = This button is no longer valid.
bot-approved = Approved.
bot-declined = Declined.
bot-pick-reason = Pick a reason.
bot-approver-card = New request #{ $id }: { $title } ({ $kind }) from { $who }
bot-kind-movie = movie
bot-kind-tv = TV show
bot-decided = { $status } by { $who }
bot-declined-reason = Reason: { $reason }
bot-dm-status = Your request for { $title } is now { $status }.
bot-mine-empty = You have no requests yet.
bot-mine-line = #{ $id } { $title } — { $status }
bot-pending-empty = Nothing waits for approval.
bot-cancel-usage = Use /cancel <number>; /mine shows the numbers.
bot-cancelled = Request #{ $id } cancelled.
bot-not-allowed = This chat can't use the bot.

# /start, /link, /language and the command list (setMyCommands).
bot-welcome = Hello { $name }! Send me a title, or use one of these:
bot-command-start = Welcome and what I can do
bot-command-help = What I can do
bot-command-movie = Find a movie to request
bot-command-tv = Find a TV show to request
bot-command-request = Find a movie or show to request
bot-command-mine = Your requests and their status
bot-command-cancel = Withdraw one of your pending requests
bot-command-pending = Requests waiting for approval
bot-command-link = Join this account with Discord or the console
bot-command-language = Choose the language I write in
bot-language-name = English
bot-language-automatic = Automatic (your app's language)
bot-language-pick = Which language should I write to you in?
bot-language-chosen = From now on I write to you in English.
bot-language-follow-app = From now on I follow your app's language.
bot-link-code =
    Your link code: { $code }
    It works once, within { $minutes } minutes. Enter it where you want to join this account: on the web console's Account page, or with /link on Discord.
bot-link-private = Link codes are personal: send /link to me in a private chat.
bot-link-done = Linked: this Telegram account now belongs to the same Usher account as the one that made the code.
bot-link-invalid = That code is wrong or expired. Ask for a new one with /link where you made it.
bot-link-already = These accounts are linked already.
# Someone the bot refuses (USHER_TELEGRAM_REGISTRATION=refuse) and how they get in.
bot-not-registered = You are not registered here yet. Ask an admin for a link code, then send me /link CODE (or open the invite link they give you: it sends /start link-CODE).
bot-not-registered-short = You are not registered here. Ask an admin for a link code, then send me /link CODE.
# An admin posting anonymously as the group (Telegram's GroupAnonymousBot): no one to act as.
bot-post-as-yourself = You are posting anonymously as the group, so I can't tell who you are. Turn off “Remain anonymous” in your admin rights (or post as yourself) and try again.
# Declining with a reason of one's own: a prompt the approver answers by replying.
bot-button-decline-other = ✏️ Other reason…
bot-decline-ask = { $who }, reply to this message with the reason for declining #{ $id } ({ $title }).
bot-decline-reply = Reply to my message with the reason.

# A request that failed: its card in the admin chats shows the upstream's answer to the last
# attempt and, apart, the circuit breaker; Retry sends it again.
bot-failed-card = ⚠️ Request #{ $id } failed: { $title } ({ $kind }) from { $who }
bot-failure-answer = { $service } answered HTTP { $status }: { $message }
bot-failure-answer-bare = { $service } answered HTTP { $status }
bot-failure-no-answer = { $service }: { $message }
bot-failure-paused-no-answer = { $service } was not called: calls were already paused
bot-failure-breaker-open = open: calls to { $service } are paused after repeated failures
bot-failure-breaker-closed = closed
bot-failure-breaker = Circuit breaker: { $state }
bot-failure-breaker-title = Circuit breaker
bot-failure-answer-title = Last attempt
bot-failure-attempts = Attempts: { $count }
bot-button-retry = 🔁 Retry
bot-retried = Sent again by { $who }
bot-mine-progress = ⬇️ { $percent } %
bot-mine-progress-eta = ⬇️ { $percent } %, ~{ $minutes } min

# Security alerts in the admin chats (names, addresses and counts only, never a secret).
security-alert-failed-sign-in = 🚨 Security: { $seen } failed console sign-ins ({ $method }) from { $from } within { $minutes } minutes.
security-alert-forged-button = 🚨 Security: a forged or replayed button was pressed on { $platform } by user { $from }.
security-alert-bad-signature = 🚨 Security: { $seen } requests to { $endpoint } from { $from } carried a bad signature or token within { $minutes } minutes.
security-alert-new-admin = 🚨 Security: { $user } is now an admin (by { $by }).
security-alert-api-key-created = 🚨 Security: API key “{ $name }” was created.
security-alert-api-key-revoked = 🚨 Security: API key “{ $name }” was revoked.
security-alert-secret-rotated = 🚨 Security: the master key was rotated; { $count } stored secrets were re-sealed.

# Lists to browse: /trending and /discover
bot-command-trending = What is trending (add movie, tv or day)
bot-command-discover = Browse popular, upcoming and by genre
# Places: group voting and /mine's allowance
bot-vote-card = { $who } asked for { $title }. Want it too? Vote below — you'll be told when it's there.
bot-vote-button = 🙋 I want this too ({ $votes })
bot-vote-counted = Counted: { $votes } people want this.
bot-vote-counted-of = Counted: { $votes } of the { $threshold } votes that approve it.
bot-vote-approved = That's { $votes } votes — approved! It's on its way.
bot-vote-already = Your vote already counts ({ $votes } so far).
bot-vote-requester = You asked for it: your request already counts as your vote.
bot-vote-closed = This request is no longer waiting for votes: it is { $status }.
bot-allowance-personal = Your quota:
bot-allowance-place = This chat's shared budget:
bot-allowance-movies = Movies
bot-allowance-seasons = Seasons
bot-allowance-line = { $kind }: { $left } of { $max } left per { $days } days
bot-allowance-renews = (renews { $when })
