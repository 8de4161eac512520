//! What codings say once counted. The unit is the *answer*: one response's text to one
//! open-text question. A code is *present* in an answer when a span of the answer
//! carries the code or any code below it, so a parent counts its children's answers.
//!
//! - [`frequencies`]: per code, the answers and responses it is present in, its
//!   spans, and its share of the coded answers (answers with at least one coding).
//! - [`agreement`]: two coders over the answers both coded. Per code, Cohen's kappa of
//!   the code's presence (`present`/`absent`) per answer; overall, Cohen's kappa pooled
//!   over every answer × code of the codebook, each code as applied (a parent only
//!   where the parent itself was applied), so no decision is counted twice. Kappa
//!   is `survey::cohens_kappa` (statsmodels' formulas).
//! - [`code_table`]: one row per response, one 0/1 column per code (present in any of
//!   the response's answers); a response nobody coded has no values, since "not
//!   coded" is not "absent".
//! - [`join`]: the mixed-methods join. Among the responses with at least one coding
//!   and an answer to a scale question, the mean score with and without each code,
//!   with Welch's test (`survey::score_by_code`).
//!
//! Each takes an optional coder: only that coder's codings count.

use super::codebook::{CodeKey, Codebook};
use super::span::Coding;
use crate::invalid::{Invalid, Reason};
use crate::survey::{
    Kappa, Response, ResponseId, Survey, SurveyKey, WelchTest, cohens_kappa, score_by_code,
    welch_t_test,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use utoipa::ToSchema;

/// One answer: a response's text to one open-text question.
type AnswerKey = (ResponseId, SurveyKey);

/// Per answer, the codes present in it (as applied, plus every code above them).
fn presence<'a>(
    codebook: &'a Codebook,
    codings: impl Iterator<Item = &'a Coding>,
) -> BTreeMap<AnswerKey, BTreeSet<&'a str>> {
    let ancestry = codebook.ancestry();
    let mut out: BTreeMap<AnswerKey, BTreeSet<&str>> = BTreeMap::new();
    for c in codings {
        let set = out.entry((c.response_id, c.question.clone())).or_default();
        if let Some(chain) = ancestry.get(c.code.as_str()) {
            set.extend(chain.iter().copied());
        }
    }
    out
}

fn by_coder<'a>(
    codings: &'a [Coding],
    coder: Option<&'a str>,
) -> impl Iterator<Item = &'a Coding> + 'a {
    codings
        .iter()
        .filter(move |c| coder.is_none_or(|who| c.coder == who))
}

/// How often one code is present.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CodeFrequency {
    #[schema(value_type = String)]
    pub code: CodeKey,
    pub name_sv: String,
    pub name_en: String,
    /// 1 for a top-level code.
    pub depth: usize,
    /// Answers the code (or a code below it) is present in.
    pub answers: usize,
    /// Responses it is present in (in any of their answers).
    pub responses: usize,
    /// Spans carrying the code or a code below it.
    pub spans: usize,
    /// answers / coded answers; absent when nothing is coded.
    pub share: Option<f64>,
}

/// Code frequencies over a survey's codings.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Frequencies {
    /// Answers with at least one coding.
    pub coded_answers: usize,
    /// Responses with at least one coding.
    pub coded_responses: usize,
    /// All spans counted.
    pub spans: usize,
    /// Every code of the codebook, parents before their children.
    pub codes: Vec<CodeFrequency>,
}

/// Code frequencies: per code, the answers and responses it is present in, its spans
/// and its share of the coded answers; a parent counts its children's.
pub fn frequencies(codebook: &Codebook, codings: &[Coding], coder: Option<&str>) -> Frequencies {
    let present = presence(codebook, by_coder(codings, coder));
    let ancestry = codebook.ancestry();
    let mut spans: HashMap<&str, usize> = HashMap::new();
    let mut total_spans = 0;
    for c in by_coder(codings, coder) {
        total_spans += 1;
        for k in ancestry.get(c.code.as_str()).into_iter().flatten() {
            *spans.entry(k).or_default() += 1;
        }
    }
    let coded_answers = present.len();
    let coded_responses = present
        .keys()
        .map(|(r, _)| r)
        .collect::<BTreeSet<_>>()
        .len();
    let codes = codebook
        .tree()
        .into_iter()
        .map(|(depth, code)| {
            let key = code.key.as_str();
            let with: Vec<&AnswerKey> = present
                .iter()
                .filter(|(_, codes)| codes.contains(key))
                .map(|(a, _)| a)
                .collect();
            let responses = with.iter().map(|(r, _)| r).collect::<BTreeSet<_>>().len();
            CodeFrequency {
                code: code.key.clone(),
                name_sv: code.name_sv.clone(),
                name_en: code.name_en.clone(),
                depth,
                answers: with.len(),
                responses,
                spans: spans.get(key).copied().unwrap_or(0),
                share: (coded_answers > 0).then(|| with.len() as f64 / coded_answers as f64),
            }
        })
        .collect();
    Frequencies {
        coded_answers,
        coded_responses,
        spans: total_spans,
        codes,
    }
}

