# Textos dos bots do Telegram e do Discord. As variáveis ficam entre { $name }.

bot-help =
    Eu encontro filmes e séries e peço que sejam adicionados.
    /movie <título> — buscar um filme
    /tv <título> — buscar uma série
    /request <título> — buscar os dois
    /mine — seus pedidos
    /cancel <número> — retirar um pedido pendente
    /pending — pedidos aguardando aprovação (aprovadores)
bot-usage-search = Diga o que devo buscar, por ex. /movie Dune
bot-no-results = Nada encontrado para “{ $query }”.
bot-search-unavailable = A busca ainda não foi configurada; fale com um admin.
bot-button-request = Pedir
bot-button-approve = ✅ Aprovar
bot-button-decline = ❌ Recusar
bot-decline-reason-0 = Não disponível em boa qualidade
bot-decline-reason-1 = Já está na biblioteca
bot-decline-reason-2 = Não é para este servidor
bot-requested = Pedido feito! Um aprovador vai dar uma olhada.
bot-auto-approved = Aprovado na hora; já está a caminho.
bot-followed = Alguém já pediu isso; eu te aviso quando estiver disponível.
bot-invalid-button = Este botão não é mais válido.
bot-approved = Pedido aprovado.
bot-declined = Pedido recusado.
bot-pick-reason = Escolha um motivo.
bot-approver-card = Novo pedido #{ $id }: { $title } ({ $kind }) de { $who }
bot-kind-movie = filme
bot-kind-tv = série
bot-decided = { $status } por { $who }
bot-declined-reason = Motivo: { $reason }
bot-dm-status = Seu pedido de { $title } agora está { $status }.
bot-mine-empty = Você ainda não tem pedidos.
bot-mine-line = #{ $id } { $title } — { $status }
bot-pending-empty = Nenhum pedido aguardando aprovação.
bot-cancel-usage = Use /cancel <número>; /mine mostra os números.
bot-cancelled = Pedido #{ $id } cancelado.
bot-not-allowed = O bot não pode ser usado neste chat.
