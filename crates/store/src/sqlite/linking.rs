//! Identity on SQLite: the queries behind `crate::linking` (where a touchpoint lands,
//! what a change reaches, what relinking writes), the decisions people make, the
//! merge history and the identifiers people verified.

use super::rows::{self, Micros, micros};
use super::store::insert_profile;
use crate::linking::{self, Change, IdentityEvent, ProfileFacts, Walk};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::NewProfile;
use motesplats_core::identity::{Decision, Observation, Rules};
use motesplats_core::{Identifier, IdentifierKind, PersonId, ProfileId, ProviderId};
use rusqlite::{Connection, params};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// A stored identifier; a kind that no longer parses is corruption.
pub(super) fn identifier(kind: String, value: String) -> Result<Identifier> {
    let kind = IdentifierKind::parse(&kind)
        .map_err(|_| StoreError::Backend("unreadable identifier kind".into()))?;
    Ok(Identifier { kind, value })
}

/// The holders of `id`, smallest first, at most `linking::lookup_limit`.
pub fn holders(
    c: &Connection,
    rules: &'static Rules,
    provider: ProviderId,
    id: &Identifier,
) -> Result<Vec<ProfileId>> {
    // The limit is not bound as `LIMIT ?`: SQLite plans anew whenever a bound LIMIT
    // is bound again, and this runs for every identifier that arrives. The rows come
    // in key order, so taking the first ones is the same.
    let found = c
        .prepare_cached(
            "SELECT profile_id FROM identifiers WHERE provider_id = ?1 AND kind = ?2 AND value = ?3 \
             ORDER BY profile_id",
        )?
        .query_map(params![provider.0, id.kind.as_str(), id.value], |r| {
            Ok(ProfileId(r.get(0)?))
        })?
        .take(linking::lookup_limit(rules, id))
        .collect::<rusqlite::Result<_>>()?;
    Ok(found)
}

