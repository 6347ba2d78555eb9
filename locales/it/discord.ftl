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
    /richiedi film o /richiedi serie — cerca un titolo (scegli un suggerimento), poi premi Richiedi
    /mie-richieste — le tue richieste
    /annulla — ritira una richiesta in attesa tramite il suo numero
    /in-attesa — richieste in attesa di approvazione (approvatori)
    /collega — un codice per unire questo account a un altro (o alla console web)
    /problema — segnala un problema con un titolo della libreria (audio sbagliato, sottotitoli mancanti…)
    /tendenze — cosa è di tendenza, segnato se c’è già
    /scopri — sfoglia titoli popolari, in arrivo o per genere
    /richiedi serie titolo:Serie S02E05 — richiedi singoli episodi (S02E05-E07 per più episodi)
    /richiedi … nota: — aggiungi una nota per gli approvatori, ad es. «per il weekend dei bambini»
    Ti scrivo in privato quando ciò che hai chiesto è disponibile.
discord-cancel-usage = Indica il numero della richiesta; /mie-richieste li mostra.
discord-pending-footer = #{ $id } · richiesto da { $who }
discord-pending-more = Ce ne sono altre in attesa; il canale degli admin le ha tutte.
discord-too-slow = Ci è voluto troppo; riprova, per favore.

# Slash command names and descriptions as Discord shows them (see en-US).
discord-command-request = richiedi
discord-command-request-description = Richiedi un film o una serie
discord-command-request-movie = film
discord-command-request-movie-description = Richiedi un film
discord-command-request-tv = serie
discord-command-request-tv-description = Richiedi una serie
discord-command-title-movie = titolo
discord-command-title-movie-description = Il titolo del film
discord-command-title-tv = titolo
discord-command-title-tv-description = Il titolo della serie
discord-command-mine = mie-richieste
discord-command-mine-description = Le tue richieste e il loro stato
discord-command-cancel = annulla
discord-command-cancel-description = Ritira una delle tue richieste in attesa
discord-command-cancel-request = richiesta
discord-command-cancel-request-description = Il numero della richiesta (/mie-richieste lo mostra)
discord-command-pending = in-attesa
discord-command-pending-description = Richieste in attesa di approvazione (approvatori)
discord-command-help = aiuto
discord-command-help-description = Cosa so fare
discord-command-link = collega
discord-command-link-description = Ottieni un codice per unire i tuoi account, o inseriscine uno
discord-command-link-code = codice
discord-command-link-code-description = Un codice da un altro account o dalla console web

# /link: joining accounts with a one-time code.
discord-link-code = Il tuo codice di collegamento: { $code } (valido { $minutes } minuti, una volta). Inseriscilo sull'altro account: con /collega codice in Discord o nella pagina Account della console web.
discord-link-done = Collegato: questo account Discord ora appartiene allo stesso utente Usher del codice.
discord-link-bad-code = Quel codice è sbagliato o è scaduto. Chiedine uno nuovo con /collega.
discord-link-already = Questi account sono già collegati.

# An interaction from a guild outside USHER_DISCORD_GUILD_IDS.
discord-guild-not-served = Questo bot non serve questo server.

# La scheda di ricerca: i suoi pulsanti e il menu delle stagioni di una serie.
discord-button-in-library = Nella libreria
discord-season-all = Tutte le stagioni
discord-season = Stagione { $number }
discord-pick-seasons-4k = Scegli le stagioni in 4K…
discord-seasons-recent = { $count } stagioni: il menu elenca le { $shown } più recenti; «Tutte le stagioni» le chiede tutte.
discord-season-invalid = Questa non è una stagione di questa serie. Cerca di nuovo.
discord-season-none = Scegli anche almeno una stagione (o Tutte le stagioni).
discord-members-only = Solo i membri con il ruolo giusto su questo server possono usare questo bot. Chiedi a un admin se pensi di doverlo avere.
discord-not-registered = Non hai ancora un account Usher. Chiedi a un admin un codice di collegamento, poi scrivi /collega codice: seguito dal codice.
discord-announce = **{ $who }** ha richiesto **{ $title }**
discord-button-retry = Riprova
discord-card-failed = La richiesta #{ $id } non è riuscita · richiesta da { $who } · tentativi: { $count }
discord-card-retried = Inviata di nuovo da { $who }

# Lists to browse: /trending and /discover
discord-command-trending = tendenze
discord-command-trending-description = Cosa è di tendenza su TMDB
discord-command-trending-kind = tipo
discord-command-trending-kind-description = Film, serie o entrambi (predefinito: entrambi)
discord-command-trending-window = periodo
discord-command-trending-window-description = Oggi o questa settimana (predefinito: questa settimana)
trending-kind-all = Film e serie
trending-kind-movie = Film
trending-kind-tv = Serie
trending-window-day = Oggi
trending-window-week = Questa settimana
discord-command-discover = scopri
discord-command-discover-description = Sfoglia titoli popolari e in arrivo, o per genere

# Request notes
discord-command-note = nota
discord-command-note-description = Una breve nota per chi approva, ad es. per il weekend dei bambini

# Discord's episode picker (a show's card → one season → its episodes, 25 a page)
discord-episodes-menu = Episodi di una stagione…
discord-episodes-pick = { $title }, stagione { $season }: scegli gli episodi da richiedere.
discord-episodes-placeholder = Episodi da richiedere…
discord-episodes-none = TMDB non elenca ancora episodi per questa stagione.
discord-episodes-invalid = Questo non è un episodio di questa pagina del selettore. Riaprilo dalla scheda.
