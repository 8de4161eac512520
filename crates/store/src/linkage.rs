//! Probabilistic linkage of one provider's profiles over any store: a model trained
//! on its records (only when asked: retraining is its own step), every candidate
//! pair scored with the stored model, and the persons rebuilt with the links while
//! the pairs in the review band wait for a person. The same model on the same
//! records gives the same persons, and every decision people made is kept.

use crate::{LinkagePairs, Result, Store, StoreError};
use motesplats_core::identity::{FieldWeight, Match};
use motesplats_core::linkage::{
    self, Class, Field, Model, Prepared, Record, Rule, Scored, Settings, Thresholds,
    compare::levels,
};
use motesplats_core::{Invalid, ProfileId, ProviderId, Reason};
use std::collections::BTreeSet;

/// Link-class pairs from this probability, review from this one, unless told.
pub const LINK: f64 = 0.9;
pub const REVIEW: f64 = 0.5;
/// Fewer records than this teach EM nothing to trust.
pub const MIN_RECORDS: usize = 100;

/// What a run did.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Linked {
    /// Profiles with linkage attributes.
    pub records: usize,
    /// EM rounds, when a model was trained in this run.
    pub trained: Option<usize>,
    /// Whether the provider has a model at all (none: identifiers alone link).
    pub model: bool,
    pub links: usize,
    pub review: usize,
    /// Profiles that changed person.
    pub moved: usize,
}

/// Blocks of more records than this are skipped when a provider's model is trained
/// and used. The benchmark's 1,000 is fine for FEBRL's few thousand records, but
/// before a million customers a block of one common name or one street holds
/// hundreds of records and puts hundreds of millions of pairs together; the pairs
/// of one person still meet in a smaller block (birth date, postcode).
const BLOCK_CAP: usize = 200;

/// Where a run's model comes from.
enum Source {
    Train(Thresholds),
    Stored(Model),
}

/// Links the provider's profiles: with `train`, first a new model with those
/// thresholds (stored, replacing the old; refused below [`MIN_RECORDS`]); without,
/// the stored model, or identifiers alone when there is none.
pub async fn link(
    store: &dyn Store,
    provider: ProviderId,
    train: Option<Thresholds>,
) -> Result<Linked> {
    let records = store.linkage_records(provider).await?;
    let count = records.len();
    let source = match train {
        Some(_) if count < MIN_RECORDS => {
            let few = Reason::TooFewRecords {
                needed: MIN_RECORDS,
                got: count,
            };
            return Err(StoreError::Invalid(Invalid::one("records", few)));
        }
        Some(thresholds) => Source::Train(thresholds),
        None => match store.linkage_model(provider).await? {
            Some(model) => Source::Stored(model),
            None => {
                let moved = store.relink(provider).await?;
                return Ok(Linked {
                    records: count,
                    trained: None,
                    model: false,
                    links: 0,
                    review: 0,
                    moved,
                });
            }
        },
    };
    // Blocking, comparing and EM are CPU work: off the async threads.
    let (model, trained, pairs) = tokio::task::spawn_blocking(move || {
        let prepared = Prepared::new(&records)?;
        let (model, rounds) = match source {
            Source::Stored(model) => (model, None),
            Source::Train(thresholds) => {
                let settings = Settings {
                    block_cap: BLOCK_CAP,
                    ..Settings::new(Rule::defaults(), thresholds)
                };
                let t = linkage::train(&prepared, &settings)?;
                (t.model, Some(t.rounds))
            }
        };
        let prediction = linkage::link(&model, &prepared)?;
        let every: Vec<usize> = (0..prepared.len()).collect();
        let keys = keys_of(&model, &prepared, &every)?;
        Ok::<_, Invalid>((model, rounds, sort(keys, prediction.pairs)?))
    })
    .await
    .map_err(|e| StoreError::Backend(format!("linkage stopped: {e}")))?
    .map_err(StoreError::Invalid)?;
    if trained.is_some() {
        store.save_linkage_model(provider, model).await?;
    }
    let (links, review) = (pairs.links.len(), pairs.review.len());
    let moved = store.set_linkage_pairs(provider, pairs).await?;
    Ok(Linked {
        records: count,
        trained,
        model: true,
        links,
        review,
        moved,
    })
}

