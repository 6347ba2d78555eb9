# Messages des bots de chat (Discord et Telegram). Les variables s’écrivent { $name }.

discord-unsupported = Je ne sais pas encore faire ça.
discord-search-off = La recherche n’est pas encore configurée : un admin doit ajouter une clé TMDB.
discord-no-results = Rien trouvé pour ce titre.
discord-forged = Ce bouton n’est pas (ou plus) valide. Relance une recherche.
discord-button-request = Demander
discord-button-approve = Approuver
discord-button-decline = Refuser
discord-requested = Demande envoyée pour { $title }. Un approbateur va l’examiner ; je te préviens dès que c’est disponible.
discord-auto-approved = La demande pour { $title } est approuvée et c’est en route. Je te préviens dès que c’est disponible.
discord-following = Quelqu’un a déjà demandé { $title }. Je te préviens toi aussi dès que c’est disponible.
discord-card-requested-by = Demande de { $who }
discord-card-approved = Approuvée par { $who }
discord-card-declined = Refusée par { $who }
discord-card-declined-reason = Refusée par { $who } : { $reason }
discord-decline-title = Refuser { $title }
discord-decline-label = Raison (le demandeur la verra)
discord-decline-placeholder = p. ex. Pas encore disponible en bonne qualité
discord-help =
    Je trouve des films et des séries et demande qu’ils soient ajoutés.
    /demander film ou /demander série — trouver un titre (choisis une suggestion), puis appuie sur Demander
    /mes-demandes — tes demandes
    /annuler — retirer une demande en attente par son numéro
    /en-attente — les demandes en attente d’approbation (approbateurs)
    /lier — un code pour lier ce compte à un autre (ou à la console web)
    /probleme — signaler un problème sur un titre de la bibliothèque (mauvais son, sous-titres manquants…)
    /tendances — ce qui est tendance, marqué quand c’est déjà là
    /découvrir — parcourir les titres populaires, à venir ou par genre
    /demander série titre:Série S02E05 — demander des épisodes précis (S02E05-E07 pour plusieurs)
    /demander … note: — ajouter une note pour les approbateurs, par ex. « pour le week-end des enfants »
    Je t’envoie un message privé dès que ce que tu as demandé est disponible.
discord-cancel-usage = Indique le numéro de la demande ; /mes-demandes les affiche.
discord-pending-footer = #{ $id } · demandé par { $who }
discord-pending-more = D’autres attendent ; le salon des admins les a toutes.
discord-too-slow = Cela a pris trop de temps ; réessaie, s’il te plaît.

# Slash command names and descriptions as Discord shows them (see en-US).
discord-command-request = demander
discord-command-request-description = Demander un film ou une série
discord-command-request-movie = film
discord-command-request-movie-description = Demander un film
discord-command-request-tv = série
discord-command-request-tv-description = Demander une série
discord-command-title-movie = titre
discord-command-title-movie-description = Le titre du film
discord-command-title-tv = titre
discord-command-title-tv-description = Le titre de la série
discord-command-mine = mes-demandes
discord-command-mine-description = Vos demandes et leur état
discord-command-cancel = annuler
discord-command-cancel-description = Retirer une de vos demandes en attente
discord-command-cancel-request = demande
discord-command-cancel-request-description = Le numéro de la demande (/mes-demandes l'affiche)
discord-command-pending = en-attente
discord-command-pending-description = Demandes en attente d'approbation (approbateurs)
discord-command-help = aide
discord-command-help-description = Ce que je sais faire
discord-command-link = lier
discord-command-link-description = Obtenir un code pour lier vos comptes, ou en saisir un
discord-command-link-code = code
discord-command-link-code-description = Un code venant d'un autre compte ou de la console web

# /link: joining accounts with a one-time code.
discord-link-code = Votre code de liaison : { $code } (valable { $minutes } minutes, une fois). Saisissez-le sur votre autre compte : avec /lier code dans Discord, ou sur la page Compte de la console web.
discord-link-done = Lié : ce compte Discord appartient maintenant au même utilisateur Usher que le code.
discord-link-bad-code = Ce code est faux ou a expiré. Demandez-en un nouveau avec /lier.
discord-link-already = Ces comptes sont déjà liés.

# An interaction from a guild outside USHER_DISCORD_GUILD_IDS.
discord-guild-not-served = Ce serveur n'est pas servi par ce bot.

# La fiche de recherche : ses boutons et le menu des saisons d'une série.
discord-button-in-library = Dans la bibliothèque
discord-season-all = Toutes les saisons
discord-season = Saison { $number }
discord-pick-seasons-4k = Choisir des saisons en 4K…
discord-seasons-recent = { $count } saisons : le menu liste les { $shown } plus récentes ; « Toutes les saisons » les demande toutes.
discord-season-invalid = Ce n'est pas une saison de cette série. Relance la recherche.
discord-season-none = Choisis aussi au moins une saison (ou Toutes les saisons).
discord-members-only = Seuls les membres ayant le bon rôle sur ce serveur peuvent utiliser ce bot. Demandez à un admin si vous pensez devoir l'avoir.
discord-not-registered = Vous n'avez pas encore de compte Usher. Demandez un code de liaison à un admin, puis tapez /lier code: suivi du code.
discord-announce = **{ $who }** a demandé **{ $title }**
discord-button-retry = Réessayer
discord-card-failed = La demande #{ $id } a échoué · demandée par { $who } · tentatives : { $count }
discord-card-retried = Renvoyée par { $who }

# Lists to browse: /trending and /discover
discord-command-trending = tendances
discord-command-trending-description = Ce qui est tendance sur TMDB
discord-command-trending-kind = type
discord-command-trending-kind-description = Films, séries ou les deux (par défaut : les deux)
discord-command-trending-window = période
discord-command-trending-window-description = Aujourd'hui ou cette semaine (par défaut : cette semaine)
trending-kind-all = Films et séries
trending-kind-movie = Films
trending-kind-tv = Séries
trending-window-day = Aujourd'hui
trending-window-week = Cette semaine
discord-command-discover = découvrir
discord-command-discover-description = Parcourir les titres populaires et à venir, ou par genre

# Request notes
discord-command-note = note
discord-command-note-description = Une courte note pour les approbateurs, p. ex. pour le week-end des enfants

# Discord's episode picker (a show's card → one season → its episodes, 25 a page)
discord-episodes-menu = Épisodes d'une saison…
discord-episodes-pick = { $title }, saison { $season } : choisis les épisodes à demander.
discord-episodes-placeholder = Épisodes à demander…
discord-episodes-none = TMDB ne liste encore aucun épisode pour cette saison.
discord-episodes-invalid = Ce n'est pas un épisode de cette page du sélecteur. Rouvre-le depuis la fiche.
