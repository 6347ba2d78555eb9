//! Sign-in with an OpenID Connect provider (Authelia, Authentik, Keycloak…) through the
//! `openidconnect` crate: discovery from the issuer (cached, and retried on demand when the
//! provider was down at start), the authorization code flow with PKCE (S256), `state` and
//! `nonce`, and an ID token whose signature, issuer, audience, nonce and expiry the crate checks.
//! Groups and names come from the ID token or, if absent there, from userinfo.
//!
//! [`OidcClient`] is built by the binary and kept in the console; the routes live in
//! `pages::oidc`, and what the groups mean is decided in core (`UserService::sign_in_oidc`).

mod claims;

use std::sync::Arc;
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreClientAuthMethod,
    CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AccessTokenHash, AuthType, AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken,
    EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl,
    Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    StandardErrorResponse, StandardTokenResponse, TokenResponse, UserInfoClaims,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use usher_core::integrations::http::HttpSettings;
use usher_core::service::OidcRoleMap;

pub use claims::ExtraClaims;

/// Provider metadata (and its keys) older than this is fetched again before the next sign-in,
/// so rotated signing keys are picked up.
const METADATA_TTL: Duration = Duration::from_secs(60 * 60);
/// An unknown signing key triggers a fresh fetch of the keys at most this often.
const REFRESH_AT_MOST_EVERY: Duration = Duration::from_secs(30);

type IdFields = IdTokenFields<
    ExtraClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<IdFields, CoreTokenType>;
/// The relying-party client as `from_provider_metadata` builds it, with our extra claims.
type RpClient = Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// What the operator configured for OIDC sign-in.
#[derive(Clone)]
pub struct OidcOptions {
    /// Issuer exactly as the provider publishes it (compared as a string).
    pub issuer: String,
    /// Client id registered at the provider.
    pub client_id: String,
    /// Client secret; `None` for a public client (PKCE alone).
    pub client_secret: Option<SecretString>,
    /// Our callback, `USHER_PUBLIC_URL` + `/auth/oidc/callback`, as registered at the provider.
    pub redirect_url: String,
    /// Claim that lists the user's groups.
    pub groups_claim: String,
    /// How groups become roles (applied by core).
    pub roles: OidcRoleMap,
}

/// Why an OIDC step failed; the callback turns each into its own localized page.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The settings cannot work (an issuer or callback that is not a URL).
    #[error("OIDC is misconfigured: {0}")]
    Config(String),
    /// The provider's discovery document could not be fetched or does not match the issuer.
    #[error("the OIDC provider is unavailable: {0}")]
    Unavailable(String),
    /// The provider refused the code or did not answer the token or userinfo call.
    #[error("the OIDC provider did not complete the sign-in: {0}")]
    Exchange(String),
    /// The provider's answer failed verification (signature, issuer, audience, nonce, expiry,
    /// access token hash) or lacked an ID token.
    #[error("the OIDC provider's answer failed verification: {0}")]
    Invalid(String),
}

/// Ceremony state kept server-side (auth_flows) under the `state` value until the callback.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OidcFlow {
    /// PKCE code verifier.
    pub verifier: String,
    /// Nonce the ID token must carry.
    pub nonce: String,
    /// Local path to go to afterwards.
    pub next: String,
}

/// A sign-in just started: where to send the browser, and what to keep until it comes back.
#[derive(Debug)]
pub struct Started {
    /// The provider's authorization URL.
    pub url: String,
    /// The `state` value (id of the kept flow).
    pub state: String,
    /// The flow state to keep.
    pub flow: OidcFlow,
}

/// Who the provider says signed in, after verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedUser {
    /// `iss` of the ID token (equal to the configured issuer).
    pub issuer: String,
    /// `sub` of the ID token.
    pub subject: String,
    /// A name to show (empty if the provider gave none).
    pub display: String,
    /// Groups from the ID token or userinfo (empty if neither lists any).
    pub groups: Vec<String>,
}

#[derive(Default)]
struct Cache {
    metadata: Option<(Arc<CoreProviderMetadata>, Instant)>,
}

struct Inner {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: Option<ClientSecret>,
    redirect: RedirectUrl,
    groups_claim: String,
    roles: OidcRoleMap,
    http: reqwest::Client,
    cache: Mutex<Cache>,
}

/// The OIDC relying party; cheap to clone (shared state behind an `Arc`).
#[derive(Clone)]
pub struct OidcClient {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for OidcClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcClient")
            .field("issuer", &self.inner.issuer.as_str())
            .finish_non_exhaustive()
    }
}

