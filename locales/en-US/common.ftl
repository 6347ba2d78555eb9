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
error-upstream = { $service } isn't reachable right now. Your request is kept and will go through once it's back.
error-internal = Something went wrong on our side. Please try again in a moment.
someone = someone

status-pending = pending
status-approved = approved
status-submitted = being downloaded
status-partially_available = partly available
status-available = available
status-declined = declined
status-failed = failed
status-cancelled = cancelled
