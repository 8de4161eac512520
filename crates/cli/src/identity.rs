//! `motesplats link` and `motesplats why`: a provider's persons rebuilt from scratch,
//! and the evidence that two profiles are one person, read straight from the
//! database as the API tells it (`motesplats_server::identity`).

use crate::scope::Scope;
use anyhow::bail;
use motesplats_core::ProfileId;
use motesplats_core::identity::{Evidence, Link, Refusal};
use motesplats_server::identity;
use std::time::Instant;

#[derive(clap::Args)]
pub struct LinkArgs {
    #[command(flatten)]
    scope: Scope,
}

#[derive(clap::Args)]
pub struct WhyArgs {
    /// One profile.
    a: ProfileId,
    /// The other profile.
    b: ProfileId,
    #[command(flatten)]
    scope: Scope,
}

/// Rebuilds the provider's persons from its identifiers and every decision kept.
pub async fn link(args: LinkArgs) -> anyhow::Result<()> {
    let (store, provider) = args.scope.open().await?;
    let started = Instant::now();
    let moved = store.relink(provider.id).await?;
    println!(
        "{}: persons rebuilt in {:.2} s; {moved} profiles changed person",
        provider.name,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Prints why two profiles are one person, or what keeps them apart.
pub async fn why(args: WhyArgs) -> anyhow::Result<()> {
    let (store, provider) = args.scope.open().await?;
    let Some(why) = identity::why(store.as_ref(), provider.id, args.a, args.b).await? else {
        bail!("{} has no profile {} or {}", provider.name, args.a, args.b);
    };
    if !why.same_person {
        println!("{} and {} are different persons.", args.a, args.b);
        let Some(me) = identity::of(store.as_ref(), provider.id, args.a).await? else {
            return Ok(());
        };
        for c in me.conflicts.iter().filter(|c| [c.a, c.b].contains(&args.b)) {
            let why = match &c.why {
                Refusal::Apart => "a person of the provider keeps them apart".to_string(),
                Refusal::Limit { kind, limit } => format!(
                    "together they would hold more than {limit} {}",
                    kind.as_str()
                ),
            };
            println!(
                "  {} {} would join them, but {why}.",
                c.identifier.kind.as_str(),
                c.identifier.value
            );
        }
        return Ok(());
    }
    println!("{} and {} are one person:", args.a, args.b);
    for l in &why.links {
        println!("  {}", said(l));
    }
    Ok(())
}

fn said(l: &Link) -> String {
    let by = match &l.evidence {
        Evidence::Decided => "a person of the provider decided they are one".to_string(),
        Evidence::Identifiers { identifiers } => identifiers
            .iter()
            .map(|i| format!("{} {}", i.kind.as_str(), i.value))
            .collect::<Vec<_>>()
            .join(", "),
    };
    format!("{} → {}: {by}", l.from, l.to)
}
