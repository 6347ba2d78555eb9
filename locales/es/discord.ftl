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
discord-decline-reason = Rechazada por un aprobador.
