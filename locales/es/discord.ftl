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
    /pedir película o /pedir serie — busca un título (elige una sugerencia) y pulsa Solicitar
    /mis-pedidos — tus solicitudes
    /cancelar — retira una solicitud pendiente por su número
    /pendientes — solicitudes que esperan aprobación (aprobadores)
    /vincular — un código para unir esta cuenta con otra (o con la consola web)
    /problema — reportar un problema con un título de la biblioteca (audio equivocado, faltan subtítulos…)
    /tendencias — lo que es tendencia, marcado si ya está
    /descubrir — explorar títulos populares, próximos o por género
    /pedir serie título:Serie S02E05 — pedir episodios sueltos (S02E05-E07 para varios)
    /pedir … nota: — añadir una nota para los aprobadores, p. ej. «para el fin de semana de los niños»
    Te escribo por mensaje privado cuando lo que pediste esté disponible.
discord-cancel-usage = Indica el número de la solicitud; /mis-pedidos los muestra.
discord-pending-footer = #{ $id } · pedido por { $who }
discord-pending-more = Hay más esperando; el canal de administración las tiene todas.
discord-too-slow = Ha tardado demasiado; inténtalo de nuevo.

# Slash command names and descriptions as Discord shows them (see en-US).
discord-command-request = pedir
discord-command-request-description = Pedir una película o una serie
discord-command-request-movie = película
discord-command-request-movie-description = Pedir una película
discord-command-request-tv = serie
discord-command-request-tv-description = Pedir una serie
discord-command-title-movie = título
discord-command-title-movie-description = El título de la película
discord-command-title-tv = título
discord-command-title-tv-description = El título de la serie
discord-command-mine = mis-pedidos
discord-command-mine-description = Tus pedidos y su estado
discord-command-cancel = cancelar
discord-command-cancel-description = Retirar uno de tus pedidos pendientes
discord-command-cancel-request = pedido
discord-command-cancel-request-description = El número del pedido (/mis-pedidos lo muestra)
discord-command-pending = pendientes
discord-command-pending-description = Pedidos que esperan aprobación (aprobadores)
discord-command-help = ayuda
discord-command-help-description = Lo que sé hacer
discord-command-link = vincular
discord-command-link-description = Obtener un código para unir tus cuentas, o introducir uno
discord-command-link-code = código
discord-command-link-code-description = Un código de otra cuenta o de la consola web

# /link: joining accounts with a one-time code.
discord-link-code = Tu código de vinculación: { $code } (válido { $minutes } minutos, una vez). Introdúcelo en tu otra cuenta: con /vincular código en Discord o en la página Cuenta de la consola web.
discord-link-done = Vinculada: esta cuenta de Discord ahora pertenece al mismo usuario de Usher que el código.
discord-link-bad-code = Ese código es incorrecto o ha caducado. Pide uno nuevo con /vincular.
discord-link-already = Estas cuentas ya están vinculadas.

# An interaction from a guild outside USHER_DISCORD_GUILD_IDS.
discord-guild-not-served = Este bot no atiende este servidor.

# La ficha de búsqueda: sus botones y el menú de temporadas de una serie.
discord-button-in-library = En la biblioteca
discord-season-all = Todas las temporadas
discord-season = Temporada { $number }
discord-pick-seasons-4k = Elegir temporadas en 4K…
discord-seasons-recent = { $count } temporadas: el menú muestra las { $shown } más recientes; «Todas las temporadas» las pide todas.
discord-season-invalid = Esa no es una temporada de esta serie. Vuelve a buscar.
discord-season-none = Elige también al menos una temporada (o Todas las temporadas).
discord-members-only = Solo los miembros con el rol adecuado en este servidor pueden usar este bot. Pregunta a un admin si crees que deberías tenerlo.
discord-not-registered = Todavía no tienes una cuenta de Usher. Pide a un admin un código de vinculación y escribe /vincular código: seguido del código.
discord-announce = **{ $who }** ha pedido **{ $title }**
discord-button-retry = Reintentar
discord-card-failed = La solicitud #{ $id } falló · pedida por { $who } · intentos: { $count }
discord-card-retried = Reenviada por { $who }

# Lists to browse: /trending and /discover
discord-command-trending = tendencias
discord-command-trending-description = Lo que es tendencia en TMDB
discord-command-trending-kind = tipo
discord-command-trending-kind-description = Películas, series o ambas (por defecto: ambas)
discord-command-trending-window = periodo
discord-command-trending-window-description = Hoy o esta semana (por defecto: esta semana)
trending-kind-all = Películas y series
trending-kind-movie = Películas
trending-kind-tv = Series
trending-window-day = Hoy
trending-window-week = Esta semana
discord-command-discover = descubrir
discord-command-discover-description = Explorar títulos populares y próximos, o por género

# Request notes
discord-command-note = nota
discord-command-note-description = Una nota breve para quienes aprueban, p. ej. para el fin de semana de los niños

# Discord's episode picker (a show's card → one season → its episodes, 25 a page)
discord-episodes-menu = Episodios de una temporada…
discord-episodes-pick = { $title }, temporada { $season }: elige los episodios que quieres pedir.
discord-episodes-placeholder = Episodios que pedir…
discord-episodes-none = TMDB aún no tiene episodios para esta temporada.
discord-episodes-invalid = Ese no es un episodio de esta página del selector. Vuelve a abrirlo desde la ficha.
