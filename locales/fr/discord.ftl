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
    /request movie ou /request tv — trouver un titre (choisis une suggestion), puis appuie sur Demander
    /mine — tes demandes
    /cancel — retirer une demande en attente par son numéro
    /pending — les demandes en attente d’approbation (approbateurs)
    Je t’envoie un message privé dès que ce que tu as demandé est disponible.
discord-cancel-usage = Indique le numéro de la demande ; /mine les affiche.
discord-pending-footer = #{ $id } · demandé par { $who }
discord-pending-more = D’autres attendent ; le salon des admins les a toutes.
discord-too-slow = Cela a pris trop de temps ; réessaie, s’il te plaît.