/// Records that `profile` carries `id`; returns the profiles whose persons this may
/// change (none when it carried it already).
pub fn attach(
    c: &Connection,
    rules: &'static Rules,
    provider: ProviderId,
    profile: ProfileId,
    id: &Identifier,
) -> Result<Vec<ProfileId>> {
    let added = c
        .prepare_cached(
            "INSERT OR IGNORE INTO identifiers (provider_id, kind, value, profile_id) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![provider.0, id.kind.as_str(), id.value, profile.0])?;
    if added == 0 {
        return Ok(Vec::new());
    }
    let on = holders(c, rules, provider, id)?;
    Ok(linking::touched_by(rules, id, profile, &on))
}

/// Places touchpoints by the identifiers they carry, within one transaction of one
/// provider, remembering each identifier's holders as it goes: a customer's many
/// events cost one lookup, and an identifier already on the chosen profile no write.
pub struct Placer {
    rules: &'static Rules,
    provider: ProviderId,
    holders: HashMap<Identifier, Vec<ProfileId>>,
    /// The profiles whose persons the placements may have changed.
    pub touched: BTreeSet<ProfileId>,
}

impl Placer {
    pub fn new(provider: ProviderId) -> Self {
        Placer {
            rules: linking::rules(),
            provider,
            holders: HashMap::new(),
            touched: BTreeSet::new(),
        }
    }

    fn holders_of(&mut self, c: &Connection, id: &Identifier) -> Result<Vec<ProfileId>> {
        if let Some(on) = self.holders.get(id) {
            return Ok(on.clone());
        }
        let on = holders(c, self.rules, self.provider, id)?;
        self.holders.insert(id.clone(), on.clone());
        Ok(on)
    }

    fn holders_of_all(
        &mut self,
        c: &Connection,
        ids: &[Identifier],
    ) -> Result<Vec<Vec<ProfileId>>> {
        ids.iter().map(|i| self.holders_of(c, i)).collect()
    }

    /// The profile a touchpoint carrying `ids` lands on if placing it changes nothing
    /// (`linking::holding_all`); it only reads.
    pub fn held(&mut self, c: &Connection, ids: &[Identifier]) -> Result<Option<ProfileId>> {
        let on = self.holders_of_all(c, ids)?;
        Ok(linking::holding_all(self.rules, ids, &on))
    }

    /// The profile a touchpoint carrying `ids` lands on (`linking::choose`; a new
    /// profile when nobody holds any), which then carries them all.
    pub fn place(
        &mut self,
        c: &Connection,
        ids: &[Identifier],
        at: DateTime<Utc>,
    ) -> Result<ProfileId> {
        let on = self.holders_of_all(c, ids)?;
        let chosen = linking::choose(self.rules, ids, &on);
        let profile = match chosen {
            Some(p) => p,
            None => {
                let new = NewProfile {
                    id: ProfileId::new(),
                    display_name: None,
                    identifiers: Vec::new(),
                    attributes: Default::default(),
                };
                insert_profile(c, self.provider, &new, at, &mut BTreeSet::new())?.id
            }
        };
        let mut add = c.prepare_cached(
            "INSERT OR IGNORE INTO identifiers (provider_id, kind, value, profile_id) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for i in ids {
            let held = self.holders.entry(i.clone()).or_default();
            let Err(at) = held.binary_search(&profile) else {
                continue;
            };
            add.execute(params![
                self.provider.0,
                i.kind.as_str(),
                i.value,
                profile.0
            ])?;
            held.insert(at, profile);
            held.truncate(linking::lookup_limit(self.rules, i));
            // A new profile's identifiers had no holders: it is a person of its own.
            if chosen.is_some() {
                self.touched
                    .extend(linking::touched_by(self.rules, i, profile, held));
            }
        }
        Ok(profile)
    }

    pub fn provider(&self) -> ProviderId {
        self.provider
    }

    /// Relinks what the placements touched.
    pub fn relink(self, c: &Connection, at: DateTime<Utc>) -> Result<()> {
        relink(c, self.rules, self.provider, self.touched, at).map(drop)
    }
}

/// Resolves the persons of everything `touched` can reach and writes what changed;
/// how many profiles changed person.
pub fn relink(
    c: &Connection,
    rules: &'static Rules,
    provider: ProviderId,
    touched: BTreeSet<ProfileId>,
    at: DateTime<Utc>,
) -> Result<usize> {
    if touched.is_empty() {
        return Ok(0);
    }
    let relinked = walk(c, rules, provider, touched)?.relink(rules);
    let moved = relinked.moves.len();
    write(c, provider, relinked, at)?;
    Ok(moved)
}

/// The part of the provider's graph reachable from `start`.
pub fn walk(
    c: &Connection,
    rules: &'static Rules,
    provider: ProviderId,
    start: impl IntoIterator<Item = ProfileId>,
) -> Result<linking::Component> {
    let mut walk = Walk::new(rules, start);
    while let Some(profiles) = walk.frontier() {
        let ask = walk.learn(facts(c, provider, &profiles)?);
        let mut found = Vec::with_capacity(ask.len());
        for id in ask {
            let on = holders(c, rules, provider, &id)?;
            found.push((id, on));
        }
        walk.holders(found);
    }
    Ok(walk.finish())
}

fn facts(c: &Connection, provider: ProviderId, profiles: &[ProfileId]) -> Result<ProfileFacts> {
    let mut out = ProfileFacts::default();
    let mut carried = c.prepare_cached(
        "SELECT kind, value FROM identifiers WHERE profile_id = ?1 AND provider_id = ?2",
    )?;
    let mut mates = c.prepare_cached(
        "SELECT id, person_id FROM profiles WHERE provider_id = ?1 AND person_id = \
         (SELECT person_id FROM profiles WHERE id = ?2 AND provider_id = ?1)",
    )?;
    let mut decided = c.prepare_cached(
        // One search per end (an OR would read all the provider's decisions).
        "SELECT a, b, same FROM identity_decisions WHERE provider_id = ?1 AND a = ?2 \
         UNION ALL SELECT a, b, same FROM identity_decisions WHERE provider_id = ?1 AND b = ?2",
    )?;
    for p in profiles {
        for row in carried.query_map(params![p.0, provider.0], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })? {
            let (kind, value) = row?;
            out.observations.push(Observation {
                profile: *p,
                identifier: identifier(kind, value)?,
            });
        }
        for row in mates.query_map(params![provider.0, p.0], |r| {
            Ok((ProfileId(r.get(0)?), PersonId(r.get(1)?)))
        })? {
            out.persons.push(row?);
        }
        for row in decided.query_map(params![provider.0, p.0], |r| {
            Ok(linking::decision(
                ProfileId(r.get(0)?),
                ProfileId(r.get(1)?),
                r.get(2)?,
            ))
        })? {
            out.decisions.push(row?);
        }
        out.matches
            .extend(super::linkage::links_of(c, provider, *p)?);
    }
    Ok(out)
}

