//! `motesplats serve`.

use anyhow::Context;
use motesplats_server::AppState;
use motesplats_server::client::TrustedProxies;
use motesplats_server::deliver::Deliver;
use motesplats_server::state::CookieSecure;
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// postgres://… or a SQLite file path; default: a file in the platform's data directory.
    #[arg(long, env = "MOTESPLATS_DATABASE")]
    database: Option<String>,
    /// Serve the demo world from its own file (built on first use), never the real database.
    #[arg(long, conflicts_with = "database")]
    demo: bool,
    /// Token for operator actions (creating providers and networks over HTTP); unset turns them off.
    #[arg(long, env = "MOTESPLATS_OPERATOR_TOKEN", hide_env_values = true)]
    operator_token: Option<String>,
    /// Addresses of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed
    /// (the client's address for rate limits, HTTPS for Secure cookies); comma-separated.
    #[arg(long, env = "MOTESPLATS_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxy: Vec<std::net::IpAddr>,
    /// When cookies are marked Secure (HTTPS only): `auto` when the request came over
    /// HTTPS (as a trusted proxy says), `always` for a server only reached over HTTPS.
    #[arg(long, env = "MOTESPLATS_COOKIE_SECURE", default_value = "auto")]
    cookie_secure: CookieSecure,
    /// Where e-mail (people's sign-in codes) is sent: `smtp://host:25`,
    /// `smtp://user:password@host:587?tls=required` or `smtps://host:465`. Unset, it is
    /// kept in an in-memory outbox (and with --demo written to the log).
    #[arg(long, env = "MOTESPLATS_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// Where links in e-mail (staff invitations, password resets) lead, such as
    /// `https://kafe.example`. Unset, the Host the request came to, which anyone
    /// asking for a reset can choose: set it on a server reached from outside.
    #[arg(long, env = "MOTESPLATS_PUBLIC_ORIGIN")]
    public_origin: Option<String>,
    /// Who e-mail comes from.
    #[arg(long, env = "MOTESPLATS_MAIL_FROM", default_value = motesplats_server::state::DEFAULT_FROM)]
    mail_from: String,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let database = match (&args.database, args.demo) {
        (_, true) => super::demo::demo_database(),
        (Some(url), false) => url.clone(),
        (None, false) => super::default_database(),
    };
    let store = motesplats_store::open(&database)
        .await
        .with_context(|| format!("opening the database {database}"))?;
    let demo_key = if args.demo {
        Some(super::demo::ensure(&store).await?)
    } else {
        None
    };
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let url = format!("http://{}", listener.local_addr()?);
    tracing::info!(%url, store = store.backend(), "serving");
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on {url}")?;
    if let Some(key) = demo_key {
        writeln!(
            out,
            "demo: open {url}/ and sign in as {} with password {}",
            super::demo::SIGN_IN,
            super::demo::PASSWORD
        )?;
        writeln!(out, "demo: API key for the café: {key}")?;
        writeln!(
            out,
            "demo: a person's own page is {url}/me/sign-in; their one-time codes are written to this log"
        )?;
        writeln!(
            out,
            "demo: try  curl -H 'Authorization: Bearer {key}' {url}/api/v1/touchpoints?limit=3"
        )?;
    }
    out.flush()?;
    drop(out);
    let deliver = Deliver::new(args.smtp_url.as_deref(), &args.mail_from)?;
    // The demo's people read their codes in the log; real people never have them there.
    let deliver = if args.demo {
        deliver.echoing()
    } else {
        deliver
    };
    let state = AppState::new(store, args.operator_token.as_deref())
        .with_trusted_proxies(TrustedProxies::new(args.trusted_proxy))
        .with_cookie_secure(args.cookie_secure)
        .with_public_origin(args.public_origin)
        .with_deliver(deliver);
    motesplats_server::serve(listener, state, shutdown()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM, so requests in flight can finish.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
