//! Probabilistic linkage of one provider's profiles over any store: a model trained
//! on its records (only when asked: retraining is its own step), every candidate
//! pair scored with the stored model, and the persons rebuilt with the links while
//! the pairs in the review band wait for a person. The same model on the same
//! records gives the same persons, and every decision people made is kept.

use crate::{Result, Store, StoreError};
use motesplats_core::identity::{FieldWeight, Match};
use motesplats_core::linkage::{
    self, Class, Field, Model, Prepared, Rule, Scored, Settings, Thresholds, compare::levels,
};
use motesplats_core::{Invalid, ProviderId, Reason};

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
                let t = linkage::train(&prepared, &Settings::new(Rule::defaults(), thresholds))?;
                (t.model, Some(t.rounds))
            }
        };
        let prediction = linkage::link(&model, &prepared)?;
        Ok::<_, motesplats_core::Invalid>((model, rounds, prediction.pairs))
    })
    .await
    .map_err(|e| StoreError::Backend(format!("linkage stopped: {e}")))?
    .map_err(StoreError::Invalid)?;
    if trained.is_some() {
        store.save_linkage_model(provider, model).await?;
    }
    let (mut links, mut review) = (Vec::new(), Vec::new());
    for pair in pairs {
        let class = if household(&pair) {
            Class::Review
        } else {
            pair.class
        };
        let m = to_match(pair)?;
        match class {
            Class::Link => links.push(m),
            Class::Review => review.push(m),
        }
    }
    let (link_count, review_count) = (links.len(), review.len());
    let moved = store.set_linkage_pairs(provider, links, review).await?;
    Ok(Linked {
        records: count,
        trained,
        model: true,
        links: link_count,
        review: review_count,
        moved,
    })
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

fn to_match(pair: Scored) -> Result<Match> {
    let id = |s: &str| {
        s.parse()
            .map_err(|_| StoreError::Backend(format!("a linkage record with id {s}")))
    };
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
