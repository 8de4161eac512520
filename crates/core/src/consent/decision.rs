//! May this provider contact this person now, in this channel, for this purpose?
//! The answer weighs the person's consent, their preferences, their quiet hours,
//! the contacts every provider together made in the last seven days, and the moment
//! the person is in; it is allow, deny, or defer until a time, with every reason.

use super::choice::{Choice, Purpose};
use super::preferences::ContactPreferences;
use crate::channel::ChannelKey;
use crate::invalid::{Checker, Invalid, List, Reason};
use crate::value::{Motivation, Phase, vocabulary};
use chrono::{DateTime, Days, LocalResult, TimeDelta, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The attention budget's span: any seven days.
pub const WEEK: TimeDelta = TimeDelta::days(7);
/// How long an allowed contact stays held for its provider before it lapses
/// unsent, so that parallel askers cannot overdraw the budget.
pub const HOLD: TimeDelta = TimeDelta::minutes(10);

vocabulary!(
    /// Why a provider wants to make contact: to sell, to ask (surveys, interviews), or
    /// to serve something the person asked for (a booking, a delivery, their case).
    ContactPurpose { Marketing => "marketing", Research => "research", Service => "service" }
);
vocabulary!(
    /// Urgent is only for service the person must hear of at once (a cancelled stay,
    /// a blocked card): it passes quiet hours and moments, never consent or channels.
    Urgency { Routine => "routine", Urgent => "urgent" }
);

impl ContactPurpose {
    /// The kind of the touchpoint a confirmed send becomes, so the journeys count it
    /// as message pressure (service, asked for, is left out there).
    pub fn touchpoint_kind(self) -> &'static str {
        match self {
            ContactPurpose::Marketing => "contact.marketing",
            ContactPurpose::Research => "contact.research",
            ContactPurpose::Service => "contact.service",
        }
    }

    /// The consent the purpose needs; service needs none.
    pub fn consent(self) -> Option<Purpose> {
        match self {
            ContactPurpose::Marketing => Some(Purpose::Marketing),
            ContactPurpose::Research => Some(Purpose::Research),
            ContactPurpose::Service => None,
        }
    }
}

/// What the provider knows of the person's situation now, if anything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Context {
    pub phase: Option<Phase>,
    pub motivation: Option<Motivation>,
}

