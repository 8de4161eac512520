//! `motesplats bench contact`: contact decisions per second through the HTTP API with
//! a million people in the store, beside the same lookups and the same hold done as
//! plain indexed SQL by a minimal program on the same database, with the same
//! durability (one transaction per decision, synchronous=FULL).
//!
//! The people: every one a profile with an e-mail address and an imported marketing
//! consent (nine in ten said yes); every tenth verified their address, which opened
//! an account with preferences of their own (five contacts a week). The provider
//! keeps a zone where it is midday, so no decision meets quiet hours and every one
//! does the whole of its work.

use crate::bench::{Target, peak_rss_kb, target_in};
use chrono::{Timelike, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use motesplats_core::consent::{ContactPreferences, Purpose};
use motesplats_core::{Identifier, IdentifierKind, NewProfile, PersonId, ProfileId};
use motesplats_store::ImportedConsent;
use serde_json::json;
use std::sync::Arc;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// People in the store.
    #[arg(long, default_value_t = 1_000_000)]
    people: usize,
    /// Decisions to ask for.
    #[arg(long, default_value_t = 20_000)]
    decisions: usize,
    /// Concurrent clients.
    #[arg(long, default_value_t = 8)]
    clients: usize,
}

/// A zone where it is midday now (Etc/GMT-2 lies two hours east of Greenwich).
fn noon_zone() -> String {
    match 12 - i64::from(Utc::now().hour()) {
        0 => "Etc/GMT".into(),
        e if e > 0 => format!("Etc/GMT-{e}"),
        e => format!("Etc/GMT+{}", -e),
    }
}

fn bar(len: usize, what: &str) -> anyhow::Result<ProgressBar> {
    Ok(ProgressBar::new(len as u64).with_style(
        ProgressStyle::with_template(&format!(
            "[{{bar:40}}] {{pos}}/{{len}} {what} ({{per_sec}}, {{eta}} left)"
        ))?
        .progress_chars("=> "),
    ))
}

fn email(i: usize) -> anyhow::Result<Identifier> {
    Ok(Identifier::parse(
        IdentifierKind::Email,
        &format!("person{i}@example.se"),
        "SE",
    )?)
}