/// The label of a code's presence in the kappa tables.
fn label(present: bool) -> &'static str {
    if present { "present" } else { "absent" }
}

/// Two coders' agreement on one code.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CodeAgreement {
    #[schema(value_type = String)]
    pub code: CodeKey,
    /// Answers where both found the code present.
    pub both: usize,
    /// Answers where only coder a found it.
    pub only_a: usize,
    /// Answers where only coder b found it.
    pub only_b: usize,
    /// Answers where neither did.
    pub neither: usize,
    /// Cohen's kappa of presence per answer; absent when undefined, then `reason` says why.
    pub kappa: Option<Kappa>,
    pub reason: Option<Reason>,
}

/// Two coders' agreement over the answers both coded.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Agreement {
    pub coder_a: String,
    pub coder_b: String,
    pub level: f64,
    /// Answers both coders coded: the items compared.
    pub answers: usize,
    /// Answers only coder a coded, and only coder b (left out of the comparison).
    pub only_a_answers: usize,
    pub only_b_answers: usize,
    /// Per code, parents before children, presence including the codes below.
    pub codes: Vec<CodeAgreement>,
    /// Pooled over every answer × code (each code as applied); absent when undefined,
    /// then `reason` says why.
    pub overall: Option<Kappa>,
    pub reason: Option<Reason>,
}

/// The presence of `code` per answer of `answers`, for one coder.
fn presence_vector(
    present: &BTreeMap<AnswerKey, BTreeSet<&str>>,
    answers: &[&AnswerKey],
    code: &str,
) -> Vec<bool> {
    answers
        .iter()
        .map(|a| present.get(*a).is_some_and(|codes| codes.contains(code)))
        .collect()
}

/// Cohen's kappa of coders `a` and `b` per code and overall, over the answers both
/// coded (see the module's notes).
pub fn agreement(
    codebook: &Codebook,
    codings: &[Coding],
    a: &str,
    b: &str,
    level: f64,
) -> Agreement {
    let pa = presence(codebook, by_coder(codings, Some(a)));
    let pb = presence(codebook, by_coder(codings, Some(b)));
    let answers: Vec<&AnswerKey> = pa.keys().filter(|k| pb.contains_key(*k)).collect();
    let only_a_answers = pa.len() - answers.len();
    let only_b_answers = pb.len() - answers.len();
    let kappa_of = |va: &[bool], vb: &[bool]| {
        let la: Vec<&str> = va.iter().map(|&p| label(p)).collect();
        let lb: Vec<&str> = vb.iter().map(|&p| label(p)).collect();
        match cohens_kappa(&la, &lb, level) {
            Ok(k) => (Some(k), None),
            Err(e) => (None, Some(e.reason())),
        }
    };
    let codes = codebook
        .tree()
        .into_iter()
        .map(|(_, code)| {
            let key = code.key.as_str();
            let va = presence_vector(&pa, &answers, key);
            let vb = presence_vector(&pb, &answers, key);
            let count = |x: bool, y: bool| {
                va.iter()
                    .zip(&vb)
                    .filter(|&(&p, &q)| p == x && q == y)
                    .count()
            };
            let (kappa, reason) = kappa_of(&va, &vb);
            CodeAgreement {
                code: code.key.clone(),
                both: count(true, true),
                only_a: count(true, false),
                only_b: count(false, true),
                neither: count(false, false),
                kappa,
                reason,
            }
        })
        .collect();
    // Overall: each code as applied, without the codes above it.
    fn applied<'c>(codings: &'c [Coding], coder: &str) -> BTreeMap<AnswerKey, BTreeSet<&'c str>> {
        let mut out: BTreeMap<AnswerKey, BTreeSet<&str>> = BTreeMap::new();
        for c in codings.iter().filter(|c| c.coder == coder) {
            out.entry((c.response_id, c.question.clone()))
                .or_default()
                .insert(c.code.as_str());
        }
        out
    }
    let (aa, ab) = (applied(codings, a), applied(codings, b));
    let mut va = Vec::new();
    let mut vb = Vec::new();
    for (_, code) in codebook.tree() {
        va.extend(presence_vector(&aa, &answers, code.key.as_str()));
        vb.extend(presence_vector(&ab, &answers, code.key.as_str()));
    }
    let (overall, reason) = kappa_of(&va, &vb);
    Agreement {
        coder_a: a.to_string(),
        coder_b: b.to_string(),
        level,
        answers: answers.len(),
        only_a_answers,
        only_b_answers,
        codes,
        overall,
        reason,
    }
}

