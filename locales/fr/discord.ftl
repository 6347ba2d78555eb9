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
discord-decline-reason = Refusée par un approbateur.