/// The people, their consents and every tenth one's account; each person's id.
async fn fill(t: &Target, people: usize) -> anyhow::Result<Vec<PersonId>> {
    let mut persons = Vec::with_capacity(people);
    let progress = bar(people, "people")?;
    let at = Utc::now() - chrono::Duration::days(30);
    for start in (0..people).step_by(10_000) {
        let batch = (start..(start + 10_000).min(people))
            .map(|i| {
                Ok(NewProfile {
                    id: ProfileId::new(),
                    display_name: None,
                    identifiers: vec![email(i)?],
                    attributes: Default::default(),
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let made = t.store.create_profiles(t.provider, batch).await?;
        let consents = made
            .iter()
            .enumerate()
            .map(|(k, p)| ImportedConsent {
                profile: p.id,
                purpose: Purpose::Marketing,
                given: (start + k) % 10 != 3,
                at,
            })
            .collect();
        t.store.import_consents(t.provider, consents).await?;
        persons.extend(made.iter().map(|p| p.person_id));
        progress.inc(made.len() as u64);
    }
    progress.finish_and_clear();
    let progress = bar(people.div_ceil(10), "accounts")?;
    let five = ContactPreferences {
        weekly_budget: 5,
        quiet_hours: None,
        ..ContactPreferences::default_in("Europe/Stockholm")
    };
    // Sixteen at a time, as people sign in: the writer commits them together.
    let mut pending = tokio::task::JoinSet::new();
    for i in (0..people).step_by(10) {
        let (store, five, id) = (t.store.clone(), five.clone(), email(i)?);
        pending.spawn(async move {
            let account = store.verify_identifier(id, None).await?;
            store.set_contact_preferences(account, five).await
        });
        if pending.len() >= 16 {
            pending.join_next().await.transpose()?.transpose()?;
            progress.inc(1);
        }
    }
    while let Some(done) = pending.join_next().await {
        done??;
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok(persons)
}

/// Who decision `i` is about: spread over everyone, so budgets rarely bind.
fn whom(persons: &[PersonId], i: usize) -> PersonId {
    persons[(i * 7919) % persons.len()]
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let zone = noon_zone();
    let t = target_in(None, Some(&zone)).await?;
    let started = Instant::now();
    let persons = Arc::new(fill(&t, args.people).await?);
    println!(
        "contact: {} people ({} accounts) filled in {:.0} s; {} decisions from {} clients, SQLite",
        args.people,
        args.people.div_ceil(10),
        started.elapsed().as_secs_f64(),
        args.decisions,
        args.clients
    );

    let http = reqwest::Client::new();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.clients {
        let (http, next, persons) = (http.clone(), next.clone(), persons.clone());
        let (url, key, decisions) = (
            format!("{}/api/v1/contact-decisions", t.url),
            t.key.clone(),
            args.decisions,
        );
        tasks.push(tokio::spawn(async move {
            let mut allowed = 0usize;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= decisions {
                    break;
                }
                let body = json!({"person_id": whom(&persons, i), "channel": "email", "purpose": "marketing"});
                let r = http.post(&url).bearer_auth(&key).json(&body).send().await?;
                anyhow::ensure!(r.status().is_success(), "decision refused: {}", r.status());
                let answer: serde_json::Value = r.json().await?;
                allowed += usize::from(answer["verdict"] == "allow");
            }
            Ok::<usize, anyhow::Error>(allowed)
        }));
    }
    let mut allowed = 0;
    for task in tasks {
        allowed += task.await??;
    }
    let secs = started.elapsed().as_secs_f64();
    let ours = args.decisions as f64 / secs;
    println!(
        "  Mötesplats, HTTP API, durable:            {ours:>8.0} decisions/s ({secs:.2} s, {allowed} allowed)"
    );

    let database = t.database.clone();
    let (plain, plain_allowed) =
        tokio::task::spawn_blocking(move || plain_sql(&database, &persons, args.decisions))
            .await??;
    println!(
        "  plain indexed SQL, one transaction each:  {plain:>8.0} decisions/s ({plain_allowed} allowed)  ratio Mötesplats / plain: {:.2}",
        ours / plain
    );
    println!("  peak memory (RSS): {} MB", peak_rss_kb() / 1024);
    Ok(())
}

/// The same lookups by a minimal program on its own connection: the person's profile,
/// their account through a verified identifier, the consent, the preferences, the
/// week's count (with an account, under each of its persons too), and the hold when
/// there is room; one durable transaction each.
/// Decisions start after the API's, on other people, so neither meets the other's holds.
fn plain_sql(
    database: &str,
    persons: &[PersonId],
    decisions: usize,
) -> anyhow::Result<(f64, usize)> {
    let mut c = rusqlite::Connection::open(database)?;
    c.pragma_update(None, "journal_mode", "WAL")?;
    c.pragma_update(None, "synchronous", "FULL")?;
    c.busy_timeout(std::time::Duration::from_secs(10))?;
    let started = Instant::now();
    let mut allowed = 0;
    for i in decisions..2 * decisions {
        let person = whom(persons, i).0;
        let now = Utc::now().timestamp_micros();
        // Immediate, as a minimal program that reads and then writes must: a deferred one
        // fails at once when another connection wrote in between.
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let profile: uuid::Uuid = tx
            .prepare_cached("SELECT id FROM profiles WHERE person_id = ?1 LIMIT 1")?
            .query_row([person], |r| r.get(0))?;
        let account: Option<uuid::Uuid> = tx
            .prepare_cached(
                "SELECT v.account_id FROM identifiers i JOIN verified_identifiers v ON v.kind = i.kind AND v.value = i.value \
                 WHERE i.profile_id = ?1",
            )?
            .query_row([profile], |r| r.get(0))
            .ok();
        let given: bool = tx
            .prepare_cached("SELECT given FROM imported_consents WHERE profile_id = ?1 AND purpose = 'marketing'")?
            .query_row([profile], |r| r.get(0))?;
        let budget = match account {
            Some(a) => {
                let prefs: String = tx
                    .prepare_cached("SELECT preferences FROM accounts WHERE id = ?1")?
                    .query_row([a], |r| r.get(0))?;
                serde_json::from_str::<ContactPreferences>(&prefs)?.weekly_budget
            }
            None => 3,
        };
        let key = account.unwrap_or(person);
        // With an account, its persons' keys count too (what was held before it).
        let mut keys = vec![key];
        if let Some(a) = account {
            let mut persons = tx.prepare_cached(
                "SELECT p.person_id FROM verified_identifiers v CROSS JOIN providers pr \
                 CROSS JOIN identifiers i CROSS JOIN profiles p WHERE v.account_id = ?1 \
                 AND i.provider_id = pr.id AND i.kind = v.kind AND i.value = v.value AND p.id = i.profile_id",
            )?;
            let found = persons.query_map([a], |r| r.get::<_, uuid::Uuid>(0))?;
            keys.extend(found.collect::<rusqlite::Result<Vec<_>>>()?);
        }
        let used = {
            let mut count = tx.prepare_cached(
                "SELECT count(*) FROM contacts WHERE budget_key = ?1 AND decided_at > ?2 AND counts = 1 \
                 AND (sent_at IS NOT NULL OR held_until > ?3)",
            )?;
            let mut used = 0u32;
            for k in keys {
                let week = rusqlite::params![k, now - 7 * 86_400_000_000, now];
                used += count.query_row(week, |r| r.get::<_, u32>(0))?;
            }
            used
        };
        if given && used < budget {
            tx.prepare_cached(
                "INSERT INTO contacts (id, budget_key, provider_id, profile_id, channel, purpose, counts, decided_at, held_until) \
                 SELECT ?1, ?2, provider_id, id, 'email', 'marketing', 1, ?3, ?4 FROM profiles WHERE id = ?5",
            )?
            .execute(rusqlite::params![uuid::Uuid::now_v7(), key, now, now + 600_000_000, profile])?;
            allowed += 1;
        }
        tx.commit()?;
    }
    Ok((decisions as f64 / started.elapsed().as_secs_f64(), allowed))
}
