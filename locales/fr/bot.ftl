# Textes des bots Telegram et Discord. Les variables s’écrivent { $name }.

bot-help =
    Je trouve des films et des séries et demande qu’ils soient ajoutés.
    /movie <titre> — chercher un film
    /tv <titre> — chercher une série
    /request <titre> — chercher les deux
    /mine — tes demandes
    /cancel <numéro> — retirer une demande en attente
    /pending — demandes en attente d’approbation (approbateurs)
    /link — relier ce compte à Discord ou à la console web
    /language — choisir la langue dans laquelle j’écris
    /issue <titre> — <problème> — signaler un problème sur un titre de la bibliothèque
    /trending [movie|tv] [day] — ce qui est tendance, marqué quand c’est déjà là
    /discover — parcourir les titres populaires, à venir ou par genre
    /tv <série> S02E05 — demander des épisodes précis (S02E05-E07 pour plusieurs)
    /movie <titre> -- <note> — ajouter une note pour les approbateurs, par ex. /movie Dune -- pour le week-end des enfants
bot-usage-search = Dis-moi quoi chercher, par ex. /movie Dune
bot-no-results = Rien trouvé pour « { $query } ».
bot-search-unavailable = La recherche n’est pas encore configurée ; demande à un admin.
bot-button-request = Demander
bot-button-approve = ✅ Approuver
bot-button-decline = ❌ Refuser
bot-decline-reason-0 = Pas disponible en bonne qualité
bot-decline-reason-1 = Déjà dans la bibliothèque
bot-decline-reason-2 = Pas adapté à ce serveur
bot-requested = Demande envoyée ! Un approbateur va y jeter un œil.
bot-auto-approved = Approuvée tout de suite ; c’est en route.
bot-followed = Quelqu’un l’a déjà demandé ; je te préviens dès que c’est disponible.
bot-invalid-button = Ce bouton n’est plus valide.
bot-approved = Demande approuvée.
bot-declined = Demande refusée.
bot-pick-reason = Choisis un motif.
bot-approver-card = Nouvelle demande #{ $id } : { $title } ({ $kind }) par { $who }
bot-kind-movie = film
bot-kind-tv = série
bot-decided = { $status } par { $who }
bot-declined-reason = Motif : { $reason }
bot-dm-status = Ta demande pour { $title } est maintenant { $status }.
bot-mine-empty = Tu n’as encore aucune demande.
bot-mine-line = #{ $id } { $title } — { $status }
bot-pending-empty = Aucune demande n’attend d’approbation.
bot-cancel-usage = Utilise /cancel <numéro> ; /mine affiche les numéros.
bot-cancelled = Demande #{ $id } annulée.
bot-not-allowed = Le bot n’est pas disponible dans ce chat.

# /start, /link, /language et la liste des commandes (setMyCommands).
bot-welcome = Bonjour { $name } ! Envoie-moi un titre, ou utilise l’une de ces commandes :
bot-command-start = Accueil et ce que je sais faire
bot-command-help = Ce que je sais faire
bot-command-movie = Chercher un film à demander
bot-command-tv = Chercher une série à demander
bot-command-request = Chercher un film ou une série
bot-command-mine = Tes demandes et leur état
bot-command-cancel = Retirer une de tes demandes en attente
bot-command-pending = Demandes en attente d’approbation
bot-command-link = Relier ce compte à Discord ou à la console
bot-command-language = Choisir la langue dans laquelle j’écris
bot-language-name = Français
bot-language-automatic = Automatique (langue de ton appli)
bot-language-pick = Dans quelle langue dois-je t’écrire ?
bot-language-chosen = Désormais, je t’écris en français.
bot-language-follow-app = Désormais, je suis la langue de ton appli.
bot-link-code =
    Ton code de liaison : { $code }
    Il sert une seule fois, dans les { $minutes } minutes. Saisis-le là où tu veux relier ce compte : sur la page Compte de la console web, ou avec /link sur Discord.
