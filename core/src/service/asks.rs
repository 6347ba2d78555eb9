//! AskService: asking for a title from the console, for yourself or — admins — on behalf of a
//! member. It searches TMDB, shows one title with its seasons, and asks through
//! [`RequestService::create`], the very call the chats make, as the member: their permission,
//! quota, dedup and auto-approve rules apply exactly as if they had pressed "Request" in chat.
//! An admin's ask on someone's behalf adds an audit row naming the admin. The ask form is one
//! call ([`AskService::form`]): the title, the members an admin may pick (searched and paged),
//! and whether 4K is on offer.

use serde_json::json;

use super::authz::{self, Caller};
use super::offerable::ContentGate;
use super::requests::{NewRequest, RequestOutcome, RequestService};
use super::titles::FourK;
use crate::domain::{
    Actor, AuditAction, ContentLimit, MediaType, Permission, Timestamp, TmdbId, UserId,
};
use crate::error::{CoreError, CoreResult};
use crate::integrations::tmdb::images::valid_file;
use crate::integrations::tmdb::{SERVICE, SearchQuery, SeasonChoice, TmdbClient};
use crate::store::{Db, audit, directory, in_tx, role_limits, users};

/// The most members the on-behalf picker offers at once (newest first; a search narrows them,
/// and the next ones are a page further).
pub const MEMBERS_SHOWN: u32 = 50;

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskHit {
    /// Movie or show.
    pub media_type: MediaType,
    /// Its TMDB id.
    pub tmdb: TmdbId,
    /// Its name.
    pub title: String,
    /// Its year, when known.
    pub year: Option<u16>,
    /// TMDB's synopsis.
    pub overview: String,
    /// The poster's file name, for the image proxy.
    pub poster: Option<String>,
}

/// One season a member can pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeasonOption {
    /// Its number (1 and up; specials are left out).
    pub number: u16,
    /// TMDB's name for it ("Season 1", "The Final Season").
    pub name: String,
    /// Episodes TMDB lists.
    pub episodes: u32,
}

/// One title with what the ask form needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskTitle {
    /// The title as a search hit.
    pub hit: AskHit,
    /// Its regular seasons (shows only).
    pub seasons: Vec<SeasonOption>,
}

/// What the ask form sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    /// The member to ask for (admins only); `None` for the caller.
    pub on_behalf: Option<UserId>,
    /// Movie or show.
    pub media_type: MediaType,
    /// Its TMDB id.
    pub tmdb: TmdbId,
    /// Seasons (shows; a movie must leave this at [`SeasonChoice::All`]).
    pub seasons: SeasonChoice,
    /// A 4K copy, sent to the 4K Radarr/Sonarr (the asking person needs the 4K permission).
    pub four_k: bool,
}

/// Which members the on-behalf picker lists: a search over name, account name and account id
/// (or `#id`), and where the page starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberQuery {
    /// Name, account or `#id`; empty lists everyone.
    pub search: String,
    /// Continue after this user id (the previous page's [`MemberPage::next`]).
    pub after: Option<UserId>,
}

/// One page of the on-behalf picker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberPage {
    /// Enabled members with their display names, newest first.
    pub members: Vec<(UserId, String)>,
    /// More match: pass back as [`MemberQuery::after`] for the next page.
    pub next: Option<UserId>,
}

/// Everything the ask form for one title shows, in one answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskForm {
    /// The title with its seasons.
    pub title: AskTitle,
    /// The members an admin may ask for; `None` when the caller asks only for themselves.
    pub members: Option<MemberPage>,
    /// Offer "4K": a 4K instance takes this media type and the caller may ask for 4K (an
    /// admin always may; the member they pick must too, checked when they ask).
    pub four_k: bool,
}

/// See the module docs.
#[derive(Clone, Debug)]
pub struct AskService {
    db: Db,
    requests: RequestService,
    tmdb: Option<TmdbClient>,
    four_k: FourK,
    gate: ContentGate,
}

fn poster_of(path: Option<&str>) -> Option<String> {
    let file = path?.trim_start_matches('/');
    valid_file(file).then(|| file.to_owned())
}

impl AskService {
    /// The service asking through `requests`; no search until [`AskService::with_tmdb`].
    pub fn new(db: Db, requests: RequestService) -> Self {
        Self {
            db,
            requests,
            tmdb: None,
            four_k: FourK::default(),
            gate: ContentGate::default(),
        }
    }

    /// The same service, showing each person only titles within their content limit.
    #[must_use]
    pub fn with_gate(mut self, gate: ContentGate) -> Self {
        self.gate = gate;
        self
    }

