# Textos de los bots de Telegram y Discord. Las variables van entre { $name }.

bot-help =
    Busco películas y series y pido que se agreguen.
    /movie <título> — buscar una película
    /tv <título> — buscar una serie
    /request <título> — buscar ambas
    /mine — tus solicitudes
    /cancel <número> — retirar una solicitud pendiente
    /pending — solicitudes que esperan aprobación (aprobadores)
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
