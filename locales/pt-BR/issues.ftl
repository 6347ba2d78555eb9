# Issue reports: a member reports a problem with a title the library holds; approvers
# resolve it (Discord /issue, Telegram /issue, the console's Issues page).
bot-command-issue = Relatar um problema com um título da biblioteca
discord-command-issue = problema
discord-command-issue-description = Relatar um problema com um título da biblioteca (áudio, legendas, vídeo…)
discord-command-issue-title = titulo
discord-command-issue-title-description = O título, como a biblioteca o tem
discord-command-issue-text = texto
discord-command-issue-text-description = O que está errado (áudio errado, legendas faltando, vídeo ruim…)
discord-command-issue-kind = tipo
discord-command-issue-kind-description = Que tipo de problema (opcional)
discord-issue-usage = Escolha um título nas sugestões e diga o que está errado.
issue-kind-video = Vídeo
issue-kind-audio = Áudio
issue-kind-subtitles = Legendas
issue-kind-other = Outro
issue-card-heading = Problema relatado: { $title }
issue-card-details = Relato #{ $id } · { $kind } · relatado por { $who }
issue-card-resolved = Resolvido por { $who }
issue-card-resolved-short = Resolvido.
issue-button-resolve = Resolver
issue-reported = Obrigado! Seu relato #{ $id } sobre { $title } foi para os aprovadores. Aviso você quando for resolvido.
issue-dm-resolved = Seu relato #{ $id } sobre { $title } foi resolvido.
issue-dm-note = Observação: { $note }
issue-title-unknown = Não encontro “{ $query }” entre os títulos da biblioteca. Confira a grafia, ou peça o título se ele ainda não estiver lá.
issue-title-ambiguous = Vários títulos da biblioteca correspondem a “{ $query }”: { $titles }. Escreva o título completo.
telegram-issue-usage =
    Diga o título e o que está errado, por exemplo
    /issue The Matrix — o áudio está dessincronizado
    (o título termina numa quebra de linha, em “ — ”, “ - ” ou “|”)
telegram-issue-private = Por favor, relate problemas numa conversa privada comigo.