/// One response's row of the 0/1 table.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CodeRow {
    pub response_id: ResponseId,
    pub submitted_at: DateTime<Utc>,
    /// Whether any coding (by the coder asked for) exists for the response.
    pub coded: bool,
    /// Per column, whether the code (or one below it) is present; all false when not coded.
    pub present: Vec<bool>,
}

/// One row per response, one 0/1 column per code.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CodeTable {
    /// The columns: every code, parents before their children.
    #[schema(value_type = Vec<String>)]
    pub codes: Vec<CodeKey>,
    pub rows: Vec<CodeRow>,
}

/// The 0/1 table: a row per response in `responses` (in their order), a column per
/// code of the codebook; 1 when a span of the code or of a code below it exists in
/// any of the response's answers.
pub fn code_table(
    codebook: &Codebook,
    responses: &[Response],
    codings: &[Coding],
    coder: Option<&str>,
) -> CodeTable {
    let present = presence(codebook, by_coder(codings, coder));
    let mut per_response: HashMap<ResponseId, BTreeSet<&str>> = HashMap::new();
    for ((r, _), codes) in &present {
        per_response
            .entry(*r)
            .or_default()
            .extend(codes.iter().copied());
    }
    let codes: Vec<CodeKey> = codebook
        .tree()
        .into_iter()
        .map(|(_, c)| c.key.clone())
        .collect();
    let rows = responses
        .iter()
        .map(|r| {
            let found = per_response.get(&r.id);
            CodeRow {
                response_id: r.id,
                submitted_at: r.submitted_at,
                coded: found.is_some(),
                present: codes
                    .iter()
                    .map(|k| found.is_some_and(|set| set.contains(k.as_str())))
                    .collect(),
            }
        })
        .collect();
    CodeTable { codes, rows }
}

/// Scores with and without one code.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CodeJoin {
    #[schema(value_type = String)]
    pub code: CodeKey,
    pub n_with: usize,
    /// Absent without answers.
    pub mean_with: Option<f64>,
    pub n_without: usize,
    pub mean_without: Option<f64>,
    /// Welch's test of with − without; absent when undefined (a group with fewer than
    /// two scores, or no variance in either), and then `reason` says why.
    pub welch: Option<WelchTest>,
    pub reason: Option<Reason>,
}

/// The mixed-methods join of one scale item with every code.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Join {
    pub question: String,
    pub item: Option<String>,
    pub level: f64,
    /// Coded responses with a score: the responses compared.
    pub responses: usize,
    pub codes: Vec<CodeJoin>,
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// What a join compares: a scale question (an item of a matrix), and whose codings
/// count (everyone's when `coder` is None).
#[derive(Debug, Clone, Copy, Default)]
pub struct JoinOn<'a> {
    pub question: &'a str,
    pub item: Option<&'a str>,
    pub coder: Option<&'a str>,
}

