# Testi dei bot Telegram e Discord. Le variabili sono scritte { $name }.

bot-help =
    Trovo film e serie TV e chiedo che vengano aggiunti.
    /movie <titolo> — cerca un film
    /tv <titolo> — cerca una serie TV
    /request <titolo> — cerca entrambi
    /mine — le tue richieste
    /cancel <numero> — ritira una richiesta in attesa
    /pending — richieste in attesa di approvazione (approvatori)
    /link — collega questo account a Discord o alla console web
    /language — scegli la lingua in cui scrivo
    /issue <titolo> — <problema> — segnala un problema con un titolo della libreria
    /trending [movie|tv] [day] — cosa è di tendenza, segnato se c’è già
    /discover — sfoglia titoli popolari, in arrivo o per genere
    /tv <serie> S02E05 — richiedi singoli episodi (S02E05-E07 per più episodi)
    /movie <titolo> -- <nota> — aggiungi una nota per gli approvatori, ad es. /movie Dune -- per il weekend dei bambini
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

# /start, /link, /language e l’elenco dei comandi (setMyCommands).
bot-welcome = Ciao { $name }! Mandami un titolo o usa uno di questi comandi:
bot-command-start = Benvenuto e cosa so fare
bot-command-help = Cosa so fare
bot-command-movie = Cerca un film da richiedere
bot-command-tv = Cerca una serie TV da richiedere
bot-command-request = Cerca un film o una serie
bot-command-mine = Le tue richieste e il loro stato
bot-command-cancel = Ritira una delle tue richieste in attesa
bot-command-pending = Richieste in attesa di approvazione
bot-command-link = Collega questo account a Discord o alla console
bot-command-language = Scegli la lingua in cui scrivo
bot-language-name = Italiano
bot-language-automatic = Automatica (lingua della tua app)
bot-language-pick = In che lingua devo scriverti?
bot-language-chosen = D’ora in poi ti scrivo in italiano.
bot-language-follow-app = D’ora in poi seguo la lingua della tua app.
bot-link-code =
    Il tuo codice di collegamento: { $code }
    Vale una volta sola, entro { $minutes } minuti. Inseriscilo dove vuoi collegare questo account: nella pagina Account della console web o con /link su Discord.
bot-link-private = I codici di collegamento sono personali: mandami /link in una chat privata.
bot-link-done = Collegato: questo account Telegram ora appartiene allo stesso account Usher di quello che ha creato il codice.
bot-link-invalid = Questo codice è sbagliato o scaduto. Chiedine uno nuovo con /link dove l’hai creato.
bot-link-already = Questi account sono già collegati.
# Someone the bot refuses (USHER_TELEGRAM_REGISTRATION=refuse) and how they get in.
bot-not-registered = Non sei ancora registrato qui. Chiedi a un admin un codice di collegamento, poi mandami /link CODICE (oppure apri il link d’invito che ti dà: invia /start link-CODICE).
bot-not-registered-short = Non sei registrato qui. Chiedi a un admin un codice di collegamento, poi mandami /link CODICE.
bot-post-as-yourself = Stai scrivendo in forma anonima come il gruppo, quindi non so chi sei. Disattiva «Rimani anonimo» nei tuoi permessi da admin (o scrivi a tuo nome) e riprova.
# Rifiutare con un motivo proprio: una domanda a cui l’approvatore risponde.
bot-button-decline-other = ✏️ Altro motivo…
bot-decline-ask = { $who }, rispondi a questo messaggio con il motivo per rifiutare #{ $id } ({ $title }).
bot-decline-reply = Rispondi al mio messaggio con il motivo.

# A request that failed: its card in the admin chats shows the upstream's answer to the last
# attempt and, apart, the circuit breaker; Retry sends it again.
bot-failed-card = ⚠️ La richiesta #{ $id } non è riuscita: { $title } ({ $kind }) da { $who }
bot-failure-answer = { $service } ha risposto HTTP { $status }: { $message }
bot-failure-answer-bare = { $service } ha risposto HTTP { $status }
bot-failure-no-answer = { $service }: { $message }
bot-failure-paused-no-answer = { $service } non è stato chiamato: le chiamate erano già in pausa
bot-failure-breaker-open = aperto: le chiamate a { $service } sono in pausa dopo errori ripetuti
bot-failure-breaker-closed = chiuso
bot-failure-breaker = Interruttore: { $state }
bot-failure-breaker-title = Interruttore
bot-failure-answer-title = Ultimo tentativo
bot-failure-attempts = Tentativi: { $count }
bot-button-retry = 🔁 Riprova
bot-retried = Inviata di nuovo da { $who }
bot-mine-progress = ⬇️ { $percent } %
bot-mine-progress-eta = ⬇️ { $percent } %, ~{ $minutes } min

# Avvisi di sicurezza nella chat degli admin (solo nomi, indirizzi e numeri, mai un segreto).
security-alert-failed-sign-in = 🚨 Sicurezza: { $seen } accessi alla console falliti ({ $method }) da { $from } in { $minutes } minuti.
security-alert-forged-button = 🚨 Sicurezza: un pulsante falsificato o riutilizzato è stato premuto su { $platform } dall’utente { $from }.
security-alert-bad-signature = 🚨 Sicurezza: { $seen } richieste a { $endpoint } da { $from } avevano una firma o un token non validi in { $minutes } minuti.
security-alert-new-admin = 🚨 Sicurezza: { $user } ora è admin (da { $by }).
security-alert-api-key-created = 🚨 Sicurezza: è stata creata la chiave API «{ $name }».
security-alert-api-key-revoked = 🚨 Sicurezza: è stata revocata la chiave API «{ $name }».
security-alert-secret-rotated = 🚨 Sicurezza: la chiave principale è stata cambiata; { $count } segreti salvati sono stati sigillati di nuovo.

# Lists to browse: /trending and /discover
bot-command-trending = Cosa è di tendenza (aggiungi movie, tv o day)
bot-command-discover = Sfoglia i popolari, le uscite in arrivo e per genere
# Places: group voting and /mine's allowance
bot-vote-card = { $who } ha chiesto { $title }. Lo vuoi anche tu? Vota qui sotto: ti avviseremo quando c'è.
bot-vote-button = 🙋 Lo voglio anch'io ({ $votes })
bot-vote-counted = Contato: { $votes } persone lo vogliono.
bot-vote-counted-of = Contato: { $votes } dei { $threshold } voti che lo approvano.
bot-vote-approved = Sono { $votes } voti: approvato! È in arrivo.
bot-vote-already = Il tuo voto conta già ({ $votes } finora).
bot-vote-requester = L'hai chiesto tu: la tua richiesta conta già come tuo voto.
bot-vote-closed = Questa richiesta non aspetta più voti: è { $status }.
bot-allowance-personal = La tua quota:
bot-allowance-place = Budget comune di questa chat:
bot-allowance-movies = Film
bot-allowance-seasons = Stagioni
bot-allowance-line = { $kind }: { $left } di { $max } rimasti ogni { $days } giorni
bot-allowance-renews = (si rinnova il { $when })
