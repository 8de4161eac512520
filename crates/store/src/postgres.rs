//! PostgreSQL (being written).
use crate::{Result, Store, StoreError};
use std::sync::Arc;

pub async fn connect(_url: &str) -> Result<Arc<dyn Store>> {
    Err(StoreError::Backend("PostgreSQL support is being written".into()))
}
