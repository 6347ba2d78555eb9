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
    /pedir filme ou /pedir série — encontre um título (escolha uma sugestão) e aperte Pedir
    /meus-pedidos — seus pedidos
    /cancelar — retire um pedido pendente pelo número
    /pendentes — pedidos aguardando aprovação (aprovadores)
    /vincular — um código para unir esta conta a outra (ou ao console web)
    /problema — relatar um problema com um título da biblioteca (áudio errado, legendas faltando…)
    /emalta — o que está em alta, marcado quando já está lá
    /descobrir — explorar títulos populares, lançamentos ou por gênero
    /pedir série título:Série S02E05 — pedir episódios avulsos (S02E05-E07 para vários)
    /pedir … nota: — adicionar uma nota para os aprovadores, por ex. “para o fim de semana das crianças”
    Eu te mando uma mensagem privada quando o que você pediu estiver disponível.
discord-cancel-usage = Informe o número do pedido; /meus-pedidos mostra os números.
discord-pending-footer = #{ $id } · pedido por { $who }
discord-pending-more = Há mais aguardando; o canal dos admins tem todos.
discord-too-slow = Demorou demais; tente de novo, por favor.

# Slash command names and descriptions as Discord shows them (see en-US).
discord-command-request = pedir
discord-command-request-description = Pedir um filme ou uma série
discord-command-request-movie = filme
discord-command-request-movie-description = Pedir um filme
discord-command-request-tv = série
discord-command-request-tv-description = Pedir uma série
discord-command-title-movie = título
discord-command-title-movie-description = O título do filme
discord-command-title-tv = título
discord-command-title-tv-description = O título da série
discord-command-mine = meus-pedidos
discord-command-mine-description = Seus pedidos e o status deles
discord-command-cancel = cancelar
discord-command-cancel-description = Retirar um dos seus pedidos pendentes
discord-command-cancel-request = pedido
discord-command-cancel-request-description = O número do pedido (/meus-pedidos mostra)
discord-command-pending = pendentes
discord-command-pending-description = Pedidos aguardando aprovação (aprovadores)
discord-command-help = ajuda
discord-command-help-description = O que eu sei fazer
discord-command-link = vincular
discord-command-link-description = Obter um código para unir suas contas, ou digitar um
discord-command-link-code = código
discord-command-link-code-description = Um código de outra conta ou do console web

# /link: joining accounts with a one-time code.
discord-link-code = Seu código de vínculo: { $code } (vale { $minutes } minutos, uma vez). Digite-o na sua outra conta: com /vincular código no Discord ou na página Conta do console web.
discord-link-done = Vinculada: esta conta do Discord agora pertence ao mesmo usuário do Usher que o código.
discord-link-bad-code = Esse código está errado ou expirou. Peça um novo com /vincular.
discord-link-already = Essas contas já estão vinculadas.

# An interaction from a guild outside USHER_DISCORD_GUILD_IDS.
discord-guild-not-served = Este bot não atende este servidor.

# O cartão de busca: seus botões e o menu de temporadas de uma série.
discord-button-in-library = Na biblioteca
discord-season-all = Todas as temporadas
discord-season = Temporada { $number }
discord-pick-seasons-4k = Escolher temporadas em 4K…
discord-seasons-recent = { $count } temporadas: o menu mostra as { $shown } mais recentes; “Todas as temporadas” pede todas.
discord-season-invalid = Essa não é uma temporada desta série. Busque de novo.
discord-season-none = Escolha também pelo menos uma temporada (ou Todas as temporadas).
discord-members-only = Só membros com o cargo certo neste servidor podem usar este bot. Peça a um admin se você acha que deveria ter.
discord-not-registered = Você ainda não tem uma conta no Usher. Peça a um admin um código de vinculação e digite /vincular código: seguido do código.
discord-announce = **{ $who }** pediu **{ $title }**
discord-button-retry = Tentar de novo
discord-card-failed = O pedido #{ $id } falhou · pedido por { $who } · tentativas: { $count }
discord-card-retried = Enviado de novo por { $who }

# Lists to browse: /trending and /discover
discord-command-trending = emalta
discord-command-trending-description = O que está em alta no TMDB
discord-command-trending-kind = tipo
discord-command-trending-kind-description = Filmes, séries ou ambos (padrão: ambos)
discord-command-trending-window = período
discord-command-trending-window-description = Hoje ou nesta semana (padrão: nesta semana)
trending-kind-all = Filmes e séries
trending-kind-movie = Filmes
trending-kind-tv = Séries
trending-window-day = Hoje
trending-window-week = Nesta semana
discord-command-discover = descobrir
discord-command-discover-description = Explorar títulos populares e futuros, ou por gênero

# Request notes
discord-command-note = nota
discord-command-note-description = Uma nota curta para quem aprova, p. ex. para o fim de semana das crianças

# Discord's episode picker (a show's card → one season → its episodes, 25 a page)
discord-episodes-menu = Episódios de uma temporada…
discord-episodes-pick = { $title }, temporada { $season }: escolha os episódios que quer pedir.
discord-episodes-placeholder = Episódios para pedir…
discord-episodes-none = O TMDB ainda não lista episódios para esta temporada.
discord-episodes-invalid = Esse não é um episódio desta página do seletor. Abra-o de novo pelo card.
