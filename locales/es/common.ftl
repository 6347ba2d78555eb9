# Mensajes que muestran todas las interfaces (bots y consola). Las variables van entre { $name }.

error-not-found = No pude encontrarlo.
error-forbidden = No tienes permiso para hacer eso.
error-invalid = Eso no parece correcto: { $detail }
error-conflict = Eso cambió mientras tanto; inténtalo de nuevo.
error-illegal-transition = Esta solicitud está { $from } y ya no se puede cambiar de esa forma.
error-already-decided = Ya fue { $status } por { $who }.
error-already-requested = Ya solicitaste esto.
error-already-available = Ya está en la biblioteca. ¡Que lo disfrutes!
error-issue-not-in-library = Ese título aún no está en la biblioteca, así que no hay nada que reportar: solicítalo en su lugar.
error-issue-already-open = Ya reportaste un problema con este título (#{ $id }); un aprobador lo revisará.
error-issue-already-resolved = El reporte #{ $id } ya está resuelto.
error-quota = Has alcanzado tu límite de { $max } cada { $days } días.
error-quota-next = Podrás volver a solicitar a partir del { $when }.
error-quota-never = Eso supera lo que tu límite de { $max } permite de una sola vez.
error-upstream = { $service } no está disponible en este momento, así que no se pudo hacer. Inténtalo de nuevo en unos minutos.
error-search-unavailable = La búsqueda no está disponible en este momento ({ $service } no responde). Inténtalo de nuevo en unos minutos.
error-internal = Algo salió mal por nuestra parte. Inténtalo de nuevo en un momento.
error-not-saved = No se pudo guardar: el almacenamiento del servidor está lleno o falla. No se cambió nada; inténtalo de nuevo más tarde.
someone = alguien

status-pending = pendiente
status-approved = aprobada
status-submitted = descargándose
status-partially_available = parcialmente disponible
status-available = disponible
status-declined = rechazada
status-failed = fallida
status-cancelled = cancelada

# Content limits: a title outside the person's limit, asked for by id
error-not-offered = Este título no está disponible para ti.
# Places: a group chat's or server's shared budget
error-budget = Se agotó el presupuesto común de este chat de { $max } cada { $days } días.
error-budget-next = Se renueva el { $when }.
error-budget-never = Eso supera lo que el presupuesto de este chat de { $max } permite de una sola vez.