/// Mean score of scale `on.question` (`on.item` of a matrix) with and without each
/// code, among the responses with at least one coding and a score, with Welch's test.
/// Errors name `question` or `item`.
pub fn join(
    survey: &Survey,
    codebook: &Codebook,
    responses: &[Response],
    codings: &[Coding],
    on: JoinOn<'_>,
    level: f64,
) -> Result<Join, Invalid> {
    let JoinOn {
        question,
        item,
        coder,
    } = on;
    survey.scale_of(question, item)?;
    let table = code_table(codebook, responses, codings, coder);
    let scored: Vec<(&CodeRow, f64)> = table
        .rows
        .iter()
        .zip(responses)
        .filter(|(row, _)| row.coded)
        .filter_map(|(row, r)| Some((row, f64::from(r.answers.get(question)?.point(item)?))))
        .collect();
    let scores: Vec<f64> = scored.iter().map(|(_, s)| *s).collect();
    let codes = table
        .codes
        .iter()
        .enumerate()
        .map(|(j, code)| {
            let flags: Vec<bool> = scored.iter().map(|(row, _)| row.present[j]).collect();
            let group = |want: bool| -> Vec<f64> {
                scores
                    .iter()
                    .zip(&flags)
                    .filter(|&(_, &f)| f == want)
                    .map(|(s, _)| *s)
                    .collect()
            };
            let (with, without) = (group(true), group(false));
            let (welch, reason) = match score_by_code(&scores, &flags, level) {
                Ok(j) => match j.welch {
                    Some(w) => (Some(w), None),
                    None => (
                        None,
                        welch_t_test(&with, &without, level)
                            .err()
                            .map(|e| e.reason()),
                    ),
                },
                Err(e) => (None, Some(e.reason())),
            };
            CodeJoin {
                code: code.clone(),
                n_with: with.len(),
                mean_with: mean(&with),
                n_without: without.len(),
                mean_without: mean(&without),
                welch,
                reason,
            }
        })
        .collect();
    Ok(Join {
        question: question.to_string(),
        item: item.map(str::to_string),
        level,
        responses: scored.len(),
        codes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coding::span::CodingId;
    use crate::coding::span::tests::{now, respond, survey};
    use serde_json::json;

    fn coding(r: &Response, question: &str, code: &str, coder: &str) -> Coding {
        Coding {
            id: CodingId::new(),
            survey_id: r.survey_id,
            response_id: r.id,
            question: SurveyKey::parse(question).unwrap(),
            start: 0,
            end: 1,
            code: CodeKey::parse(code).unwrap(),
            coder: coder.to_string(),
            created_at: now(),
        }
    }

    fn find<'a, T>(list: &'a [T], key: impl Fn(&T) -> &str, code: &str) -> &'a T {
        list.iter().find(|x| key(x) == code).unwrap()
    }

    /// Four responses; the first three coded by Anna, the second two by Björn too.
    fn world() -> (Survey, Vec<Response>, Vec<Coding>) {
        let s = survey();
        let rs: Vec<Response> = [
            (5, "Träffade vänner"),
            (4, "Snabbt ärende"),
            (2, "Lång kö"),
            (3, "Okej"),
        ]
        .into_iter()
        .map(|(w, t)| respond(&s, json!({"welcome": w, "comment": t, "more": "Mer"})))
        .collect();
        let cs = vec![
            coding(&rs[0], "comment", "motivation.relationships", "anna"),
            coding(&rs[0], "comment", "stance.like", "anna"),
            coding(&rs[0], "more", "stance.like", "anna"),
            coding(&rs[1], "comment", "motivation.goal_fulfilment", "anna"),
            coding(&rs[2], "comment", "stance.dislike", "anna"),
            coding(&rs[2], "comment", "setting.physical_place", "anna"),
            coding(&rs[1], "comment", "motivation.goal_fulfilment", "björn"),
            coding(&rs[1], "comment", "stance.like", "björn"),
            coding(&rs[2], "comment", "stance.dislike", "björn"),
        ];
        (s, rs, cs)
    }

    #[test]
    fn frequencies_count_answers_responses_and_spans_with_parents_counting_children() {
        let (_, _, cs) = world();
        let book = Codebook::value_landscape();
        let f = frequencies(&book, &cs, Some("anna"));
        // Anna coded four answers (r0 comment, r0 more, r1 comment, r2 comment) in three responses.
        assert_eq!((f.coded_answers, f.coded_responses, f.spans), (4, 3, 6));
        let code = |k| find(&f.codes, |c| c.code.as_str(), k);
        let like = code("stance.like");
        assert_eq!((like.answers, like.responses, like.spans), (2, 1, 2));
        assert_eq!(like.share, Some(0.5));
        let stance = code("stance");
        assert_eq!(
            (stance.answers, stance.responses, stance.spans, stance.depth),
            (3, 2, 3, 1)
        );
        let motivation = code("motivation");
        assert_eq!((motivation.answers, motivation.spans), (2, 2));
        assert_eq!(code("digital").answers, 0);
        assert_eq!(code("digital").share, Some(0.0));
        // Everyone: Björn's r1 and r2 answers are already coded by Anna.
        let all = frequencies(&book, &cs, None);
        assert_eq!((all.coded_answers, all.spans), (4, 9));
        assert_eq!(
            find(&all.codes, |c| c.code.as_str(), "stance.like").answers,
            3
        );
        // Nothing coded: no shares.
        let none = frequencies(&book, &[], None);
        assert_eq!(none.codes[0].share, None);
        assert_eq!(none.codes.len(), book.codes.len());
    }

    #[test]
    fn agreement_is_cohens_kappa_over_the_answers_both_coded() {
        let (_, _, cs) = world();
        let book = Codebook::value_landscape();
        let a = agreement(&book, &cs, "anna", "björn", 0.95);
        // Both coded r1 comment and r2 comment; Anna alone r0 comment and r0 more.
        assert_eq!((a.answers, a.only_a_answers, a.only_b_answers), (2, 2, 0));
        let code = |k| find(&a.codes, |c| c.code.as_str(), k);
        // stance: Anna [no, yes], Björn [yes, yes] (r1 comment, r2 comment).
        let stance = code("stance");
        assert_eq!(
            (stance.both, stance.only_a, stance.only_b, stance.neither),
            (1, 0, 1, 0)
        );
        assert!(stance.kappa.as_ref().unwrap().kappa.abs() < 1e-12);
        // digital: absent everywhere → a single shared label, kappa undefined.
        let digital = code("digital");
        assert_eq!(digital.neither, 2);
        assert!(digital.kappa.is_none());
        assert_eq!(digital.reason, Some(Reason::UndefinedKappa));
        // stance.like: Anna [no, no], Björn [yes, no] → p_o = 1/2, p_e = 1/2 → κ = 0.
        let like = code("stance.like");
        assert_eq!(
            (like.both, like.only_a, like.only_b, like.neither),
            (0, 0, 1, 1)
        );
        assert!(like.kappa.as_ref().unwrap().kappa.abs() < 1e-12);
        // setting: Anna [no, yes], Björn [no, no] → κ = 0 likewise.
        assert!(code("setting").kappa.as_ref().unwrap().kappa.abs() < 1e-12);
        // motivation.goal_fulfilment: [yes, no] both → perfect.
        assert!(
            (code("motivation.goal_fulfilment")
                .kappa
                .as_ref()
                .unwrap()
                .kappa
                - 1.0)
                .abs()
                < 1e-12
        );

        // Overall, by hand: 2 answers × 17 codes = 34 decisions as applied. Anna applied
        // goal_fulfilment (r1), dislike and physical_place (r2): 3; Björn goal_fulfilment,
        // like (r1), dislike (r2): 3. Both: 2; only Anna 1; only Björn 1; neither 30.
        // p_o = 32/34; p_a = p_b = 3/34; p_e = (3/34)² + (31/34)² = 970/1156.
        let overall = a.overall.as_ref().unwrap();
        assert_eq!(overall.n, 34);
        let po = 32.0 / 34.0;
        let pe = 970.0 / 1156.0;
        assert!((overall.kappa - (po - pe) / (1.0 - pe)).abs() < 1e-12);
        // The same as the engine on the same vectors.
        let answers: Vec<AnswerKey> = vec![
            (cs[3].response_id, cs[3].question.clone()),
            (cs[4].response_id, cs[4].question.clone()),
        ];
        let pa = presence(&book, by_coder(&cs, Some("anna")));
        let pb = presence(&book, by_coder(&cs, Some("björn")));
        let refs: Vec<&AnswerKey> = answers.iter().collect();
        let va: Vec<&str> = presence_vector(&pa, &refs, "stance.dislike")
            .into_iter()
            .map(label)
            .collect();
        let vb: Vec<&str> = presence_vector(&pb, &refs, "stance.dislike")
            .into_iter()
            .map(label)
            .collect();
        assert_eq!(
            cohens_kappa(&va, &vb, 0.95).unwrap(),
            code("stance.dislike").kappa.clone().unwrap()
        );
        // Nobody in common: no kappa, a reason.
        let none = agreement(&book, &cs, "anna", "cecilia", 0.95);
        assert_eq!(none.answers, 0);
        assert!(none.overall.is_none() && none.reason.is_some());
    }

    #[test]
    fn the_table_has_a_row_per_response_and_a_column_per_code() {
        let (_, rs, cs) = world();
        let book = Codebook::value_landscape();
        let t = code_table(&book, &rs, &cs, None);
        assert_eq!(t.codes.len(), 17);
        assert_eq!(t.rows.len(), 4);
        let col = |k: &str| t.codes.iter().position(|c| c.as_str() == k).unwrap();
        assert!(t.rows[0].present[col("motivation")]);
        assert!(t.rows[0].present[col("motivation.relationships")]);
        assert!(!t.rows[0].present[col("motivation.experiences")]);
        assert!(
            t.rows[1].present[col("stance.like")],
            "Björn's coding counts"
        );
        assert!(!t.rows[3].coded);
        assert!(t.rows[3].present.iter().all(|p| !p));
        let anna = code_table(&book, &rs, &cs, Some("anna"));
        assert!(!anna.rows[1].present[col("stance.like")]);
    }

    #[test]
    fn the_join_compares_scores_with_and_without_each_code() {
        let (s, rs, cs) = world();
        let book = Codebook::value_landscape();
        let on = |question, item| JoinOn {
            question,
            item,
            coder: None,
        };
        let j = join(&s, &book, &rs, &cs, on("welcome", None), 0.95).unwrap();
        // Coded responses: r0 (5), r1 (4), r2 (2); r3 was never coded.
        assert_eq!(j.responses, 3);
        let code = |k| find(&j.codes, |c| c.code.as_str(), k);
        // stance.like: r0 and r1 (5, 4) against r2 (2).
        let like = code("stance.like");
        assert_eq!((like.n_with, like.n_without), (2, 1));
        assert_eq!((like.mean_with, like.mean_without), (Some(4.5), Some(2.0)));
        assert!(like.welch.is_none());
        assert!(
            matches!(
                like.reason,
                Some(Reason::TooFewObservations { needed: 2, got: 1 })
            ),
            "{like:?}"
        );
        let expected = score_by_code(&[5.0, 4.0, 2.0], &[true, true, false], 0.95).unwrap();
        assert_eq!(like.mean_with, Some(expected.with_code.mean));
        // stance: everyone → no group without.
        let stance = code("stance");
        assert_eq!(
            (stance.n_with, stance.n_without, stance.mean_without),
            (3, 0, None)
        );
        assert!(stance.reason.is_some());
        // Bad questions are named.
        let e = join(&s, &book, &rs, &cs, on("comment", None), 0.95).unwrap_err();
        assert_eq!(e.0[0].field, "question");
        let e = join(&s, &book, &rs, &cs, on("welcome", Some("x")), 0.95).unwrap_err();
        assert_eq!(e.0[0].field, "item");
    }

    #[test]
    fn the_join_gives_welch_when_both_groups_vary() {
        let s = survey();
        let scores = [5, 4, 5, 2, 1, 3];
        let rs: Vec<Response> = scores
            .iter()
            .map(|w| respond(&s, json!({"welcome": w, "comment": "Text"})))
            .collect();
        let cs: Vec<Coding> = rs
            .iter()
            .enumerate()
            .map(|(i, r)| {
                coding(
                    r,
                    "comment",
                    if i < 3 {
                        "stance.like"
                    } else {
                        "stance.dislike"
                    },
                    "anna",
                )
            })
            .collect();
        let book = Codebook::value_landscape();
        let on = JoinOn {
            question: "welcome",
            item: None,
            coder: Some("anna"),
        };
        let j = join(&s, &book, &rs, &cs, on, 0.95).unwrap();
        let like = find(&j.codes, |c| c.code.as_str(), "stance.like");
        let expected = score_by_code(
            &[5.0, 4.0, 5.0, 2.0, 1.0, 3.0],
            &[true, true, true, false, false, false],
            0.95,
        )
        .unwrap();
        assert_eq!(like.welch, expected.welch);
        assert!(like.welch.as_ref().unwrap().mean_difference > 2.6);
        assert_eq!(like.reason, None);
    }
}
