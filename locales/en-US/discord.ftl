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
    I'll send you a direct message when something you asked for is there.
discord-cancel-usage = Give the request's number; /mine shows them.
discord-pending-footer = #{ $id } · requested by { $who }
discord-pending-more = More are waiting; the admin channel has them all.
discord-too-slow = That took too long; please try again.
