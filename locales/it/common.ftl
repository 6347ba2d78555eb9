# Messaggi mostrati da tutte le interfacce (bot e console). Le variabili sono scritte { $name }.

error-not-found = Non ho trovato nulla.
error-forbidden = Non hai il permesso di farlo.
error-invalid = Qualcosa non va: { $detail }
error-conflict = Nel frattempo è cambiato qualcosa; riprova.
error-illegal-transition = Questa richiesta è { $from } e non può più essere modificata in questo modo.
error-already-decided = È già stata { $status } da { $who }.
error-already-requested = L’hai già richiesto.
error-already-available = È già nella libreria. Buona visione!
error-issue-not-in-library = Questo titolo non è ancora nella libreria, quindi non c’è nulla da segnalare: richiedilo invece.
error-issue-already-open = Hai già segnalato un problema con questo titolo (#{ $id }); un approvatore lo esaminerà.
error-issue-already-resolved = La segnalazione #{ $id } è già risolta.
error-quota = Hai raggiunto il tuo limite di { $max } ogni { $days } giorni.
error-quota-next = Potrai fare una nuova richiesta dal { $when }.
error-quota-never = È più di quanto il tuo limite di { $max } consenta in una volta sola.
error-upstream = { $service } non è raggiungibile al momento, quindi non è stato possibile farlo. Riprova tra qualche minuto.
error-search-unavailable = La ricerca non è disponibile al momento ({ $service } non risponde). Riprova tra qualche minuto.
error-internal = Qualcosa è andato storto da parte nostra. Riprova tra un momento.
error-not-saved = Impossibile salvare: lo spazio di archiviazione del server è pieno o guasto. Non è stato modificato nulla; riprova più tardi.
someone = qualcuno

status-pending = in attesa
status-approved = approvata
status-submitted = in download
status-partially_available = parzialmente disponibile
status-available = disponibile
status-declined = rifiutata
status-failed = fallita
status-cancelled = annullata

# Content limits: a title outside the person's limit, asked for by id
error-not-offered = Questo titolo non è disponibile per te.
# Places: a group chat's or server's shared budget
error-budget = Il budget comune di questa chat di { $max } ogni { $days } giorni è esaurito.
error-budget-next = Si rinnova il { $when }.
error-budget-never = È più di quanto il budget di questa chat di { $max } consenta in una volta sola.
