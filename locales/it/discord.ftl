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
discord-decline-reason = Rifiutata da un approvatore.