impl OidcClient {
    /// Builds the client; no network yet (see [`Self::warm_up`]). The HTTP client shares the
    /// process's DNS cache and never follows redirects (the crate's advice against SSRF).
    pub fn new(options: OidcOptions, http: &HttpSettings) -> Result<Self, OidcError> {
        let issuer = IssuerUrl::new(options.issuer.clone())
            .map_err(|e| OidcError::Config(format!("issuer {:?}: {e}", options.issuer)))?;
        let redirect = RedirectUrl::new(options.redirect_url.clone())
            .map_err(|e| OidcError::Config(format!("callback {:?}: {e}", options.redirect_url)))?;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(http.timeout)
            .connect_timeout(http.timeout.min(Duration::from_secs(5)))
            .user_agent(concat!("Usher/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(http.resolver.clone())
            .build()
            .map_err(|e| OidcError::Config(format!("HTTP client: {e}")))?;
        Ok(Self {
            inner: Arc::new(Inner {
                issuer,
                client_id: ClientId::new(options.client_id),
                client_secret: options
                    .client_secret
                    .map(|s| ClientSecret::new(s.expose_secret().to_owned())),
                redirect,
                groups_claim: options.groups_claim,
                roles: options.roles,
                http: client,
                cache: Mutex::new(Cache::default()),
            }),
        })
    }

    /// The configured issuer, exactly as given.
    pub fn issuer(&self) -> &str {
        self.inner.issuer.as_str()
    }

    /// How groups become roles, for core.
    pub fn roles(&self) -> &OidcRoleMap {
        &self.inner.roles
    }

    /// Fetches the provider metadata once at start. A provider that is down is only logged:
    /// the rest of Usher works, and the next sign-in tries again.
    pub async fn warm_up(&self) {
        match self.metadata(false).await {
            Ok(_) => {
                tracing::info!(issuer = %self.inner.issuer.as_str(), "OIDC provider discovered")
            }
            Err(err) => tracing::warn!(
                issuer = %self.inner.issuer.as_str(),
                error = %err,
                "OIDC provider not reachable yet; sign-in will try again"
            ),
        }
    }

    /// Starts a sign-in: the authorization URL with a fresh state, nonce and PKCE challenge.
    pub async fn start(&self, next: String) -> Result<Started, OidcError> {
        let metadata = self.metadata(false).await?;
        let client = self.client(&metadata);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in wanted_scopes(&metadata) {
            request = request.add_scope(Scope::new(scope.to_owned()));
        }
        let (url, state, nonce) = request.url();
        Ok(Started {
            url: url.to_string(),
            state: state.secret().clone(),
            flow: OidcFlow {
                verifier: verifier.secret().clone(),
                nonce: nonce.secret().clone(),
                next,
            },
        })
    }

    /// Finishes a sign-in: exchanges the code (with the PKCE verifier), verifies the ID token
    /// and reads the user's groups and name, from userinfo when the ID token lacks them.
    pub async fn finish(&self, code: String, flow: &OidcFlow) -> Result<VerifiedUser, OidcError> {
        let metadata = self.metadata(false).await?;
        let client = self.client(&metadata);
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| OidcError::Config(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier.clone()))
            .request_async(&self.inner.http)
            .await
            .map_err(|e| OidcError::Exchange(describe(&e)))?;
        let nonce = Nonce::new(flow.nonce.clone());
        let id_token = tokens
            .id_token()
            .ok_or_else(|| OidcError::Invalid("the token response has no ID token".into()))?;
        let first_try = id_token.claims(&client.id_token_verifier(), &nonce);
        let (client, claims) = match first_try {
            Ok(claims) => (client, claims),
            // The provider may have rotated its keys since we fetched them: fetch again, once.
            Err(openidconnect::ClaimsVerificationError::SignatureVerification(
                openidconnect::SignatureVerificationError::NoMatchingKey,
            )) => {
                let fresh = self.client(&*self.metadata(true).await?);
                let claims = id_token
                    .claims(&fresh.id_token_verifier(), &nonce)
                    .map_err(|e| OidcError::Invalid(describe(&e)))?;
                (fresh, claims)
            }
            Err(e) => return Err(OidcError::Invalid(describe(&e))),
        };
        if let Some(expected) = claims.access_token_hash() {
            let verifier = client.id_token_verifier();
            let alg = id_token
                .signing_alg()
                .map_err(|e| OidcError::Invalid(e.to_string()))?;
            let key = id_token
                .signing_key(&verifier)
                .map_err(|e| OidcError::Invalid(e.to_string()))?;
            let actual = AccessTokenHash::from_token(tokens.access_token(), alg, key)
                .map_err(|e| OidcError::Invalid(e.to_string()))?;
            if actual != *expected {
                return Err(OidcError::Invalid(
                    "the access token hash does not match".into(),
                ));
            }
        }
        let subject = claims.subject().clone();
        let mut groups = claims.additional_claims().groups(&self.inner.groups_claim);
        let mut display = claims::display_name([
            claims.name().and_then(|n| n.get(None)).map(|n| n.as_str()),
            claims.preferred_username().map(|u| u.as_str()),
            claims.email().map(|e| e.as_str()),
        ]);
        if (groups.is_none() || display.is_none()) && client.user_info_url().is_some() {
            let info: UserInfoClaims<ExtraClaims, CoreGenderClaim> = client
                .user_info(tokens.access_token().clone(), Some(subject.clone()))
                .map_err(|e| OidcError::Exchange(e.to_string()))?
                .request_async(&self.inner.http)
                .await
                .map_err(|e| OidcError::Exchange(format!("userinfo: {}", describe(&e))))?;
            groups = groups.or_else(|| info.additional_claims().groups(&self.inner.groups_claim));
            display = display
                .or_else(|| claims::display_name(claims::name_candidates(info.standard_claims())));
        }
        Ok(VerifiedUser {
            issuer: claims.issuer().as_str().to_owned(),
            subject: subject.as_str().to_owned(),
            display: display.unwrap_or_default(),
            groups: groups.unwrap_or_default(),
        })
    }

    /// The provider metadata: cached, fetched when missing or old, or (`refresh`) fetched anew
    /// unless that was just done. Fetches are serialized, so a burst of sign-ins makes one.
    async fn metadata(&self, refresh: bool) -> Result<Arc<CoreProviderMetadata>, OidcError> {
        let mut cache = self.inner.cache.lock().await;
        if let Some((metadata, at)) = &cache.metadata {
            let age = at.elapsed();
            let fresh_enough = if refresh {
                age < REFRESH_AT_MOST_EVERY
            } else {
                age < METADATA_TTL
            };
            if fresh_enough {
                return Ok(metadata.clone());
            }
        }
        match CoreProviderMetadata::discover_async(self.inner.issuer.clone(), &self.inner.http)
            .await
        {
            Ok(metadata) => {
                let metadata = Arc::new(metadata);
                cache.metadata = Some((metadata.clone(), Instant::now()));
                Ok(metadata)
            }
            // A provider that is briefly down does not stop sign-ins with the keys we have.
            Err(err) => match &cache.metadata {
                Some((metadata, _)) if !refresh => {
                    tracing::warn!(error = %describe(&err), "OIDC discovery failed; using the cached metadata");
                    Ok(metadata.clone())
                }
                _ => Err(OidcError::Unavailable(describe(&err))),
            },
        }
    }

    /// A client over the metadata, authenticating to the token endpoint the way the provider
    /// supports (`client_secret_basic` unless it only lists `client_secret_post`).
    fn client(&self, metadata: &CoreProviderMetadata) -> RpClient {
        let inner = &self.inner;
        let client = RpClient::from_provider_metadata(
            metadata.clone(),
            inner.client_id.clone(),
            inner.client_secret.clone(),
        )
        .set_redirect_uri(inner.redirect.clone());
        let methods = metadata.token_endpoint_auth_methods_supported();
        let post_only = methods.is_some_and(|m| {
            m.contains(&CoreClientAuthMethod::ClientSecretPost)
                && !m.contains(&CoreClientAuthMethod::ClientSecretBasic)
        });
        if post_only {
            client.set_auth_type(AuthType::RequestBody)
        } else {
            client
        }
    }
}

/// Scopes besides `openid`: `profile` and `email`, and `groups` where the provider offers it
/// (asking a provider for a scope it does not know can fail the whole sign-in).
fn wanted_scopes(metadata: &CoreProviderMetadata) -> Vec<&'static str> {
    let offered = metadata.scopes_supported();
    let offers = |scope: &str| offered.is_none_or(|s| s.iter().any(|o| o.as_str() == scope));
    ["profile", "email"]
        .into_iter()
        .filter(|s| offers(s))
        .chain(
            offered
                .is_some_and(|s| s.iter().any(|o| o.as_str() == "groups"))
                .then_some("groups"),
        )
        .collect()
}

/// An error with its causes, for the log (the crate's top-level messages are terse).
fn describe(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
