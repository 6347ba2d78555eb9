# Messaggi dei bot di chat (Discord e Telegram). Le variabili sono scritte { $name }.

discord-unsupported = Questo non so ancora farlo.
discord-search-off = La ricerca non è ancora configurata: un admin deve aggiungere una chiave TMDB.
discord-no-results = Nessun risultato per questo titolo.
discord-forged = Questo pulsante non è (più) valido. Cerca di nuovo.
discord-button-request = Richiedi
discord-button-approve = Approva
discord-button-decline = Rifiuta
discord-requested = Richiesta per { $title } inviata. Un approvatore le darà un’occhiata; ti avviso quando è disponibile.
discord-auto-approved = La richiesta per { $title } è stata approvata ed è in arrivo. Ti avviso quando è disponibile.
discord-following = Qualcuno ha già richiesto { $title }. Avviso anche te quando è disponibile.
discord-card-requested-by = Richiesta di { $who }
discord-card-approved = Approvata da { $who }
discord-card-declined = Rifiutata da { $who }
discord-card-declined-reason = Rifiutata da { $who }: { $reason }
discord-decline-title = Rifiuta { $title }
discord-decline-label = Motivo (chi ha chiesto lo vedrà)
discord-decline-placeholder = es. Non ancora disponibile in buona qualità
discord-help =
    Trovo film e serie e chiedo che vengano aggiunti.
    /request movie o /request tv — cerca un titolo (scegli un suggerimento), poi premi Richiedi
    /mine — le tue richieste
    /cancel — ritira una richiesta in attesa tramite il suo numero
    /pending — richieste in attesa di approvazione (approvatori)
    Ti scrivo in privato quando ciò che hai chiesto è disponibile.
discord-cancel-usage = Indica il numero della richiesta; /mine li mostra.
discord-pending-footer = #{ $id } · richiesto da { $who }
discord-pending-more = Ce ne sono altre in attesa; il canale degli admin le ha tutte.
discord-too-slow = Ci è voluto troppo; riprova, per favore.
