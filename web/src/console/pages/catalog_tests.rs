//! Keys the pages build at run time (`console-type-{movie}`, `status-{…}`, …) exist in every
//! language, so no page ever shows a bare key.

use usher_core::domain::{
    AuditAction, DownloadState, MediaType, Platform, QuotaScope, RequestStatus,
};

use super::outcome;
use super::requests::filter::SOURCES;
use crate::console::page::catalog;

fn built_keys() -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    keys.extend(
        RequestStatus::ALL
            .iter()
            .map(|s| format!("status-{}", s.as_str())),
    );
    keys.extend(
        [MediaType::Movie, MediaType::Tv]
            .iter()
            .map(|t| format!("console-type-{t}")),
    );
    keys.extend(SOURCES.iter().map(|p| format!("console-source-{p}")));
    keys.extend(
        [
            Platform::Discord,
            Platform::Telegram,
            Platform::Oidc,
            Platform::Passkey,
            Platform::Web,
        ]
        .iter()
        .map(|p| format!("console-platform-{p}")),
    );
    keys.extend(
        QuotaScope::ALL
            .iter()
            .map(|s| format!("console-quota-{}", s.key())),
    );
    keys.extend(
        [
            "request",
            "request-4k",
            "auto-movie",
            "auto-tv",
            "approve",
            "admin",
        ]
        .iter()
        .map(|p| format!("console-perm-{p}")),
    );
    keys.extend(
        [
            "discord-user",
            "discord-role",
            "telegram-user",
            "telegram-chat",
            "oidc-group",
        ]
        .iter()
        .map(|k| format!("console-mapping-{k}")),
    );
    keys.extend(
        super::requests::DECLINE_PRESETS
            .iter()
            .map(|k| format!("console-decline-preset-{k}")),
    );
    keys.extend(
        outcome::NOTICES
            .iter()
            .map(|n| format!("console-notice-{n}")),
    );
    keys.extend(
        ["queued", "downloading", "paused", "importing", "failed"]
            .iter()
            .map(|s| {
                assert!(DownloadState::parse(s).is_some(), "{s} is a download state");
                format!("console-library-download-{s}")
            }),
    );
    keys.extend(
        ["jellyfin", "emby", "plex"]
            .iter()
            .map(|k| format!("console-servers-kind-{k}")),
    );
    let request_actions = [
        AuditAction::RequestCreated,
        AuditAction::RequestAutoApproved,
        AuditAction::RequestApproved,
        AuditAction::RequestDeclined,
        AuditAction::RequestCancelled,
        AuditAction::RequestFollowed,
        AuditAction::RequestSubmitted,
        AuditAction::RequestFailed,
        AuditAction::RequestAvailability,
        AuditAction::RequestRetried,
        AuditAction::RequestUpstreamDeleted,
    ];
    keys.extend(
        request_actions
            .iter()
            .map(|a| format!("console-trail-{}", a.as_str())),
    );
    keys
}

#[test]
fn every_built_key_is_translated() {
    let catalog = catalog();
    // The console speaks the languages that ship console.ftl; the others fall back to en-US.
    for lang in ["en-US", "de"] {
        let have = catalog.keys(lang);
        for key in built_keys() {
            assert!(have.contains(&key), "{lang} lacks {key}");
        }
    }
}
