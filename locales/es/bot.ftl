# Textos de los bots de Telegram y Discord. Las variables van entre { $name }.

bot-help =
    Busco películas y series y pido que se agreguen.
    /movie <título> — buscar una película
    /tv <título> — buscar una serie
    /request <título> — buscar ambas
    /mine — tus solicitudes
    /cancel <número> — retirar una solicitud pendiente
    /pending — solicitudes que esperan aprobación (aprobadores)
    /link — vincular esta cuenta con Discord o la consola web
    /language — elegir el idioma en que escribo
    /issue <título> — <problema> — reportar un problema con un título de la biblioteca
    /trending [movie|tv] [day] — lo que es tendencia, marcado si ya está
    /discover — explorar títulos populares, próximos o por género
    /tv <serie> S02E05 — pedir episodios sueltos (S02E05-E07 para varios)
    /movie <título> -- <nota> — añadir una nota para los aprobadores, p. ej. /movie Dune -- para el fin de semana de los niños
bot-usage-search = Dime qué debo buscar, p. ej. /movie Dune
bot-no-results = No encontré nada para «{ $query }».
bot-search-unavailable = La búsqueda aún no está configurada; pregúntale a un admin.
bot-button-request = Solicitar
bot-button-approve = ✅ Aprobar
bot-button-decline = ❌ Rechazar
bot-decline-reason-0 = No disponible en buena calidad
bot-decline-reason-1 = Ya está en la biblioteca
bot-decline-reason-2 = No apto para este servidor
bot-requested = ¡Solicitud enviada! Un aprobador la revisará.
bot-auto-approved = Aprobada al instante; ya está en camino.
bot-followed = Alguien ya lo solicitó; te aviso cuando esté disponible.
bot-invalid-button = Este botón ya no es válido.
bot-approved = Solicitud aprobada.
bot-declined = Solicitud rechazada.
bot-pick-reason = Elige un motivo.
bot-approver-card = Nueva solicitud #{ $id }: { $title } ({ $kind }) de { $who }
bot-kind-movie = película
bot-kind-tv = serie
bot-decided = { $status } por { $who }
bot-declined-reason = Motivo: { $reason }
bot-dm-status = Tu solicitud de { $title } ahora está { $status }.
bot-mine-empty = Todavía no tienes solicitudes.
bot-mine-line = #{ $id } { $title } — { $status }
bot-pending-empty = No hay nada pendiente de aprobación.
bot-cancel-usage = Usa /cancel <número>; /mine muestra los números.
bot-cancelled = Solicitud #{ $id } cancelada.
bot-not-allowed = El bot no se puede usar en este chat.

# /start, /link, /language y la lista de comandos (setMyCommands).
bot-welcome = ¡Hola, { $name }! Envíame un título o usa uno de estos comandos:
bot-command-start = Bienvenida y lo que puedo hacer
bot-command-help = Lo que puedo hacer
bot-command-movie = Buscar una película para solicitar
bot-command-tv = Buscar una serie para solicitar
bot-command-request = Buscar una película o una serie
bot-command-mine = Tus solicitudes y su estado
bot-command-cancel = Retirar una de tus solicitudes pendientes
bot-command-pending = Solicitudes que esperan aprobación
bot-command-link = Vincular esta cuenta con Discord o la consola
bot-command-language = Elegir el idioma en que escribo
bot-language-name = Español
bot-language-automatic = Automático (idioma de tu app)
bot-language-pick = ¿En qué idioma debo escribirte?
bot-language-chosen = A partir de ahora te escribo en español.
bot-language-follow-app = A partir de ahora sigo el idioma de tu app.
bot-link-code =
    Tu código de vinculación: { $code }
    Sirve una sola vez, en los próximos { $minutes } minutos. Introdúcelo donde quieras vincular esta cuenta: en la página Cuenta de la consola web o con /link en Discord.
