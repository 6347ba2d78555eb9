# Textos dos bots do Telegram e do Discord. As variáveis ficam entre { $name }.

bot-help =
    Eu encontro filmes e séries e peço que sejam adicionados.
    /movie <título> — buscar um filme
    /tv <título> — buscar uma série
    /request <título> — buscar os dois
    /mine — seus pedidos
    /cancel <número> — retirar um pedido pendente
    /pending — pedidos aguardando aprovação (aprovadores)
    /link — vincular esta conta ao Discord ou ao console web
    /language — escolher o idioma em que escrevo
    /issue <título> — <problema> — relatar um problema com um título da biblioteca
    /trending [movie|tv] [day] — o que está em alta, marcado quando já está lá
    /discover — explorar títulos populares, lançamentos ou por gênero
    /tv <série> S02E05 — pedir episódios avulsos (S02E05-E07 para vários)
    /movie <título> -- <nota> — adicionar uma nota para os aprovadores, por ex. /movie Dune -- para o fim de semana das crianças
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

# /start, /link, /language e a lista de comandos (setMyCommands).
bot-welcome = Olá, { $name }! Mande um título ou use um destes comandos:
bot-command-start = Boas-vindas e o que sei fazer
bot-command-help = O que sei fazer
bot-command-movie = Buscar um filme para pedir
bot-command-tv = Buscar uma série para pedir
bot-command-request = Buscar um filme ou uma série
bot-command-mine = Seus pedidos e o status deles
bot-command-cancel = Retirar um dos seus pedidos pendentes
bot-command-pending = Pedidos aguardando aprovação
bot-command-link = Vincular esta conta ao Discord ou ao console
bot-command-language = Escolher o idioma em que escrevo
bot-language-name = Português (Brasil)
bot-language-automatic = Automático (idioma do seu app)
bot-language-pick = Em qual idioma devo escrever para você?
bot-language-chosen = De agora em diante escrevo para você em português.
bot-language-follow-app = De agora em diante sigo o idioma do seu app.
bot-link-code =
    Seu código de vinculação: { $code }
    Ele vale uma vez, nos próximos { $minutes } minutos. Digite-o onde quiser vincular esta conta: na página Conta do console web ou com /link no Discord.
bot-link-private = Códigos de vinculação são pessoais: mande /link para mim em um chat privado.
bot-link-done = Vinculado: esta conta do Telegram agora pertence à mesma conta do Usher que criou o código.
bot-link-invalid = Esse código está errado ou expirou. Peça um novo com /link onde você o criou.
bot-link-already = Essas contas já estão vinculadas.
# Someone the bot refuses (USHER_TELEGRAM_REGISTRATION=refuse) and how they get in.
bot-not-registered = Você ainda não está registrado aqui. Peça a um admin um código de vínculo e depois me envie /link CÓDIGO (ou abra o link de convite que ele der: ele envia /start link-CÓDIGO).
bot-not-registered-short = Você não está registrado aqui. Peça a um admin um código de vínculo e depois me envie /link CÓDIGO.
bot-post-as-yourself = Você está postando anonimamente como o grupo, então não sei quem você é. Desative “Permanecer anônimo” nas suas permissões de admin (ou poste como você mesmo) e tente de novo.
# Recusar com um motivo próprio: uma pergunta que o aprovador responde.
bot-button-decline-other = ✏️ Outro motivo…
bot-decline-ask = { $who }, responda a esta mensagem com o motivo para recusar #{ $id } ({ $title }).
bot-decline-reply = Responda à minha mensagem com o motivo.

# A request that failed: its card in the admin chats shows the upstream's answer to the last
# attempt and, apart, the circuit breaker; Retry sends it again.
bot-failed-card = ⚠️ O pedido #{ $id } falhou: { $title } ({ $kind }) de { $who }
bot-failure-answer = { $service } respondeu HTTP { $status }: { $message }
bot-failure-answer-bare = { $service } respondeu HTTP { $status }
bot-failure-no-answer = { $service }: { $message }
bot-failure-paused-no-answer = { $service } não foi chamado: as chamadas já estavam pausadas
bot-failure-breaker-open = aberto: as chamadas para { $service } estão pausadas após falhas repetidas
bot-failure-breaker-closed = fechado
bot-failure-breaker = Disjuntor: { $state }
bot-failure-breaker-title = Disjuntor
bot-failure-answer-title = Última tentativa
bot-failure-attempts = Tentativas: { $count }
bot-button-retry = 🔁 Tentar de novo
bot-retried = Enviado de novo por { $who }
bot-mine-progress = ⬇️ { $percent } %
bot-mine-progress-eta = ⬇️ { $percent } %, ~{ $minutes } min

# Alertas de segurança no chat dos admins (só nomes, endereços e números, nunca um segredo).
security-alert-failed-sign-in = 🚨 Segurança: { $seen } tentativas de login no console falharam ({ $method }) a partir de { $from } em { $minutes } minutos.
security-alert-forged-button = 🚨 Segurança: um botão falsificado ou reutilizado foi pressionado no { $platform } pelo usuário { $from }.
security-alert-bad-signature = 🚨 Segurança: { $seen } requisições para { $endpoint } a partir de { $from } tinham assinatura ou token inválido em { $minutes } minutos.
security-alert-new-admin = 🚨 Segurança: { $user } agora é admin (por { $by }).
security-alert-api-key-created = 🚨 Segurança: a chave de API “{ $name }” foi criada.
security-alert-api-key-revoked = 🚨 Segurança: a chave de API “{ $name }” foi revogada.
security-alert-secret-rotated = 🚨 Segurança: a chave mestra foi trocada; { $count } segredos armazenados foram selados de novo.

# Lists to browse: /trending and /discover
bot-command-trending = O que está em alta (adicione movie, tv ou day)
bot-command-discover = Explorar populares, lançamentos e por gênero
# Places: group voting and /mine's allowance
bot-vote-card = { $who } pediu { $title }. Você também quer? Vote abaixo — você será avisado quando chegar.
bot-vote-button = 🙋 Eu também quero ({ $votes })
bot-vote-counted = Contado: { $votes } pessoas querem isso.
bot-vote-counted-of = Contado: { $votes } dos { $threshold } votos que o aprovam.
bot-vote-approved = São { $votes } votos — aprovado! Está a caminho.
bot-vote-already = Seu voto já conta ({ $votes } até agora).
bot-vote-requester = Foi você quem pediu: seu pedido já conta como seu voto.
bot-vote-closed = Este pedido não espera mais votos: está { $status }.
bot-allowance-personal = Sua cota:
bot-allowance-place = Orçamento compartilhado deste chat:
bot-allowance-movies = Filmes
bot-allowance-seasons = Temporadas
bot-allowance-line = { $kind }: restam { $left } de { $max } a cada { $days } dias
bot-allowance-renews = (renova em { $when })
