# Mensagens dos bots de chat (Discord e Telegram). As variáveis ficam entre { $name }.

discord-unsupported = Isso eu ainda não sei fazer.
discord-search-off = A busca ainda não foi configurada: um admin precisa adicionar uma chave do TMDB.
discord-no-results = Não encontrei nada com esse título.
discord-forged = Este botão não é (mais) válido. Faça a busca de novo.
discord-button-request = Pedir
discord-button-approve = Aprovar
discord-button-decline = Recusar
discord-requested = Pedido de { $title } feito. Um aprovador vai dar uma olhada; eu te aviso quando estiver disponível.
discord-auto-approved = O pedido de { $title } foi aprovado e já está a caminho. Eu te aviso quando estiver disponível.
discord-following = Alguém já pediu { $title }. Eu te aviso também quando estiver disponível.
discord-card-requested-by = Pedido por { $who }
discord-card-approved = Aprovado por { $who }
discord-card-declined = Recusado por { $who }
discord-card-declined-reason = Recusado por { $who }: { $reason }
discord-decline-title = Recusar { $title }
discord-decline-label = Motivo (quem pediu vai ver)
discord-decline-placeholder = ex.: Ainda não disponível em boa qualidade
discord-help =
    Eu encontro filmes e séries e peço que sejam adicionados.
    /request movie ou /request tv — encontre um título (escolha uma sugestão) e aperte Pedir
    /mine — seus pedidos
    /cancel — retire um pedido pendente pelo número
    /pending — pedidos aguardando aprovação (aprovadores)
    Eu te mando uma mensagem privada quando o que você pediu estiver disponível.
discord-cancel-usage = Informe o número do pedido; /mine mostra os números.
discord-pending-footer = #{ $id } · pedido por { $who }
discord-pending-more = Há mais aguardando; o canal dos admins tem todos.
discord-too-slow = Demorou demais; tente de novo, por favor.