bot-link-private = Les codes de liaison sont personnels : envoie-moi /link dans une conversation privée.
bot-link-done = C’est relié : ce compte Telegram appartient maintenant au même compte Usher que celui qui a créé le code.
bot-link-invalid = Ce code est faux ou a expiré. Demandes-en un nouveau avec /link là où tu l’as créé.
bot-link-already = Ces comptes sont déjà reliés.
# Someone the bot refuses (USHER_TELEGRAM_REGISTRATION=refuse) and how they get in.
bot-not-registered = Tu n’es pas encore inscrit ici. Demande un code de liaison à un admin, puis envoie-moi /link CODE (ou ouvre le lien d’invitation qu’il te donne : il envoie /start link-CODE).
bot-not-registered-short = Tu n’es pas inscrit ici. Demande un code de liaison à un admin, puis envoie-moi /link CODE.
bot-post-as-yourself = Tu écris anonymement au nom du groupe, je ne peux donc pas savoir qui tu es. Désactive « Rester anonyme » dans tes droits d’admin (ou écris en ton nom) et réessaie.
# Refuser avec un motif à soi : une question à laquelle l’approbateur répond.
bot-button-decline-other = ✏️ Autre motif…
bot-decline-ask = { $who }, réponds à ce message avec le motif du refus de #{ $id } ({ $title }).
bot-decline-reply = Réponds à mon message avec le motif.

# A request that failed: its card in the admin chats shows the upstream's answer to the last
# attempt and, apart, the circuit breaker; Retry sends it again.
bot-failed-card = ⚠️ La demande #{ $id } a échoué : { $title } ({ $kind }) par { $who }
bot-failure-answer = { $service } a répondu HTTP { $status } : { $message }
bot-failure-answer-bare = { $service } a répondu HTTP { $status }
bot-failure-no-answer = { $service } : { $message }
bot-failure-paused-no-answer = { $service } n'a pas été appelé : les appels étaient déjà suspendus
bot-failure-breaker-open = ouvert : les appels à { $service } sont suspendus après des échecs répétés
bot-failure-breaker-closed = fermé
bot-failure-breaker = Disjoncteur : { $state }
bot-failure-breaker-title = Disjoncteur
bot-failure-answer-title = Dernière tentative
bot-failure-attempts = Tentatives : { $count }
bot-button-retry = 🔁 Réessayer
bot-retried = Renvoyée par { $who }
bot-mine-progress = ⬇️ { $percent } %
bot-mine-progress-eta = ⬇️ { $percent } %, ~{ $minutes } min

# Alertes de sécurité dans le salon des admins (noms, adresses et nombres seulement, jamais un secret).
security-alert-failed-sign-in = 🚨 Sécurité : { $seen } connexions à la console échouées ({ $method }) depuis { $from } en { $minutes } minutes.
security-alert-forged-button = 🚨 Sécurité : un bouton falsifié ou rejoué a été pressé sur { $platform } par l’utilisateur { $from }.
security-alert-bad-signature = 🚨 Sécurité : { $seen } requêtes vers { $endpoint } depuis { $from } portaient une signature ou un jeton invalide en { $minutes } minutes.
security-alert-new-admin = 🚨 Sécurité : { $user } est maintenant admin (par { $by }).
security-alert-api-key-created = 🚨 Sécurité : la clé d’API « { $name } » a été créée.
security-alert-api-key-revoked = 🚨 Sécurité : la clé d’API « { $name } » a été révoquée.
security-alert-secret-rotated = 🚨 Sécurité : la clé maîtresse a été changée ; { $count } secrets enregistrés ont été rescellés.

# Lists to browse: /trending and /discover
bot-command-trending = Ce qui est tendance (ajoutez movie, tv ou day)
bot-command-discover = Parcourir les populaires, les sorties à venir et par genre
# Places: group voting and /mine's allowance
bot-vote-card = { $who } a demandé { $title }. Toi aussi ? Vote ci-dessous — tu seras prévenu quand ce sera là.
bot-vote-button = 🙋 Moi aussi ({ $votes })
bot-vote-counted = Compté : { $votes } personnes le veulent.
bot-vote-counted-of = Compté : { $votes } sur les { $threshold } votes qui l’approuvent.
bot-vote-approved = Ça fait { $votes } votes — approuvé ! C’est en route.
bot-vote-already = Ton vote compte déjà ({ $votes } pour l’instant).
bot-vote-requester = C’est ta demande : elle compte déjà comme ton vote.
bot-vote-closed = Cette demande n’attend plus de votes : elle est { $status }.
bot-allowance-personal = Ton quota :
bot-allowance-place = Budget commun de ce chat :
bot-allowance-movies = Films
bot-allowance-seasons = Saisons
bot-allowance-line = { $kind } : { $left } sur { $max } restants par { $days } jours
bot-allowance-renews = (renouvelé le { $when })
