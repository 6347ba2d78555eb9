# Messages affichés par toutes les interfaces (bots et console). Les variables s’écrivent { $name }.

error-not-found = Je n’ai pas trouvé ça.
error-forbidden = Tu n’as pas le droit de faire ça.
error-invalid = Quelque chose ne va pas : { $detail }
error-conflict = Ça a changé entre-temps ; réessaie, s’il te plaît.
error-illegal-transition = Cette demande est { $from } et ne peut plus être modifiée de cette façon.
error-already-decided = Déjà { $status } par { $who }.
error-already-requested = Tu as déjà demandé ça.
error-already-available = C’est déjà dans la bibliothèque. Bon visionnage !
error-issue-not-in-library = Ce titre n’est pas encore dans la bibliothèque, il n’y a donc rien à signaler : demandez-le plutôt.
error-issue-already-open = Vous avez déjà signalé un problème avec ce titre (#{ $id }) ; un approbateur va s’en occuper.
error-issue-already-resolved = Le signalement #{ $id } est déjà résolu.
error-quota = Tu as atteint ta limite de { $max } sur { $days } jours.
error-quota-next = Tu pourras refaire une demande à partir du { $when }.
error-quota-never = C’est plus que ce que ta limite de { $max } autorise en une seule fois.
error-upstream = { $service } est injoignable pour le moment, cela n'a donc pas pu être fait. Réessaie dans quelques minutes.
error-search-unavailable = La recherche est indisponible pour le moment ({ $service } ne répond pas). Réessaie dans quelques minutes.
error-internal = Un problème est survenu de notre côté. Réessaie dans un instant.
error-not-saved = Impossible d'enregistrer : le stockage du serveur est plein ou défaillant. Rien n'a été modifié ; réessaie plus tard.
someone = quelqu’un

status-pending = en attente
status-approved = approuvée
status-submitted = en cours de téléchargement
status-partially_available = partiellement disponible
status-available = disponible
status-declined = refusée
status-failed = en échec
status-cancelled = annulée

# Content limits: a title outside the person's limit, asked for by id
error-not-offered = Ce titre n’est pas disponible pour vous.
# Places: a group chat's or server's shared budget
error-budget = Le budget commun de ce chat, { $max } tous les { $days } jours, est épuisé.
error-budget-next = Il se renouvelle le { $when }.
error-budget-never = C’est plus que ce que le budget de ce chat, { $max }, autorise en une seule fois.
