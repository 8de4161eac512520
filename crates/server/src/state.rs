//! What every handler can reach.

use motesplats_store::Store;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// SHA-256 of the operator token; None turns operator actions off.
    pub operator_token_sha256: Option<[u8; 32]>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, operator_token: Option<&str>) -> Self {
        AppState {
            store,
            operator_token_sha256: operator_token.map(crate::auth::sha256),
        }
    }
}