/// Moves profiles to their new persons and appends the changes to the history.
pub fn write(
    c: &Connection,
    provider: ProviderId,
    relinked: linking::Relinked,
    at: DateTime<Utc>,
) -> Result<()> {
    let mut person =
        c.prepare_cached("UPDATE profiles SET person_id = ?3 WHERE provider_id = ?1 AND id = ?2")?;
    for (profile, to) in relinked.moves {
        person.execute(params![provider.0, profile.0, to.0])?;
    }
    let mut event = c.prepare_cached(
        "INSERT INTO identity_events (provider_id, a, b, at, change) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for change in relinked.changes {
        let (a, b) = change.profiles();
        let text =
            serde_json::to_string(&change).map_err(|e| StoreError::Backend(e.to_string()))?;
        event.execute(params![provider.0, a.0, b.0, micros(at), text])?;
    }
    Ok(())
}

/// Records a person's decision about two profiles (replacing any earlier one about
/// the pair) and relinks them. `NotFound` unless both are the provider's.
pub fn decide(
    c: &Connection,
    rules: &'static Rules,
    provider: ProviderId,
    decision: Decision,
    by: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<()> {
    let (Decision::Same { a, b } | Decision::Apart { a, b }) = decision;
    for p in [a, b] {
        if rows::profile_by_id(c, provider, p)?.is_none() {
            return Err(StoreError::NotFound);
        }
    }
    c.prepare_cached(
        "INSERT INTO identity_decisions (provider_id, a, b, same, decided_by, decided_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (provider_id, a, b) DO UPDATE SET \
         same = excluded.same, decided_by = excluded.decided_by, decided_at = excluded.decided_at",
    )?
    .execute(params![
        provider.0,
        a.min(b).0,
        a.max(b).0,
        matches!(decision, Decision::Same { .. }),
        by,
        micros(at)
    ])?;
    relink(c, rules, provider, BTreeSet::from([a, b]), at).map(drop)
}

/// The merge history of these profiles, oldest first.
pub fn history(
    c: &Connection,
    provider: ProviderId,
    profiles: &[ProfileId],
) -> Result<Vec<IdentityEvent>> {
    let mut stmt = c.prepare_cached(
        "SELECT seq, at, change FROM identity_events WHERE provider_id = ?1 AND a = ?2 \
         UNION ALL SELECT seq, at, change FROM identity_events WHERE provider_id = ?1 AND b = ?2",
    )?;
    let mut found = std::collections::BTreeMap::new();
    for p in profiles {
        for row in stmt.query_map(params![provider.0, p.0], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Micros>(1)?.0,
                r.get::<_, String>(2)?,
            ))
        })? {
            let (seq, at, text) = row?;
            found.insert(seq, (at, text));
        }
    }
    found
        .into_values()
        .map(|(at, text)| {
            let change: Change = serde_json::from_str(&text)
                .map_err(|_| StoreError::Backend("unreadable identity event".into()))?;
            Ok(IdentityEvent { at, change })
        })
        .collect()
}

/// Rebuilds every person of the provider from its identifiers and decisions.
pub fn relink_all(
    c: &Connection,
    rules: &'static Rules,
    provider: ProviderId,
    at: DateTime<Utc>,
) -> Result<usize> {
    let all: Vec<ProfileId> = c
        .prepare_cached("SELECT id FROM profiles WHERE provider_id = ?1 ORDER BY id")?
        .query_map([provider.0], |r| Ok(ProfileId(r.get(0)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut done = BTreeSet::new();
    let mut moved = 0;
    for p in all {
        if done.contains(&p) {
            continue;
        }
        let component = walk(c, rules, provider, [p])?;
        done.extend(component.before.keys().copied());
        let relinked = component.relink(rules);
        moved += relinked.moves.len();
        write(c, provider, relinked, at)?;
    }
    Ok(moved)
}

/// Every provider's person carrying `id`, if the person verified it; none otherwise.
pub fn verified_persons(c: &Connection, id: &Identifier) -> Result<Vec<(ProviderId, PersonId)>> {
    let found = c
        .prepare_cached(
            "SELECT DISTINCT p.provider_id, p.person_id FROM verified_identifiers v \
             CROSS JOIN providers pr CROSS JOIN identifiers i CROSS JOIN profiles p \
             WHERE v.kind = ?1 AND v.value = ?2 AND i.provider_id = pr.id AND i.kind = v.kind \
             AND i.value = v.value AND p.id = i.profile_id ORDER BY p.provider_id, p.person_id",
        )?
        .query_map(params![id.kind.as_str(), id.value], |r| {
            Ok((ProviderId(r.get(0)?), PersonId(r.get(1)?)))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(found)
}
