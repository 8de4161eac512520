//! Giving value back: a person's own meetings and purchases at a provider beside those
//! of the people there whose journeys mostly share their motivation. A group smaller
//! than `MIN_PERSONS` is never shown, so the comparison cannot point at anyone.

use super::figures::MIN_PERSONS;
use super::landscape::JourneyValue;
use super::log::Placement;
use crate::value::Motivation;
use std::collections::HashMap;

/// One person's journeys at a provider, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub meetings: u32,
    pub purchases: u32,
    /// The motivation most of their journeys had (the earlier-listed on a tie); None
    /// when none of their journeys had one.
    pub motivation: Option<Motivation>,
}

/// Every person's tally, by index into the log's persons.
pub fn tallies(persons: usize, placed: &Placement, values: &[JourneyValue]) -> Vec<Tally> {
    let mut out = vec![Tally::default(); persons];
    let mut mixes: Vec<HashMap<Motivation, u32>> = vec![HashMap::new(); persons];
    for (span, value) in placed.journeys.iter().zip(values) {
        let p = span.person as usize;
        out[p].meetings += 1;
        out[p].purchases += u32::from(value.purchase);
        if let Some(m) = value.verdict.motivation {
            *mixes[p].entry(m).or_default() += 1;
        }
    }
    for (tally, mix) in out.iter_mut().zip(mixes) {
        tally.motivation = Motivation::ALL
            .iter()
            .copied()
            .filter(|m| mix.contains_key(m))
            .max_by_key(|m| (mix[m], std::cmp::Reverse(*m)));
    }
    out
}

/// A person beside their group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    pub motivation: Motivation,
    /// How many people are in the group, the person included.
    pub group: usize,
    pub own: Tally,
    pub median_meetings: f64,
    pub median_purchases: f64,
}

/// The person `person` beside everyone whose journeys mostly share their motivation;
/// None without a motivation or when the group is smaller than `MIN_PERSONS`.
pub fn compare(tallies: &[Tally], person: usize) -> Option<Comparison> {
    let own = *tallies.get(person)?;
    let motivation = own.motivation?;
    let group: Vec<&Tally> = tallies
        .iter()
        .filter(|t| t.motivation == Some(motivation))
        .collect();
    if (group.len() as u64) < MIN_PERSONS {
        return None;
    }
    let median = |f: fn(&Tally) -> u32| {
        let mut v: Vec<u32> = group.iter().map(|t| f(t)).collect();
        v.sort_unstable();
        let n = v.len();
        if n % 2 == 1 {
            f64::from(v[n / 2])
        } else {
            (f64::from(v[n / 2 - 1]) + f64::from(v[n / 2])) / 2.0
        }
    };
    Some(Comparison {
        motivation,
        group: group.len(),
        own,
        median_meetings: median(|t| t.meetings),
        median_purchases: median(|t| t.purchases),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(meetings: u32, purchases: u32, motivation: Option<Motivation>) -> Tally {
        Tally {
            meetings,
            purchases,
            motivation,
        }
    }

    #[test]
    fn a_person_is_compared_only_with_a_group_of_ten_or_more() {
        let goal = Some(Motivation::ALL[0]);
        let other = Some(Motivation::ALL[1]);
        // Nine others share her motivation: ten in all, with 1..=10 meetings.
        let mut all: Vec<Tally> = (1..=10).map(|n| tally(n, n / 2, goal)).collect();
        all.push(tally(50, 50, other));
        all.push(tally(3, 0, None));
        let c = compare(&all, 0).unwrap();
        assert_eq!((c.motivation, c.group), (Motivation::ALL[0], 10));
        assert_eq!(c.own, tally(1, 0, goal));
        assert_eq!(c.median_meetings, 5.5);
        assert_eq!(c.median_purchases, 2.5);
        // One fewer and nothing is shown; nor for someone with no motivation.
        all.remove(9);
        assert_eq!(compare(&all, 0), None);
        assert_eq!(compare(&all, all.len() - 1), None);
    }
}