impl Context {
    /// A moment of relationships or experiences: the motivation says so, and the
    /// person is not known to be before or after the meeting.
    pub fn moment(&self) -> Option<Motivation> {
        self.motivation
            .filter(|m| matches!(m, Motivation::Relationships | Motivation::Experiences))
            .filter(|_| !matches!(self.phase, Some(Phase::Before | Phase::After)))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRequest {
    pub channel: ChannelKey,
    pub purpose: ContactPurpose,
    pub urgency: Urgency,
    pub context: Context,
}

/// A request's fields as sent; `person_id` is the caller's business.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ContactRequestInput {
    pub channel: Option<String>,
    pub purpose: Option<String>,
    /// `routine` when absent.
    pub urgency: Option<String>,
    pub context: Option<ContextInput>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ContextInput {
    pub phase: Option<String>,
    pub motivation: Option<String>,
}

impl ContactRequestInput {
    pub fn parse(&self) -> Result<ContactRequest, Invalid> {
        let mut c = Checker::new();
        let channel = c
            .required("channel", self.channel.as_deref())
            .and_then(|s| c.take(ChannelKey::parse(s).map_err(|e| e.within("channel"))));
        let purpose = c
            .required("purpose", self.purpose.as_deref())
            .and_then(|s| c.take(ContactPurpose::parse(s).map_err(|e| e.within("purpose"))));
        let urgency = match self.urgency.as_deref() {
            None => Some(Urgency::Routine),
            Some(s) => c.take(Urgency::parse(s).map_err(|e| e.within("urgency"))),
        };
        if urgency == Some(Urgency::Urgent) && purpose.is_some_and(|p| p != ContactPurpose::Service)
        {
            c.fail("urgency", Reason::UrgentService);
        }
        let context = self.context.clone().unwrap_or_default();
        let phase = context
            .phase
            .as_deref()
            .and_then(|s| c.take(Phase::parse(s).map_err(|e| e.within("context.phase"))));
        let motivation = context
            .motivation
            .as_deref()
            .and_then(|s| c.take(Motivation::parse(s).map_err(|e| e.within("context.motivation"))));
        c.finish()?;
        match (channel, purpose, urgency) {
            (Some(channel), Some(purpose), Some(urgency)) => Ok(ContactRequest {
                channel,
                purpose,
                urgency,
                context: Context { phase, motivation },
            }),
            _ => Err(Invalid::one("", Reason::Required)),
        }
    }
}

/// What the store knows when it decides.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The choice that holds for the purpose's consent (`holding`), if any.
    pub consent: Option<&'a Choice>,
    pub preferences: &'a ContactPreferences,
    /// When each counted contact of the last seven days began to count (sent, or
    /// decided and still held), by every provider together.
    pub counted: &'a [DateTime<Utc>],
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    Deny,
    Defer { until: DateTime<Utc> },
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::Deny => "deny",
            Verdict::Defer { .. } => "defer",
        }
    }

    pub fn until(self) -> Option<DateTime<Utc>> {
        match self {
            Verdict::Defer { until } => Some(until),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Verdict,
    /// Why: on an allow, what made it possible; otherwise each check that stood in
    /// the way.
    pub reasons: Vec<Reason>,
    /// Whether an allow counts against the budget (and is held until sent).
    pub counts: bool,
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn decide(request: &ContactRequest, facts: &Facts) -> Decision {
    let prefs = facts.preferences;
    let counts = request.purpose != ContactPurpose::Service;
    let urgent = request.urgency == Urgency::Urgent;
    let mut against = Vec::new();
    let mut allowing = Vec::new();

    match request.purpose.consent() {
        None => allowing.push(Reason::ContactService),
        Some(purpose) => match facts.consent {
            Some(c) if c.given => allowing.push(Reason::ContactConsented {
                purpose: purpose.to_string(),
                source: c.source.to_string(),
                at: stamp(c.at),
            }),
            Some(c) => against.push(Reason::ContactWithdrawn {
                purpose: purpose.to_string(),
                at: stamp(c.at),
            }),
            None => against.push(Reason::ContactNoConsent {
                purpose: purpose.to_string(),
            }),
        },
    }
    if !prefs.accepts(&request.channel) {
        against.push(Reason::ContactChannel {
            channel: request.channel.as_str().to_string(),
            allowed: List::of(prefs.channels.iter().flatten().map(ChannelKey::as_str)),
        });
    }
    if counts && prefs.weekly_budget == 0 {
        against.push(Reason::ContactNone);
    }
    if !urgent
        && !prefs.welcome_in_moments
        && let Some(m) = request.context.moment()
    {
        against.push(Reason::ContactMoment {
            motivation: m.to_string(),
        });
    }
    if !against.is_empty() {
        return Decision {
            verdict: Verdict::Deny,
            reasons: against,
            counts,
        };
    }

    // The first time from now that is outside the quiet hours and has room in the
    // budget: each wait may move the other, so settle them in turn. The counted
    // contacts lie in the past, so once a wait for the budget is over it stays over;
    // at most quiet, budget, quiet moves it, and four rounds always settle.
    let budget = prefs.weekly_budget as usize;
    let mut at = facts.now;
    let mut waits = Vec::new();
    for _ in 0..4 {
        let quiet_end = (!urgent).then(|| quiet_until(prefs, at)).flatten();
        let free = counts
            .then(|| budget_free(facts.counted, budget, at))
            .flatten();
        match (quiet_end, free) {
            (None, None) => break,
            (q, f) => {
                if let Some(end) = q {
                    waits.push(Reason::ContactQuiet {
                        from: prefs
                            .quiet_hours
                            .map(|h| h.from.format("%H:%M").to_string())
                            .unwrap_or_default(),
                        to: prefs
                            .quiet_hours
                            .map(|h| h.to.format("%H:%M").to_string())
                            .unwrap_or_default(),
                        until: stamp(end),
                    });
                }
                if let Some((used, until)) = f {
                    waits.push(Reason::ContactBudget {
                        used,
                        budget,
                        until: stamp(until),
                    });
                }
                at = q.into_iter().chain(f.map(|(_, u)| u)).max().unwrap_or(at);
            }
        }
    }
    if at > facts.now {
        // Each wait once, as it stood last (its `until` the latest).
        let mut seen = std::collections::HashSet::new();
        waits.reverse();
        waits.retain(|r| seen.insert(r.code()));
        waits.reverse();
        return Decision {
            verdict: Verdict::Defer { until: at },
            reasons: waits,
            counts,
        };
    }
    if counts {
        allowing.push(Reason::ContactWithinBudget {
            used: in_week(facts.counted, facts.now).count(),
            budget,
        });
    }
    Decision {
        verdict: Verdict::Allow,
        reasons: allowing,
        counts,
    }
}

/// The contacts that count at `at`: those of the seven days before it, and any decided
/// after it (a parallel asker whose clock read later may have held one first).
fn in_week(
    counted: &[DateTime<Utc>],
    at: DateTime<Utc>,
) -> impl Iterator<Item = DateTime<Utc>> + '_ {
    counted.iter().copied().filter(move |t| *t > at - WEEK)
}

/// When the budget has room again after `at`, and how many it counts at `at`; None
/// when there is room at `at`. A contact stops counting seven days after it began.
fn budget_free(
    counted: &[DateTime<Utc>],
    budget: usize,
    at: DateTime<Utc>,
) -> Option<(usize, DateTime<Utc>)> {
    let mut week: Vec<_> = in_week(counted, at).collect();
    if week.len() < budget {
        return None;
    }
    week.sort();
    // Room comes once all but budget - 1 of them are older than a week.
    let oldest_to_go = week.get(week.len().checked_sub(budget)?)?;
    Some((week.len(), *oldest_to_go + WEEK))
}

/// When the quiet hours around `at` end, in the person's zone; None outside them.
fn quiet_until(prefs: &ContactPreferences, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let quiet = prefs.quiet_hours?;
    let zone = prefs.zone();
    let local = at.with_timezone(&zone);
    if !quiet.holds_at(local.time()) {
        return None;
    }
    let date = local.date_naive();
    let day = if local.time() < quiet.to {
        date
    } else {
        date.checked_add_days(Days::new(1))?
    };
    let end = day.and_time(quiet.to);
    match zone.from_local_datetime(&end) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
        // The clock skips the end (summer time begins): quiet ends when the clock is
        // past it, an hour later on the wall.
        LocalResult::None => zone
            .from_local_datetime(&(end + TimeDelta::hours(1)))
            .earliest()
            .map(|t| t.with_timezone(&Utc)),
    }
}
