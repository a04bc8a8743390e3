//! `GET /api/partners`: for each household the device's actor may read,
//! the name and unit of the member paired with it now (core's
//! [`xianfeng_core::pairing::partners`] decides; this only reads the
//! standing pairings and the org directory). The phone replaces its list
//! after every sync session.

use axum::extract::State;
use axum::Json;
use xianfeng_core::pairing::{partners as visible_partners, PartnersResponse};

use crate::auth::AuthDevice;
use crate::error::AppError;
use crate::store::log;
use crate::AppState;

/// `GET /api/partners`.
pub async fn partners(
    State(state): State<AppState>,
    device: AuthDevice,
) -> Result<Json<PartnersResponse>, AppError> {
    state.limits.check_sync(device.device_id)?;
    let org = state.org.clone();
    let actor = device.actor;
    let partners = state
        .store
        .read(move |sql| {
            let index = org.get(sql)?;
            let standing = log::standing_pairings(sql)?
                .into_iter()
                .filter_map(|(household, place, member)| Some((household, place?, member)));
            Ok(visible_partners(
                &actor,
                standing,
                |id| index.member(id),
                &index.directory,
            ))
        })
        .await
        .map_err(AppError::Internal)?;
    Ok(Json(PartnersResponse { partners }))
}