/// Links profiles that arrived since their provider was last linked, at most
/// `limit`: each is compared, with the stored model, with the profiles that share
/// a blocking key with it, as a whole run would compare it. Without a model they
/// only leave the waiting list. Returns how many were taken.
pub async fn absorb(store: &dyn Store, limit: u32) -> Result<usize> {
    let mut taken = 0;
    for (provider, fresh) in store.linkage_pending(limit).await? {
        taken += fresh.len();
        let ids = fresh
            .iter()
            .map(|r| profile_id(&r.id))
            .collect::<Result<Vec<ProfileId>>>()?;
        let Some(model) = store.linkage_model(provider).await? else {
            store
                .absorb_linkage(provider, ids, LinkagePairs::default())
                .await?;
            continue;
        };
        let fresh: Vec<Record> = fresh.into_iter().filter(|r| !r.fields.is_empty()).collect();
        let alone = Prepared::new(&fresh).map_err(StoreError::Invalid)?;
        let every: Vec<usize> = (0..alone.len()).collect();
        let wanted: Vec<String> = keys_of(&model, &alone, &every)
            .map_err(StoreError::Invalid)?
            .into_iter()
            .flat_map(|(_, k)| k)
            .collect();
        let known = store
            .linkage_candidates(provider, wanted, model.block_cap)
            .await?;
        let pairs = tokio::task::spawn_blocking(move || {
            let new: BTreeSet<String> = fresh.iter().map(|r| r.id.clone()).collect();
            let mut together = fresh;
            together.extend(known.into_iter().filter(|r| !new.contains(&r.id)));
            let prepared = Prepared::new(&together)?;
            let mine: Vec<usize> = (0..prepared.len())
                .filter(|&i| new.contains(prepared.id(i)))
                .collect();
            let keys = keys_of(&model, &prepared, &mine)?;
            let found = linkage::link(&model, &prepared)?.pairs;
            // Pairs of two known profiles were scored when they came.
            let found = found
                .into_iter()
                .filter(|p| new.contains(&p.a) || new.contains(&p.b))
                .collect();
            sort(keys, found)
        })
        .await
        .map_err(|e| StoreError::Backend(format!("linkage stopped: {e}")))?
        .map_err(StoreError::Invalid)?;
        store.absorb_linkage(provider, ids, pairs).await?;
    }
    Ok(taken)
}

/// The blocking keys of the records at `indexes`, by profile.
fn keys_of(
    model: &Model,
    records: &Prepared,
    indexes: &[usize],
) -> Result<Vec<(ProfileId, Vec<String>)>, Invalid> {
    indexes
        .iter()
        .map(|&i| {
            let id = records
                .id(i)
                .parse()
                .map_err(|_| Invalid::one("id", Reason::Uuid))?;
            Ok((id, linkage::keys(records, &model.rules, i)))
        })
        .collect()
}

/// Pairs into links and pairs to review; a household pair always waits.
fn sort(keys: Vec<(ProfileId, Vec<String>)>, pairs: Vec<Scored>) -> Result<LinkagePairs, Invalid> {
    let mut out = LinkagePairs {
        keys,
        ..LinkagePairs::default()
    };
    for pair in pairs {
        let class = if household(&pair) {
            Class::Review
        } else {
            pair.class
        };
        let m = to_match(pair)?;
        match class {
            Class::Link => out.links.push(m),
            Class::Review => out.review.push(m),
        }
    }
    Ok(out)
}

/// Two records at one address with one family name but different given names are
/// most often two people of one household: street and postcode agree together, so
/// their weights count one coincidence twice. Such a pair waits for a person
/// however likely the model finds it.
fn household(pair: &Scored) -> bool {
    pair.evidence
        .iter()
        .any(|e| e.field == Field::GivenName && Some(&e.level) == levels(e.field).last())
}

/// A record's id as the profile id it was made from.
fn profile_id(id: &str) -> Result<ProfileId> {
    id.parse()
        .map_err(|_| StoreError::Backend(format!("a linkage record with id {id}")))
}

fn to_match(pair: Scored) -> Result<Match, Invalid> {
    let id = |s: &str| s.parse().map_err(|_| Invalid::one("id", Reason::Uuid));
    Ok(Match {
        a: id(&pair.a)?,
        b: id(&pair.b)?,
        probability: pair.probability,
        fields: pair
            .evidence
            .iter()
            .map(|e| FieldWeight {
                field: e.field,
                level: e.level.to_string(),
                weight: e.weight,
            })
            .collect(),
    })
}
