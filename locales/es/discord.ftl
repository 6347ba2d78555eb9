# Mensajes de los bots de chat (Discord y Telegram). Las variables van entre { $name }.

discord-unsupported = Eso todavía no sé hacerlo.
discord-search-off = La búsqueda aún no está configurada: un admin tiene que agregar una clave de TMDB.
discord-no-results = No encontré nada con ese título.
discord-forged = Este botón no es válido (o ya no lo es). Vuelve a buscar.
discord-button-request = Solicitar
discord-button-approve = Aprobar
discord-button-decline = Rechazar
discord-requested = Solicitud de { $title } enviada. Un aprobador la revisará; te aviso cuando esté disponible.
discord-auto-approved = La solicitud de { $title } está aprobada y en camino. Te aviso cuando esté disponible.
discord-following = Alguien ya solicitó { $title }. A ti también te aviso cuando esté disponible.
discord-card-requested-by = Solicitud de { $who }
discord-card-approved = Aprobada por { $who }
discord-card-declined = Rechazada por { $who }
discord-card-declined-reason = Rechazada por { $who }: { $reason }
discord-decline-title = Rechazar { $title }
discord-decline-label = Motivo (quien lo pidió lo verá)
discord-decline-placeholder = p. ej. Aún no está disponible en buena calidad
discord-help =
    Encuentro películas y series y pido que se añadan.
    /request movie o /request tv — busca un título (elige una sugerencia) y pulsa Solicitar
    /mine — tus solicitudes
    /cancel — retira una solicitud pendiente por su número
    /pending — solicitudes que esperan aprobación (aprobadores)
    Te escribo por mensaje privado cuando lo que pediste esté disponible.
discord-cancel-usage = Indica el número de la solicitud; /mine los muestra.
discord-pending-footer = #{ $id } · pedido por { $who }
discord-pending-more = Hay más esperando; el canal de administración las tiene todas.
discord-too-slow = Ha tardado demasiado; inténtalo de nuevo.
