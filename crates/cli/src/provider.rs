//! `motesplats provider create`: the first admin of a provider.

use anyhow::Context;
use motesplats_core::NewProvider;
use motesplats_server::auth::{hash_password, new_token, sha256};
use motesplats_store::{NewApiKey, Role};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Create a provider with an admin user and an API key, and print their credentials once.
    Create {
        /// The provider's name, such as "Kafé Torget".
        #[arg(long)]
        name: String,
        /// E-mail of the first admin, who signs in to the web UI.
        #[arg(long)]
        admin_email: String,
        /// IANA time zone.
        #[arg(long, default_value = "Europe/Stockholm")]
        time_zone: String,
        /// ISO 3166 country code, for phone numbers written without one.
        #[arg(long, default_value = "SE")]
        country: String,
        /// postgres://… or a SQLite file path; default: a file in the platform's data directory.
        #[arg(long, env = "MOTESPLATS_DATABASE")]
        database: Option<String>,
    },
}

pub async fn run(command: Command) -> anyhow::Result<()> {
    let Command::Create {
        name,
        admin_email,
        time_zone,
        country,
        database,
    } = command;
    let new = NewProvider::parse(Some(&name), Some(&time_zone), Some(&country))?;
    let email = motesplats_core::Identifier::parse(
        motesplats_core::IdentifierKind::Email,
        &admin_email,
        &new.country,
    )
    .map_err(|e| e.within("admin_email"))?
    .value;
    let database = database.unwrap_or_else(super::default_database);
    let store = motesplats_store::open(&database)
        .await
        .with_context(|| format!("opening the database {database}"))?;
    if store.user_by_email(&email).await?.is_some() {
        anyhow::bail!("admin_email: {email} is already a user");
    }
    let provider = store.create_provider(new).await?;
    let password = new_token("")[..20].to_string();
    let hash = hash_password(&password).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    store
        .create_user(provider.id, &email, &hash, Role::Admin)
        .await?;
    let token = new_token("mp_key_");
    store
        .create_api_key(
            provider.id,
            NewApiKey::secret("created by the CLI"),
            sha256(&token),
        )
        .await?;
    println!("provider:  {} ({})", provider.name, provider.id);
    println!("sign in:   {email}");
    println!("password:  {password}");
    println!("API key:   {token}");
    println!("These are shown once; keep them safe.");
    Ok(())
}
