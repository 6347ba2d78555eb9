# Issue reports: a member reports a problem with a title the library holds; approvers
# resolve it (Discord /issue, Telegram /issue, the console's Issues page).
bot-command-issue = Signaler un problème sur un titre de la bibliothèque
discord-command-issue = probleme
discord-command-issue-description = Signaler un problème sur un titre de la bibliothèque (son, sous-titres, image…)
discord-command-issue-title = titre
discord-command-issue-title-description = Le titre, tel que la bibliothèque le connaît
discord-command-issue-text = texte
discord-command-issue-text-description = Ce qui ne va pas (mauvais son, sous-titres manquants, image abîmée…)
discord-command-issue-kind = type
discord-command-issue-kind-description = Quel type de problème (facultatif)
discord-issue-usage = Choisissez un titre parmi les suggestions et dites ce qui ne va pas.
issue-kind-video = Image
issue-kind-audio = Son
issue-kind-subtitles = Sous-titres
issue-kind-other = Autre
issue-card-heading = Problème signalé : { $title }
issue-card-details = Signalement #{ $id } · { $kind } · signalé par { $who }
issue-card-resolved = Résolu par { $who }
issue-card-resolved-short = Résolu.
issue-button-resolve = Résoudre
issue-reported = Merci ! Votre signalement #{ $id } sur { $title } a été transmis aux approbateurs. Je vous préviendrai quand il sera résolu.
issue-dm-resolved = Votre signalement #{ $id } sur { $title } a été résolu.
issue-dm-note = Note : { $note }
issue-title-unknown = Je ne trouve pas « { $query } » parmi les titres de la bibliothèque. Vérifiez l’orthographe, ou demandez-le s’il n’y est pas encore.
issue-title-ambiguous = Plusieurs titres de la bibliothèque correspondent à « { $query } » : { $titles }. Écrivez le titre complet.
telegram-issue-usage =
    Donnez-moi le titre et ce qui ne va pas, par ex.
    /issue The Matrix — le son est décalé
    (le titre s’arrête à un retour à la ligne, à « — », « - » ou « | »)
telegram-issue-private = Signalez-moi les problèmes dans une conversation privée, s’il vous plaît.