    /// The content limit of the person behind `actor` (none for the system).
    async fn limit_of(&self, actor: &Actor) -> CoreResult<ContentLimit> {
        match actor.user {
            Some(user) => role_limits::content_limit_of(&self.db, user).await,
            None => Ok(ContentLimit::default()),
        }
    }

    /// The same service, knowing which media types have a 4K instance to ask 4K copies of.
    #[must_use]
    pub fn with_four_k(mut self, four_k: FourK) -> Self {
        self.four_k = four_k;
        self
    }

    /// The same service searching TMDB through this client.
    #[must_use]
    pub fn with_tmdb(mut self, tmdb: TmdbClient) -> Self {
        self.tmdb = Some(tmdb);
        self
    }

    /// The same service asking through other requests (announcing or not).
    #[must_use]
    pub fn with_requests(mut self, requests: RequestService) -> Self {
        self.requests = requests;
        self
    }

    fn tmdb(&self) -> CoreResult<&TmdbClient> {
        self.tmdb.as_ref().ok_or_else(|| CoreError::Upstream {
            service: "tmdb",
            message: "TMDB is not configured".into(),
        })
    }

    async fn caller(&self, actor: &Actor) -> CoreResult<Caller> {
        in_tx(&self.db, |tx| Box::pin(authz::caller(tx, actor))).await
    }

    /// Movies and shows matching `text` (1 to 100 characters), TMDB's first page, without the
    /// titles outside the caller's content limit; only for someone who may request.
    pub async fn search(
        &self,
        actor: &Actor,
        text: &str,
        media_type: Option<MediaType>,
        language: Option<&str>,
    ) -> CoreResult<Vec<AskHit>> {
        self.caller(actor).await?.require_any_request()?;
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 100 {
            return Err(CoreError::Validation(
                "a search has 1 to 100 characters".into(),
            ));
        }
        let tmdb = self.tmdb()?;
        let mut query = SearchQuery::new(text);
        query.language = language.map(str::to_owned);
        let page = match media_type {
            Some(MediaType::Movie) => tmdb.search_movies(&query).await,
            Some(MediaType::Tv) => tmdb.search_tv(&query).await,
            None => tmdb.search_multi(&query).await,
        }
        .map_err(|e| e.into_core(SERVICE))?;
        let limit = self.limit_of(actor).await?;
        let hits = self.gate.offerable(&limit, page.hits.clone()).await;
        Ok(hits
            .iter()
            .map(|h| AskHit {
                media_type: h.media_type,
                tmdb: h.tmdb_id,
                title: h.title.clone(),
                year: h.year,
                overview: h.overview.clone(),
                poster: poster_of(h.poster_path.as_deref()),
            })
            .collect())
    }

    /// The ask form for one title, in one call: the title with its regular seasons, the
    /// members an admin may ask for (as `members` asks; a search over more than 100
    /// characters is refused), and whether 4K is offered. Only for someone who may request,
    /// and [`CoreError::NotOffered`] for a title outside the caller's content limit (the
    /// member's own limit is applied when an admin asks for them).
    pub async fn form(
        &self,
        actor: &Actor,
        (media_type, id): (MediaType, TmdbId),
        language: Option<&str>,
        members: &MemberQuery,
    ) -> CoreResult<AskForm> {
        let caller = self.caller(actor).await?;
        caller.require_any_request()?;
        let limit = self.limit_of(actor).await?;
        self.gate.require(&limit, media_type, id).await?;
        let members = if caller.may(Permission::Admin) {
            Some(self.members(members).await?)
        } else {
            None
        };
        Ok(AskForm {
            title: self.title(media_type, id, language).await?,
            members,
            four_k: self.four_k.serves(media_type) && caller.may(Permission::Request4k),
        })
    }

    /// One title with its regular seasons, for the ask form.
    async fn title(
        &self,
        media_type: MediaType,
        id: TmdbId,
        language: Option<&str>,
    ) -> CoreResult<AskTitle> {
        let tmdb = self.tmdb()?;
        let upstream = |e: crate::integrations::http::UpstreamError| e.into_core(SERVICE);
        Ok(match media_type {
            MediaType::Movie => {
                let movie = tmdb.movie(id, language).await.map_err(upstream)?;
                AskTitle {
                    hit: AskHit {
                        media_type,
                        tmdb: id,
                        title: movie.title.clone(),
                        year: movie.year,
                        overview: movie.overview.clone(),
                        poster: poster_of(movie.poster_path.as_deref()),
                    },
                    seasons: Vec::new(),
                }
            }
            MediaType::Tv => {
                let show = tmdb.show(id, language).await.map_err(upstream)?;
                AskTitle {
                    hit: AskHit {
                        media_type,
                        tmdb: id,
                        title: show.title.clone(),
                        year: show.year,
                        overview: show.overview.clone(),
                        poster: poster_of(show.poster_path.as_deref()),
                    },
                    seasons: show
                        .regular_seasons()
                        .map(|s| SeasonOption {
                            number: s.number,
                            name: s.name.clone(),
                            episodes: s.episode_count,
                        })
                        .collect(),
                }
            }
        })
    }

