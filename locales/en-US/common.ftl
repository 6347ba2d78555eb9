# Messages every front end shows (bots and console). Variables are wrapped in { $name }.

error-not-found = I couldn't find that.
error-forbidden = You're not allowed to do that.
error-invalid = That doesn't look right: { $detail }
error-conflict = That changed in the meantime; please try again.
error-illegal-transition = This request is { $from } and can't be changed like that anymore.
error-already-decided = Already { $status } by { $who }.
error-already-requested = You've already requested this.
error-already-available = It's already in the library. Enjoy!
error-issue-not-in-library = That title is not in the library yet, so there is nothing to report: request it instead.
error-issue-already-open = You already reported a problem with this title (#{ $id }); an approver will look at it.
error-issue-already-resolved = Report #{ $id } is already resolved.
error-quota = You've reached your limit of { $max } per { $days } days.
error-quota-next = You can request again on { $when }.
error-quota-never = That's more than your limit of { $max } allows at once.
error-upstream = { $service } isn't reachable right now, so that couldn't be done. Please try again in a few minutes.
error-search-unavailable = Search is unavailable right now ({ $service } isn't answering). Please try again in a few minutes.
error-internal = Something went wrong on our side. Please try again in a moment.
error-not-saved = That couldn't be saved: the server's storage is full or failing. Nothing was changed; please try again later.
someone = someone

status-pending = pending
status-approved = approved
status-submitted = being downloaded
status-partially_available = partly available
status-available = available
status-declined = declined
status-failed = failed
status-cancelled = cancelled

# Content limits: a title outside the person's limit, asked for by id
error-not-offered = This title isn't available to you.
# Places: a group chat's or server's shared budget
error-budget = This chat's shared budget of { $max } per { $days } days is used up.
error-budget-next = It renews on { $when }.
error-budget-never = That's more than this chat's budget of { $max } allows at once.
