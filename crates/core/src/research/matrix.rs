//! The four-field model: where customer and provider perspectives meet. Each
//! perspective's prevailing stance on a moment is its majority; with both, the
//! moment lands in a quadrant and `Action::for_stances` names what to do about it.
//!
//! Rules: a perspective with more likes than dislikes likes the moment, and the
//! other way round. A moment is unclassified, with the reason, when it has no
//! stances at all (`Empty`), when one perspective has none (`OneSided`, naming the
//! missing one — the model needs both sides to meet), or when a perspective is
//! split evenly (`Tie`, naming the customer's tie first when both are). A tie is
//! left for the team to discuss rather than broken by a rule.
//!
//! Layout for drawing: the customer's stance on the x axis (dislike left, like
//! right), the provider's on the y axis (like top, dislike bottom):
//!
//! ```text
//!              customer dislikes   customer likes
//! provider likes     Simplify         Strengthen
//! provider dislikes  Automate         Autonomise
//! ```

use super::ids::MomentId;
use super::project::Project;
use super::protocol::{Moment, Perspective};
use crate::lang::{Label, Lang, pick};
use crate::value::{Action, Phase, Stance};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Likes and dislikes from one perspective.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Tally {
    pub likes: u32,
    pub dislikes: u32,
}

impl Tally {
    pub fn of(moment: &Moment, perspective: Perspective) -> Tally {
        moment
            .stances_of(perspective)
            .fold(Tally::default(), |t, s| match s.stance {
                Stance::Like => Tally {
                    likes: t.likes + 1,
                    ..t
                },
                Stance::Dislike => Tally {
                    dislikes: t.dislikes + 1,
                    ..t
                },
            })
    }

    pub fn total(self) -> u32 {
        self.likes + self.dislikes
    }

    /// The majority stance; none when empty or tied.
    pub fn prevailing(self) -> Option<Stance> {
        match self.likes.cmp(&self.dislikes) {
            std::cmp::Ordering::Greater => Some(Stance::Like),
            std::cmp::Ordering::Less => Some(Stance::Dislike),
            std::cmp::Ordering::Equal => None,
        }
    }
}

/// Why a moment has no place in the matrix yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "reason", content = "perspective", rename_all = "snake_case")]
pub enum Unclassified {
    /// This perspective's likes and dislikes are equal in number.
    Tie(Perspective),
    /// This perspective has recorded nothing about the moment.
    OneSided(Perspective),
    /// Nobody has recorded anything about the moment.
    Empty,
}

impl Unclassified {
    pub fn describe(self, lang: Lang) -> String {
        match (self, lang) {
            (Unclassified::Empty, _) => pick(
                lang,
                "inga gillar eller ogillar ännu",
                "no likes or dislikes yet",
            )
            .into(),
            (Unclassified::OneSided(p), Lang::Sv) => {
                format!("inget från perspektivet {} ännu", p.label(lang))
            }
            (Unclassified::OneSided(p), Lang::En) => {
                format!("nothing from the {} perspective yet", p.label(lang))
            }
            (Unclassified::Tie(p), Lang::Sv) => {
                format!(
                    "lika många gillar som ogillar från perspektivet {}",
                    p.label(lang)
                )
            }
            (Unclassified::Tie(p), Lang::En) => {
                format!(
                    "as many likes as dislikes from the {} perspective",
                    p.label(lang)
                )
            }
        }
    }
}

/// Where a classified moment lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Quadrant {
    pub customer: Stance,
    pub provider: Stance,
    pub action: Action,
}

impl Quadrant {
    pub fn of(customer: Stance, provider: Stance) -> Quadrant {
        Quadrant {
            customer,
            provider,
            action: Action::for_stances(customer, provider),
        }
    }

    /// Column 0 = customer dislikes, 1 = customer likes.
    pub fn column(self) -> u8 {
        u8::from(self.customer == Stance::Like)
    }

    /// Row 0 = provider likes, 1 = provider dislikes.
    pub fn row(self) -> u8 {
        u8::from(self.provider == Stance::Dislike)
    }
}

