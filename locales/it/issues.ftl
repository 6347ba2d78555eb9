# Issue reports: a member reports a problem with a title the library holds; approvers
# resolve it (Discord /issue, Telegram /issue, the console's Issues page).
bot-command-issue = Segnala un problema con un titolo della libreria
discord-command-issue = problema
discord-command-issue-description = Segnala un problema con un titolo della libreria (audio, sottotitoli, video…)
discord-command-issue-title = titolo
discord-command-issue-title-description = Il titolo, come lo conosce la libreria
discord-command-issue-text = testo
discord-command-issue-text-description = Cosa non va (audio sbagliato, sottotitoli mancanti, video rovinato…)
discord-command-issue-kind = tipo
discord-command-issue-kind-description = Che tipo di problema (facoltativo)
discord-issue-usage = Scegli un titolo tra i suggerimenti e di’ cosa non va.
issue-kind-video = Video
issue-kind-audio = Audio
issue-kind-subtitles = Sottotitoli
issue-kind-other = Altro
issue-card-heading = Problema segnalato: { $title }
issue-card-details = Segnalazione #{ $id } · { $kind } · segnalata da { $who }
issue-card-resolved = Risolta da { $who }
issue-card-resolved-short = Risolta.
issue-button-resolve = Risolvi
issue-reported = Grazie! La tua segnalazione #{ $id } su { $title } è arrivata agli approvatori. Ti avviso quando sarà risolta.
issue-dm-resolved = La tua segnalazione #{ $id } su { $title } è stata risolta.
issue-dm-note = Nota: { $note }
issue-title-unknown = Non trovo «{ $query }» tra i titoli della libreria. Controlla come si scrive, o richiedilo se non c’è ancora.
issue-title-ambiguous = Più titoli della libreria corrispondono a «{ $query }»: { $titles }. Scrivi il titolo completo.
telegram-issue-usage =
    Dimmi il titolo e cosa non va, per esempio
    /issue The Matrix — l’audio è fuori sincrono
    (il titolo finisce a un a capo, a « — », « - » o «|»)
telegram-issue-private = Segnalami i problemi in una chat privata, per favore.
