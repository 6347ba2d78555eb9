# Issue reports: a member reports a problem with a title the library holds; approvers
# resolve it (Discord /issue, Telegram /issue, the console's Issues page).
bot-command-issue = Report a problem with a title in the library
discord-command-issue = issue
discord-command-issue-description = Report a problem with a title in the library (audio, subtitles, video…)
discord-command-issue-title = title
discord-command-issue-title-description = The title, as the library holds it
discord-command-issue-text = text
discord-command-issue-text-description = What is wrong (wrong audio, missing subtitles, bad video…)
discord-command-issue-kind = kind
discord-command-issue-kind-description = What kind of problem (optional)
discord-issue-usage = Pick a title from the suggestions and say what is wrong.
issue-kind-video = Video
issue-kind-audio = Audio
issue-kind-subtitles = Subtitles
issue-kind-other = Other
issue-card-heading = Problem reported: { $title }
issue-card-details = Report #{ $id } · { $kind } · reported by { $who }
issue-card-resolved = Resolved by { $who }
issue-card-resolved-short = Resolved.
issue-button-resolve = Resolve
issue-reported = Thanks! Your report #{ $id } about { $title } went to the approvers. I'll tell you when it is resolved.
issue-dm-resolved = Your report #{ $id } about { $title } was resolved.
issue-dm-note = Note: { $note }
issue-title-unknown = I can't find “{ $query }” among the titles in the library. Check the spelling, or request it if it isn't there yet.
issue-title-ambiguous = Several titles in the library match “{ $query }”: { $titles }. Please write the full title.
telegram-issue-usage =
    Tell me the title and what is wrong, e.g.
    /issue The Matrix — the audio is out of sync
    (the title ends at a new line, at “ — ”, “ - ” or “|”)
telegram-issue-private = Please report problems to me in a private chat.
