//! Usher's chat front doors: the Discord and Telegram adapters over `usher-core`.
//!
//! This crate turns chat events (slash commands, inline queries, button presses) into calls on
//! core's services and renders their results as messages, cards and keyboards. It holds no
//! domain rules of its own: permissions, quotas and request state all live in core, so the bots
//! stay thin and both platforms behave the same. Its first building block is [`callback`], the
//! signed, stateless codec for button ids ([`callback::CallbackCodec`], [`callback::Action`]).

pub mod callback;
pub mod discord;
pub mod flows;
pub mod issues;
pub mod telegram;
pub mod view;