/// Classifies one moment by the majority of each perspective.
pub fn classify(moment: &Moment) -> Result<Quadrant, Unclassified> {
    let customer = Tally::of(moment, Perspective::Customer);
    let provider = Tally::of(moment, Perspective::Provider);
    match (customer.total(), provider.total()) {
        (0, 0) => return Err(Unclassified::Empty),
        (0, _) => return Err(Unclassified::OneSided(Perspective::Customer)),
        (_, 0) => return Err(Unclassified::OneSided(Perspective::Provider)),
        _ => {}
    }
    let c = customer
        .prevailing()
        .ok_or(Unclassified::Tie(Perspective::Customer))?;
    let p = provider
        .prevailing()
        .ok_or(Unclassified::Tie(Perspective::Provider))?;
    Ok(Quadrant::of(c, p))
}

/// A moment as drawn in the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PlacedMoment {
    pub moment_id: MomentId,
    pub title: String,
    pub phase: Phase,
    pub customer: Tally,
    pub provider: Tally,
    /// The team's chosen focus.
    pub focus: bool,
}

/// One of the four fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Cell {
    pub quadrant: Quadrant,
    pub column: u8,
    pub row: u8,
    /// Ordered by phase, then title.
    pub moments: Vec<PlacedMoment>,
}

/// A moment that has no field yet, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnclassifiedMoment {
    pub moment: PlacedMoment,
    pub reason: Unclassified,
}

/// Everything needed to draw the four-field matrix, with no drawing in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MatrixLayout {
    /// Always four, row by row: Simplify, Strengthen, Automate, Autonomise.
    pub cells: Vec<Cell>,
    pub unclassified: Vec<UnclassifiedMoment>,
}

impl MatrixLayout {
    pub fn cell(&self, action: Action) -> Option<&Cell> {
        self.cells.iter().find(|c| c.quadrant.action == action)
    }
}

