# Mensagens exibidas por todas as interfaces (bots e console). As variáveis ficam entre { $name }.

error-not-found = Não encontrei isso.
error-forbidden = Você não tem permissão para fazer isso.
error-invalid = Isso não parece certo: { $detail }
error-conflict = Isso mudou nesse meio-tempo; tente de novo.
error-illegal-transition = Este pedido está { $from } e não pode mais ser alterado assim.
error-already-decided = Já foi { $status } por { $who }.
error-already-requested = Você já pediu isso.
error-already-available = Já está na biblioteca. Aproveite!
error-issue-not-in-library = Esse título ainda não está na biblioteca, então não há o que relatar: peça-o em vez disso.
error-issue-already-open = Você já relatou um problema com este título (#{ $id }); um aprovador vai verificar.
error-issue-already-resolved = O relato #{ $id } já foi resolvido.
error-quota = Você atingiu seu limite de { $max } a cada { $days } dias.
error-quota-next = Você poderá pedir de novo a partir de { $when }.
error-quota-never = Isso é mais do que seu limite de { $max } permite de uma vez.
error-upstream = { $service } está fora do ar no momento, então não foi possível fazer isso. Tente de novo em alguns minutos.
error-search-unavailable = A busca está indisponível no momento ({ $service } não está respondendo). Tente de novo em alguns minutos.
error-internal = Algo deu errado do nosso lado. Tente de novo daqui a pouco.
error-not-saved = Não foi possível salvar: o armazenamento do servidor está cheio ou com falha. Nada foi alterado; tente de novo mais tarde.
someone = alguém

status-pending = pendente
status-approved = aprovado
status-submitted = sendo baixado
status-partially_available = parcialmente disponível
status-available = disponível
status-declined = recusado
status-failed = com falha
status-cancelled = cancelado

# Content limits: a title outside the person's limit, asked for by id
error-not-offered = Este título não está disponível para você.
# Places: a group chat's or server's shared budget
error-budget = O orçamento compartilhado deste chat, de { $max } a cada { $days } dias, acabou.
error-budget-next = Ele se renova em { $when }.
error-budget-never = Isso é mais do que o orçamento deste chat, de { $max }, permite de uma vez.
