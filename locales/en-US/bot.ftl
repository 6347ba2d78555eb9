# Telegram and Discord bot texts. Variables are wrapped in { $name }.

bot-help =
    I find movies and shows and ask for them to be added.
    /movie <title> — find a movie
    /tv <title> — find a show
    /request <title> — find either
    /mine — your requests
    /cancel <number> — withdraw a pending request
    /pending — requests waiting for approval (approvers)
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
