# Issue reports: a member reports a problem with a title the library holds; approvers
# resolve it (Discord /issue, Telegram /issue, the console's Issues page).
bot-command-issue = Reportar un problema con un título de la biblioteca
discord-command-issue = problema
discord-command-issue-description = Reportar un problema con un título de la biblioteca (audio, subtítulos, vídeo…)
discord-command-issue-title = titulo
discord-command-issue-title-description = El título, tal como lo tiene la biblioteca
discord-command-issue-text = texto
discord-command-issue-text-description = Qué falla (audio equivocado, faltan subtítulos, mal vídeo…)
discord-command-issue-kind = tipo
discord-command-issue-kind-description = Qué tipo de problema (opcional)
discord-issue-usage = Elige un título de las sugerencias y di qué falla.
issue-kind-video = Vídeo
issue-kind-audio = Audio
issue-kind-subtitles = Subtítulos
issue-kind-other = Otro
issue-card-heading = Problema reportado: { $title }
issue-card-details = Reporte #{ $id } · { $kind } · reportado por { $who }
issue-card-resolved = Resuelto por { $who }
issue-card-resolved-short = Resuelto.
issue-button-resolve = Resolver
issue-reported = ¡Gracias! Tu reporte #{ $id } sobre { $title } llegó a los aprobadores. Te avisaré cuando esté resuelto.
issue-dm-resolved = Tu reporte #{ $id } sobre { $title } fue resuelto.
issue-dm-note = Nota: { $note }
issue-title-unknown = No encuentro «{ $query }» entre los títulos de la biblioteca. Revisa cómo se escribe, o solicítalo si aún no está.
issue-title-ambiguous = Varios títulos de la biblioteca coinciden con «{ $query }»: { $titles }. Escribe el título completo.
telegram-issue-usage =
    Dime el título y qué falla, p. ej.
    /issue The Matrix — el audio está desfasado
    (el título termina en un salto de línea, en « — », « - » o «|»)
telegram-issue-private = Repórtame los problemas en un chat privado, por favor.