/// Lays out the project's moments in the four fields.
pub fn layout(project: &Project) -> MatrixLayout {
    let mut cells: Vec<Cell> = [
        (Stance::Dislike, Stance::Like),
        (Stance::Like, Stance::Like),
        (Stance::Dislike, Stance::Dislike),
        (Stance::Like, Stance::Dislike),
    ]
    .into_iter()
    .map(|(c, p)| {
        let quadrant = Quadrant::of(c, p);
        Cell {
            quadrant,
            column: quadrant.column(),
            row: quadrant.row(),
            moments: Vec::new(),
        }
    })
    .collect();
    let mut unclassified = Vec::new();
    let focus = project.focus.as_ref().map(|f| f.moment_id);
    for m in &project.moments {
        let placed = PlacedMoment {
            moment_id: m.id,
            title: m.title.clone(),
            phase: m.phase,
            customer: Tally::of(m, Perspective::Customer),
            provider: Tally::of(m, Perspective::Provider),
            focus: focus == Some(m.id),
        };
        match classify(m) {
            Ok(q) => {
                if let Some(cell) = cells.iter_mut().find(|c| c.quadrant == q) {
                    cell.moments.push(placed);
                }
            }
            Err(reason) => unclassified.push(UnclassifiedMoment {
                moment: placed,
                reason,
            }),
        }
    }
    for cell in &mut cells {
        cell.moments
            .sort_by(|a, b| (a.phase, &a.title).cmp(&(b.phase, &b.title)));
    }
    MatrixLayout {
        cells,
        unclassified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::fixture;
    use crate::research::protocol::{MomentInput, StanceInput};

    /// Adds a moment with (perspective, stance) pairs and returns its classification.
    fn moment(
        p: &mut Project,
        title: &str,
        stances: &[(&str, &str)],
    ) -> Result<Quadrant, Unclassified> {
        let id = p
            .add_moment(&MomentInput {
                phase: Some("during".into()),
                title: Some(title.into()),
                ..Default::default()
            })
            .unwrap();
        for (perspective, stance) in stances {
            p.record_stance(
                id,
                &StanceInput {
                    perspective: Some((*perspective).into()),
                    stance: Some((*stance).into()),
                    ..Default::default()
                },
            )
            .unwrap();
        }
        classify(p.moment(id).unwrap())
    }

    #[test]
    fn the_seeds_own_examples() {
        let mut p = fixture::empty_project();
        // Road toll: the driver queues to pay, the operator staffs a booth.
        let toll = moment(
            &mut p,
            "Betala vägtull",
            &[("customer", "dislike"), ("provider", "dislike")],
        );
        assert_eq!(toll.unwrap().action, Action::Automate);
        // Tax return: citizens dislike filling it in, the authority wants it in.
        let tax = moment(
            &mut p,
            "Deklarera",
            &[("customer", "dislike"), ("provider", "like")],
        );
        assert_eq!(tax.unwrap().action, Action::Simplify);
        // Travel tickets at any hour: customers like it, staffing a desk all night is not.
        let tickets = moment(
            &mut p,
            "Boka biljett dygnet runt",
            &[("customer", "like"), ("provider", "dislike")],
        );
        assert_eq!(tickets.unwrap().action, Action::Autonomise);
        // A loyalty game both enjoy.
        let game = moment(
            &mut p,
            "Samla poäng i lojalitetsspelet",
            &[("customer", "like"), ("provider", "like")],
        );
        assert_eq!(game.unwrap().action, Action::Strengthen);
    }

    #[test]
    fn the_majority_decides_each_perspective() {
        let mut p = fixture::empty_project();
        let q = moment(
            &mut p,
            "Kön",
            &[
                ("customer", "dislike"),
                ("customer", "dislike"),
                ("customer", "like"),
                ("provider", "like"),
            ],
        );
        assert_eq!(q.unwrap().action, Action::Simplify);
    }

    #[test]
    fn ties_and_one_sided_moments_stay_unclassified() {
        let mut p = fixture::empty_project();
        assert_eq!(moment(&mut p, "Tom", &[]), Err(Unclassified::Empty));
        assert_eq!(
            moment(&mut p, "Bara kund", &[("customer", "like")]),
            Err(Unclassified::OneSided(Perspective::Provider))
        );
        assert_eq!(
            moment(&mut p, "Bara personal", &[("provider", "dislike")]),
            Err(Unclassified::OneSided(Perspective::Customer))
        );
        assert_eq!(
            moment(
                &mut p,
                "Delade kunder",
                &[
                    ("customer", "like"),
                    ("customer", "dislike"),
                    ("provider", "like")
                ]
            ),
            Err(Unclassified::Tie(Perspective::Customer))
        );
        assert_eq!(
            moment(
                &mut p,
                "Delad personal",
                &[
                    ("customer", "like"),
                    ("provider", "like"),
                    ("provider", "dislike")
                ]
            ),
            Err(Unclassified::Tie(Perspective::Provider))
        );
        assert_eq!(
            serde_json::to_value(Unclassified::Tie(Perspective::Provider)).unwrap(),
            serde_json::json!({"reason": "tie", "perspective": "provider"})
        );
        assert!(
            Unclassified::OneSided(Perspective::Customer)
                .describe(Lang::En)
                .contains("customer")
        );
    }

    #[test]
    fn layout_puts_each_moment_in_one_place() {
        let mut p = fixture::empty_project();
        moment(
            &mut p,
            "Vägtull",
            &[("customer", "dislike"), ("provider", "dislike")],
        )
        .unwrap();
        moment(
            &mut p,
            "Biljetter",
            &[("customer", "like"), ("provider", "dislike")],
        )
        .unwrap();
        moment(&mut p, "Kön", &[("customer", "dislike")]).unwrap_err();
        let l = layout(&p);
        assert_eq!(l.cells.len(), 4);
        let automate = l.cell(Action::Automate).unwrap();
        assert_eq!((automate.column, automate.row), (0, 1));
        assert_eq!(automate.moments[0].title, "Vägtull");
        let autonomise = l.cell(Action::Autonomise).unwrap();
        assert_eq!((autonomise.column, autonomise.row), (1, 1));
        assert_eq!(
            l.cell(Action::Simplify).map(|c| (c.column, c.row)),
            Some((0, 0))
        );
        assert_eq!(
            l.cell(Action::Strengthen).map(|c| (c.column, c.row)),
            Some((1, 0))
        );
        assert_eq!(l.unclassified.len(), 1);
        assert_eq!(
            l.unclassified[0].moment.customer,
            Tally {
                likes: 0,
                dislikes: 1
            }
        );
        let placed: usize = l.cells.iter().map(|c| c.moments.len()).sum();
        assert_eq!(placed + l.unclassified.len(), p.moments.len());
    }
}
