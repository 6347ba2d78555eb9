# Testi dei bot Telegram e Discord. Le variabili sono scritte { $name }.

bot-help =
    Trovo film e serie TV e chiedo che vengano aggiunti.
    /movie <titolo> — cerca un film
    /tv <titolo> — cerca una serie TV
    /request <titolo> — cerca entrambi
    /mine — le tue richieste
    /cancel <numero> — ritira una richiesta in attesa
    /pending — richieste in attesa di approvazione (approvatori)
bot-usage-search = Dimmi cosa cercare, ad es. /movie Dune
bot-no-results = Nessun risultato per «{ $query }».
bot-search-unavailable = La ricerca non è ancora configurata; chiedi a un admin.
bot-button-request = Richiedi
bot-button-approve = ✅ Approva
bot-button-decline = ❌ Rifiuta
bot-decline-reason-0 = Non disponibile in buona qualità
bot-decline-reason-1 = Già nella libreria
bot-decline-reason-2 = Non adatto a questo server
bot-requested = Richiesta inviata! Un approvatore le darà un’occhiata.
bot-auto-approved = Approvata subito; è in arrivo.
bot-followed = Qualcuno l’ha già richiesto; ti avviso quando è disponibile.
bot-invalid-button = Questo pulsante non è più valido.
bot-approved = Richiesta approvata.
bot-declined = Richiesta rifiutata.
bot-pick-reason = Scegli un motivo.
bot-approver-card = Nuova richiesta #{ $id }: { $title } ({ $kind }) da { $who }
bot-kind-movie = film
bot-kind-tv = serie TV
bot-decided = { $status } da { $who }
bot-declined-reason = Motivo: { $reason }
bot-dm-status = La tua richiesta per { $title } ora è { $status }.
bot-mine-empty = Non hai ancora nessuna richiesta.
bot-mine-line = #{ $id } { $title } — { $status }
bot-pending-empty = Nessuna richiesta in attesa di approvazione.
bot-cancel-usage = Usa /cancel <numero>; /mine mostra i numeri.
bot-cancelled = Richiesta #{ $id } annullata.
bot-not-allowed = Il bot non può essere usato in questa chat.
