//! `/mine` as one call: the caller's latest requests and what is left of their quota and, asked
//! from a place (a group chat or server), of that place's shared budget.

use super::{Allowance, MineRow, Services};
use crate::domain::{Actor, PlaceKey};
use crate::error::CoreResult;

/// Everything `/mine` shows, render-ready.
#[derive(Debug, Clone)]
pub struct MineView {
    /// The latest requests, newest first.
    pub rows: Vec<MineRow>,
    /// Personal quota and the place's budget, limited counters only.
    pub allowance: Allowance,
}

impl Services {
    /// `/mine` asked from `place` (`None`: a private chat): [`Services::mine`]'s rows plus
    /// [`super::PlaceService::allowance`].
    pub async fn mine_at(
        &self,
        actor: &Actor,
        limit: u32,
        place: Option<PlaceKey>,
    ) -> CoreResult<MineView> {
        let rows = self.mine(actor, limit).await?;
        let allowance = self.places.allowance(actor, place).await?;
        Ok(MineView { rows, allowance })
    }
}
