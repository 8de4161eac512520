//! Which database, and as which provider: the scope of the commands that read and
//! write one provider's data straight in the database (`project`, `survey`).

use anyhow::{Context, bail};
use motesplats_core::{Provider, ProviderId};
use motesplats_store::Store;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct Scope {
    /// The provider to act for: its id, as `provider create` printed it.
    #[arg(long, value_name = "UUID")]
    pub provider: ProviderId,
    /// postgres://… or a SQLite file path; default: a file in the platform's data directory.
    #[arg(long, env = "MOTESPLATS_DATABASE")]
    pub database: Option<String>,
}

impl Scope {
    /// Opens the database and finds the provider.
    pub async fn open(&self) -> anyhow::Result<(Arc<dyn Store>, Provider)> {
        let database = self
            .database
            .clone()
            .unwrap_or_else(super::default_database);
        let store = motesplats_store::open(&database)
            .await
            .with_context(|| format!("opening the database {database}"))?;
        let Some(provider) = store.provider(self.provider).await? else {
            bail!("no provider {} in {database}", self.provider);
        };
        Ok((store, provider))
    }
}