    /// The enabled members matching the query, newest first, at most [`MEMBERS_SHOWN`] (the
    /// caller checked the admin permission).
    async fn members(&self, query: &MemberQuery) -> CoreResult<MemberPage> {
        let search = query.search.trim();
        if search.chars().count() > 100 {
            return Err(CoreError::Validation(
                "a member search has at most 100 characters".into(),
            ));
        }
        let search = Some(search).filter(|s| !s.is_empty());
        let limit = MEMBERS_SHOWN as usize;
        let mut found =
            directory::search_users(&self.db, search, None, query.after, MEMBERS_SHOWN + 1).await?;
        let next = if found.len() > limit {
            found.truncate(limit);
            found.last().map(|u| u.id)
        } else {
            None
        };
        Ok(MemberPage {
            members: found
                .into_iter()
                .filter(|u| !u.disabled)
                .map(|u| (u.id, u.display_name))
                .collect(),
            next,
        })
    }

    /// Asks for a title through [`RequestService::create`], as the caller or (admins) as the
    /// member named, whose own permissions, quota and rules then apply. A movie with seasons,
    /// a show with none chosen, an unknown or disabled member, 4K where no 4K instance takes
    /// the media type or the asking person lacks the 4K permission are refused before TMDB
    /// is asked.
    pub async fn ask(&self, actor: &Actor, ask: Ask) -> CoreResult<RequestOutcome> {
        self.ask_noted(actor, ask, None).await
    }

    /// [`AskService::ask`] with a note for the approvers (the form's note field): sanitized and
    /// checked (at most 200 characters) before anything else, stored with the request.
    pub async fn ask_noted(
        &self,
        actor: &Actor,
        ask: Ask,
        note: Option<&str>,
    ) -> CoreResult<RequestOutcome> {
        if let Some(note) = note
            && let Err(CoreError::Validation(why)) = crate::domain::RequestComment::parse(note)
        {
            return Err(CoreError::Validation(format!("note: {why}")));
        }
        let member = ask.on_behalf.filter(|m| Some(*m) != actor.user);
        if ask.four_k && !self.four_k.serves(ask.media_type) {
            return Err(CoreError::Validation(format!(
                "no 4K instance takes {} requests",
                ask.media_type.as_str()
            )));
        }
        let four_k = ask.four_k;
        let media_type = ask.media_type;
        in_tx(&self.db, |tx| {
            Box::pin(async move {
                let caller = authz::caller(tx, actor).await?;
                let asking = match member {
                    None => caller,
                    Some(member) => {
                        caller.require(Permission::Admin)?;
                        match users::get_user(tx, member).await? {
                            Some(user) if !user.disabled => {}
                            Some(_) => {
                                let why = format!("user {member} is disabled");
                                return Err(CoreError::Validation(why));
                            }
                            None => return Err(CoreError::Validation(format!("no user {member}"))),
                        }
                        let as_member = Actor::user(member, actor.source.clone());
                        authz::caller(tx, &as_member).await?
                    }
                };
                asking.require(Permission::request(media_type))?;
                if four_k {
                    asking.require(Permission::Request4k)?;
                }
                Ok(())
            })
        })
        .await?;
        match (&ask.media_type, &ask.seasons) {
            (MediaType::Movie, SeasonChoice::These(s)) if !s.is_empty() => {
                return Err(CoreError::Validation("a movie has no seasons".into()));
            }
            (MediaType::Tv, SeasonChoice::These(s)) if s.is_empty() => {
                return Err(CoreError::Validation("choose at least one season".into()));
            }
            _ => {}
        }
        let new: NewRequest = self
            .tmdb()?
            .new_request(ask.media_type, ask.tmdb, ask.seasons, ask.four_k)
            .await?;
        let asking = match member {
            Some(member) => Actor::user(member, actor.source.clone()),
            None => actor.clone(),
        };
        let outcome = self.requests.create_noted(&asking, new, note).await?;
        if let Some(member) = member {
            let id = outcome.request.id;
            let details = json!({ "member": member.0, "outcome": format!("{:?}", outcome.kind) });
            in_tx(&self.db, |tx| {
                Box::pin(async {
                    let action = AuditAction::RequestOnBehalf;
                    let target = format!("request:{id}");
                    audit::record(tx, actor, action, &target, &details, Timestamp::now()).await
                })
            })
            .await?;
        }
        Ok(outcome)
    }
}
