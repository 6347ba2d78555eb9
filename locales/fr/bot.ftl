# Textes des bots Telegram et Discord. Les variables s’écrivent { $name }.

bot-help =
    Je trouve des films et des séries et demande qu’ils soient ajoutés.
    /movie <titre> — chercher un film
    /tv <titre> — chercher une série
    /request <titre> — chercher les deux
    /mine — tes demandes
    /cancel <numéro> — retirer une demande en attente
    /pending — demandes en attente d’approbation (approbateurs)
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
