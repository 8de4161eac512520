//! `motesplats link` and `motesplats why`: a provider's persons rebuilt from scratch
//! (with its stored linkage model, or a model trained anew with `--train`), and the
//! evidence that two profiles are one person, read straight from the database as
//! the API tells it (`motesplats_server::identity`).

use crate::scope::Scope;
use anyhow::bail;
use motesplats_core::ProfileId;
use motesplats_core::identity::{Evidence, Link, Refusal};
use motesplats_core::linkage::Thresholds;
use motesplats_server::identity;
use motesplats_store::linkage;
use std::time::Instant;

#[derive(clap::Args)]
pub struct LinkArgs {
    #[command(flatten)]
    scope: Scope,
    /// Train a new probabilistic linkage model on the profiles' names, birth dates
    /// and addresses first, and keep it (without: the stored model, if any).
    #[arg(long)]
    train: bool,
    /// With --train: pairs at least this likely are one person.
    #[arg(long, default_value_t = linkage::LINK, requires = "train")]
    threshold: f64,
    /// With --train: pairs at least this likely, below the threshold, wait for
    /// review.
    #[arg(long, default_value_t = linkage::REVIEW, requires = "train")]
    review: f64,
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

/// Rebuilds the provider's persons from its identifiers, every decision kept and
/// the pairs its linkage model links.
pub async fn link(args: LinkArgs) -> anyhow::Result<()> {
    let (store, provider) = args.scope.open().await?;
    let train = args
        .train
        .then(|| Thresholds::new(args.threshold, args.review))
        .transpose()?;
    let started = Instant::now();
    let run = linkage::link(store.as_ref(), provider.id, train).await?;
    let seconds = started.elapsed().as_secs_f64();
    let how = match (run.trained, run.model) {
        (Some(rounds), _) => format!(
            "a model trained on {} profiles (EM {rounds} rounds) linked {} pairs, {} wait for review",
            run.records, run.links, run.review
        ),
        (None, true) => format!(
            "the stored model linked {} pairs, {} wait for review",
            run.links, run.review
        ),
        (None, false) => {
            "no linkage model: identifiers and decisions only (train one with --train)".to_string()
        }
    };
    println!(
        "{}: persons rebuilt in {seconds:.2} s; {how}; {} profiles changed person",
        provider.name, run.moved
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
        Evidence::Matched {
            probability,
            fields,
        } => {
            let fields: Vec<String> = fields
                .iter()
                .filter(|f| f.level != "missing")
                .map(|f| format!("{} {} {:+.1}", f.field, f.level, f.weight))
                .collect();
            format!(
                "names and address agree, {:.1}% likely ({})",
                probability * 100.0,
                fields.join(", ")
            )
        }
    };
    format!("{} → {}: {by}", l.from, l.to)
}