bot-link-private = Los códigos de vinculación son personales: envíame /link en un chat privado.
bot-link-done = Vinculado: esta cuenta de Telegram ahora pertenece a la misma cuenta de Usher que la que creó el código.
bot-link-invalid = Ese código es incorrecto o ha caducado. Pide uno nuevo con /link donde lo creaste.
bot-link-already = Estas cuentas ya están vinculadas.
# Someone the bot refuses (USHER_TELEGRAM_REGISTRATION=refuse) and how they get in.
bot-not-registered = Todavía no estás registrado aquí. Pide a un admin un código de vinculación y luego envíame /link CÓDIGO (o abre el enlace de invitación que te dé: envía /start link-CÓDIGO).
bot-not-registered-short = No estás registrado aquí. Pide a un admin un código de vinculación y luego envíame /link CÓDIGO.
bot-post-as-yourself = Estás escribiendo de forma anónima como el grupo, así que no sé quién eres. Desactiva «Permanecer en el anonimato» en tus permisos de admin (o escribe como tú mismo) y vuelve a intentarlo.
# Rechazar con un motivo propio: una pregunta que el aprobador responde.
bot-button-decline-other = ✏️ Otro motivo…
bot-decline-ask = { $who }, responde a este mensaje con el motivo para rechazar #{ $id } ({ $title }).
bot-decline-reply = Responde a mi mensaje con el motivo.

# A request that failed: its card in the admin chats shows the upstream's answer to the last
# attempt and, apart, the circuit breaker; Retry sends it again.
bot-failed-card = ⚠️ La solicitud #{ $id } falló: { $title } ({ $kind }) de { $who }
bot-failure-answer = { $service } respondió HTTP { $status }: { $message }
bot-failure-answer-bare = { $service } respondió HTTP { $status }
bot-failure-no-answer = { $service }: { $message }
bot-failure-paused-no-answer = No se llamó a { $service }: las llamadas ya estaban en pausa
bot-failure-breaker-open = abierto: las llamadas a { $service } están en pausa tras fallos repetidos
bot-failure-breaker-closed = cerrado
bot-failure-breaker = Disyuntor: { $state }
bot-failure-breaker-title = Disyuntor
bot-failure-answer-title = Último intento
bot-failure-attempts = Intentos: { $count }
bot-button-retry = 🔁 Reintentar
bot-retried = Reenviada por { $who }
bot-mine-progress = ⬇️ { $percent } %
bot-mine-progress-eta = ⬇️ { $percent } %, ~{ $minutes } min

# Alertas de seguridad en el chat de administradores (solo nombres, direcciones y cifras, nunca un secreto).
security-alert-failed-sign-in = 🚨 Seguridad: { $seen } inicios de sesión fallidos en la consola ({ $method }) desde { $from } en { $minutes } minutos.
security-alert-forged-button = 🚨 Seguridad: el usuario { $from } pulsó en { $platform } un botón falsificado o reutilizado.
security-alert-bad-signature = 🚨 Seguridad: { $seen } peticiones a { $endpoint } desde { $from } llevaban una firma o un token no válido en { $minutes } minutos.
security-alert-new-admin = 🚨 Seguridad: { $user } ahora es administrador (por { $by }).
security-alert-api-key-created = 🚨 Seguridad: se creó la clave de API «{ $name }».
security-alert-api-key-revoked = 🚨 Seguridad: se revocó la clave de API «{ $name }».
security-alert-secret-rotated = 🚨 Seguridad: se cambió la clave maestra; se volvieron a sellar { $count } secretos guardados.

# Lists to browse: /trending and /discover
bot-command-trending = Lo que es tendencia (añade movie, tv o day)
bot-command-discover = Explorar lo popular, lo próximo y por género
# Places: group voting and /mine's allowance
bot-vote-card = { $who } pidió { $title }. ¿Tú también lo quieres? Vota abajo: te avisaremos cuando esté.
bot-vote-button = 🙋 Yo también lo quiero ({ $votes })
bot-vote-counted = Contado: { $votes } personas lo quieren.
bot-vote-counted-of = Contado: { $votes } de los { $threshold } votos que lo aprueban.
bot-vote-approved = Son { $votes } votos: ¡aprobado! Ya está en camino.
bot-vote-already = Tu voto ya cuenta ({ $votes } hasta ahora).
bot-vote-requester = Lo pediste tú: tu solicitud ya cuenta como tu voto.
bot-vote-closed = Esta solicitud ya no espera votos: está { $status }.
bot-allowance-personal = Tu cupo:
bot-allowance-place = Presupuesto común de este chat:
bot-allowance-movies = Películas
bot-allowance-seasons = Temporadas
bot-allowance-line = { $kind }: quedan { $left } de { $max } cada { $days } días
bot-allowance-renews = (se renueva el { $when })
