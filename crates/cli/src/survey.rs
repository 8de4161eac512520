//! `motesplats survey …`: surveys built, opened and closed, and their results, responses,
//! codes and codebook written out, straight from the database through the `Store`
//! trait and as the provider sees them. Every check and every figure or file is the
//! one the API uses (the core's `Survey::parse`/`revise`/`with_status`, the server's
//! `survey_export`), so the CLI and `GET /api/v1/surveys/…` give the same.

use crate::scope::Scope;
use anyhow::{Context, anyhow, bail};
use motesplats_core::coding::{from_qdc, to_qdc};
use motesplats_core::survey::{
    Dimension, Figures, Period, QuestionResult, Split, Survey, SurveyId, SurveyInput, SurveyStatus,
};
use motesplats_core::{Invalid, ProviderId};
use motesplats_server::error::ApiError;
use motesplats_server::json::{JsonError, from_json};
use motesplats_server::survey_export::{self, Data};
use motesplats_store::{Store, StoreError, StoredSurvey};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Shown under `motesplats survey --help`.
pub const HELP: &str = r#"Every command works on the database directly (like `serve`, it reads
--database or MOTESPLATS_DATABASE, else the file in the platform's data directory) and
acts for one provider (--provider, its id as `provider create` printed it).

Examples:
  motesplats survey list --provider $PROVIDER
  motesplats survey create --file visit.json --provider $PROVIDER       # prints the new id
  motesplats survey status $SURVEY open --provider $PROVIDER
  motesplats survey revise $SURVEY --file visit.json --provider $PROVIDER
  motesplats survey results $SURVEY --provider $PROVIDER --split month
  motesplats survey results $SURVEY --provider $PROVIDER --format csv --out results.csv
  motesplats survey responses $SURVEY --provider $PROVIDER --out responses.csv
  motesplats survey codes $SURVEY --provider $PROVIDER --coder anna --out codes.csv
  motesplats survey codebook export --provider $PROVIDER --out codebook.qdc
  motesplats survey codebook import codebook.qdc --provider $PROVIDER
"#;

const FILE_HELP: &str = r#"The file is the survey definition as POST /api/v1/surveys takes it, for example:

  {
    "title": {"sv": "Hur var ditt besök?", "en": "How was your visit?"},
    "languages": ["sv", "en"],
    "phase": "after",
    "sections": [{"questions": [
      {"key": "welcome", "kind": "scale", "points": 5, "required": true,
       "text": {"sv": "Jag kände mig välkommen.", "en": "I felt welcome."},
       "anchors": [{"point": 1, "label": {"sv": "Instämmer inte alls", "en": "Strongly disagree"}},
                   {"point": 5, "label": {"sv": "Instämmer helt", "en": "Strongly agree"}}]},
      {"key": "recommend", "kind": "nps",
       "text": {"sv": "Hur troligt är det att du rekommenderar oss?", "en": "How likely are you to recommend us?"}},
      {"key": "comment", "kind": "open_text",
       "text": {"sv": "Vill du berätta mer?", "en": "Anything else?"}}
    ]}]
  }

Kinds: scale, matrix, open_text, single_choice, multiple_choice, nps, csat. A bad field
is named by its path (sections[0].questions[1].points) and nothing is saved.
"#;

const REVISE_HELP: &str = r#"While the survey has no responses it is rewritten in place (the version stays);
once it has responses the change becomes the next version, and a question key that
stays must keep its kind and scale so old and new answers remain comparable.

Example:
  motesplats survey revise 0195a1b2-… --file visit.json --provider 0193f0c4-…
"#;

const RESULTS_HELP: &str = r#"The figures are those of GET /api/v1/surveys/{id}/results (json) and
…/results.csv (csv): per question (per matrix item) the number of answers, the mean with
its Student-t interval, median and standard deviation, the top-two-box share with its
Wilson interval, and for NPS the score with its interval (normal approximation, clipped
to ±100). The mean's interval is clipped to the scale. A question (an item) with fewer
than 5 answers is marked "too few" (json and csv: `too_few`), its figures still given; a
mean needs two answers. The table shows n, the mean, the top-two-box share and NPS,
each with its interval, and the counts per option of the choice questions; json and csv
add the median and standard deviation.

Splits: channel and phase (the survey's journey context), motivation (the answer to
the single-choice question keyed `motivation`), provider, and week (ISO), month and
quarter of the submission time in the provider's time zone; responses whose value is
not known form the group `unknown`.

Examples:
  motesplats survey results 0195a1b2-… --provider 0193f0c4-…
  motesplats survey results 0195a1b2-… --provider 0193f0c4-… --split phase --format json
  motesplats survey results 0195a1b2-… --provider 0193f0c4-… --format csv --out results.csv
"#;

#[derive(Clone, Copy, Debug, PartialEq, clap::ValueEnum)]
pub enum Status {
    /// Being written; takes no responses (a survey cannot go back to it once opened).
    Draft,
    /// Takes responses.
    Open,
    /// Takes no more responses; may be opened again.
    Closed,
}

impl From<Status> for SurveyStatus {
    fn from(s: Status) -> SurveyStatus {
        match s {
            Status::Draft => SurveyStatus::Draft,
            Status::Open => SurveyStatus::Open,
            Status::Closed => SurveyStatus::Closed,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, clap::ValueEnum)]
pub enum DimensionArg {
    /// The channel of the survey's journey context.
    Channel,
    /// The phase of the survey's journey context.
    Phase,
    /// The answer to the single-choice question keyed `motivation`.
    Motivation,
    /// The survey's owner.
    Provider,
    /// ISO week of submission, in the provider's time zone.
    Week,
    /// Calendar month of submission.
    Month,
    /// Calendar quarter of submission.
    Quarter,
}

impl From<DimensionArg> for Dimension {
    fn from(s: DimensionArg) -> Dimension {
        match s {
            DimensionArg::Channel => Dimension::Channel,
            DimensionArg::Phase => Dimension::Phase,
            DimensionArg::Motivation => Dimension::Motivation,
            DimensionArg::Provider => Dimension::Provider,
            DimensionArg::Week => Dimension::Period(Period::Week),
            DimensionArg::Month => Dimension::Period(Period::Month),
            DimensionArg::Quarter => Dimension::Period(Period::Quarter),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, clap::ValueEnum)]
pub enum ResultsFormat {
    /// A readable summary per question, aligned in columns.
    Table,
    /// The JSON document GET /api/v1/surveys/{id}/results gives.
    Json,
    /// The CSV GET /api/v1/surveys/{id}/results.csv gives.
    Csv,
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// List the provider's surveys: id, status, version, title and completed responses.
    List {
        #[command(flatten)]
        scope: Scope,
    },
    /// Build a survey (a draft) from a JSON file, as POST /api/v1/surveys; prints its id.
    #[command(after_long_help = FILE_HELP)]
    Create {
        /// The survey definition as JSON (the API's SurveyInput).
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        scope: Scope,
    },
    /// Rewrite a survey from a JSON file, as PUT /api/v1/surveys/{id}; a new version once it has responses.
    #[command(after_long_help = REVISE_HELP)]
    Revise {
        /// The survey's id, as `survey list` prints it.
        #[arg(value_name = "SURVEY_ID")]
        survey: SurveyId,
        /// The whole new definition as JSON (the API's SurveyInput).
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        scope: Scope,
    },
    /// Open a survey to responses, or close it (draft → open → closed → open).
    Status {
        /// The survey's id, as `survey list` prints it.
        #[arg(value_name = "SURVEY_ID")]
        survey: SurveyId,
        /// The new status.
        #[arg(value_enum)]
        status: Status,
        #[command(flatten)]
        scope: Scope,
    },
    /// The statistics per question, overall and per split: a table, JSON or CSV.
    #[command(after_long_help = RESULTS_HELP)]
    Results {
        /// The survey's id, as `survey list` prints it.
        #[arg(value_name = "SURVEY_ID")]
        survey: SurveyId,
        #[command(flatten)]
        scope: Scope,
        /// Also give the figures per value of this split.
        #[arg(long, value_enum)]
        split: Option<DimensionArg>,
        /// What to write.
        #[arg(long, value_enum, default_value = "table")]
        format: ResultsFormat,
        /// Confidence level of every interval, between 0 and 1.
        #[arg(long, default_value_t = survey_export::LEVEL)]
        level: f64,
        /// Count partial saves too (default: completed responses only).
        #[arg(long)]
        partial: bool,
        /// The file to write; default: standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Every response as CSV (GET …/responses.csv): one column per question, matrix item and multiple-choice option.
    Responses {
        /// The survey's id, as `survey list` prints it.
        #[arg(value_name = "SURVEY_ID")]
        survey: SurveyId,
        #[command(flatten)]
        scope: Scope,
        /// The file to write; default: standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// The codes of the open answers as CSV (GET …/codes.csv): one row per response, one 0/1 column per code.
    Codes {
        /// The survey's id, as `survey list` prints it.
        #[arg(value_name = "SURVEY_ID")]
        survey: SurveyId,
        #[command(flatten)]
        scope: Scope,
        /// Count only this coder's codings (default: everyone's).
        #[arg(long, value_name = "NAME")]
        coder: Option<String>,
        /// Rows for partial saves too (default: completed responses only).
        #[arg(long)]
        partial: bool,
        /// The file to write; default: standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// The provider's codebook as a REFI-QDA codebook (.qdc), out and back in.
    Codebook {
        #[command(subcommand)]
        command: CodebookCommand,
    },
}

#[derive(clap::Subcommand)]
pub enum CodebookCommand {
    /// Write the codebook as REFI-QDA XML (.qdc) for QualCoder, ATLAS.ti, MAXQDA, NVivo, Taguette.
    Export {
        #[command(flatten)]
        scope: Scope,
        /// The file to write, such as codebook.qdc; default: standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Replace the codebook with a REFI-QDA codebook (.qdc); codes with a known GUID keep their keys and codings.
    Import {
        /// The .qdc file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        scope: Scope,
    },
}

pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::List { scope } => list(&scope).await,
        Command::Create { file, scope } => create(&file, &scope).await,
        Command::Revise {
            survey,
            file,
            scope,
        } => revise(survey, &file, &scope).await,
        Command::Status {
            survey,
            status,
            scope,
        } => set_status(survey, status.into(), &scope).await,
        Command::Results {
            survey,
            scope,
            split,
            format,
            level,
            partial,
            out,
        } => {
            let split = split.map(Dimension::from);
            results(survey, &scope, split, format, level, partial, out).await
        }
        Command::Responses { survey, scope, out } => responses(survey, &scope, out).await,
        Command::Codes {
            survey,
            scope,
            coder,
            partial,
            out,
        } => codes(survey, &scope, coder.as_deref(), partial, out).await,
        Command::Codebook {
            command: CodebookCommand::Export { scope, out },
        } => codebook_export(&scope, out).await,
        Command::Codebook {
            command: CodebookCommand::Import { file, scope },
        } => codebook_import(&file, &scope).await,
    }
}

/// The fields of an `Invalid`, one per line.
fn fields(e: &Invalid) -> String {
    e.0.iter()
        .map(|f| {
            if f.field.is_empty() {
                format!("  {}", f.reason)
            } else {
                format!("  {}: {}", f.field, f.reason)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A server error as the CLI says it: the fields and why, or the detail.
pub(crate) fn failed(e: ApiError) -> anyhow::Error {
    match e {
        ApiError::Internal(cause) => anyhow!(cause),
        ApiError::Invalid(i) => anyhow!("invalid:\n{}", fields(&i)),
        ApiError::Conflict(i) => anyhow!("conflict:\n{}", fields(&i)),
        other => anyhow!(other.problem().1.detail),
    }
}

/// The provider's survey `id`.
async fn mine(store: &dyn Store, me: ProviderId, id: SurveyId) -> anyhow::Result<Survey> {
    Ok(stored(store, me, id).await?.survey)
}

/// The provider's survey `id` with its revision.
async fn stored(store: &dyn Store, me: ProviderId, id: SurveyId) -> anyhow::Result<StoredSurvey> {
    match store.survey(Some(me), id).await? {
        Some(s) => Ok(s),
        None => bail!("no survey {id} for provider {me}"),
    }
}

/// A survey definition read from a JSON file, as the API reads a body: a bad field is
/// named by its path.
fn read_input(path: &Path) -> anyhow::Result<SurveyInput> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    from_json::<SurveyInput>(&bytes).map_err(|e| match e {
        JsonError::Syntax(detail) => anyhow!("{}: {detail}", path.display()),
        JsonError::Fields(i) => {
            anyhow!("{} is not a valid survey:\n{}", path.display(), fields(&i))
        }
    })
}

/// A survey that parsed but does not fit the provider (an unknown channel).
fn unfit(e: ApiError, path: &Path, provider: ProviderId) -> anyhow::Error {
    match e {
        ApiError::Invalid(i) => anyhow!(
            "{} does not fit provider {provider}:\n{}",
            path.display(),
            fields(&i)
        ),
        other => failed(other),
    }
}

/// `result`, or its fields named after the file they came from.
fn checked<T>(result: Result<T, Invalid>, path: &Path) -> anyhow::Result<T> {
    result.map_err(|i| anyhow!("{} is not a valid survey:\n{}", path.display(), fields(&i)))
}

/// Writes `bytes` to `out`, or to standard output.
fn write_out(bytes: &[u8], out: Option<PathBuf>) -> anyhow::Result<()> {
    match out {
        Some(path) => {
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(bytes)?;
            stdout.flush()?;
            Ok(())
        }
    }
}

/// The survey's title in its first language.
fn title(survey: &Survey) -> &str {
    survey.title.best(survey.languages[0])
}

async fn list(scope: &Scope) -> anyhow::Result<()> {
    let (store, provider) = scope.open().await?;
    let surveys = store.surveys(provider.id).await?;
    if surveys.is_empty() {
        eprintln!("no surveys for provider {}", provider.id);
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "id\tstatus\tversion\ttitle\tresponses")?;
    for survey in &surveys {
        let completed = store
            .responses(provider.id, survey.id)
            .await?
            .iter()
            .filter(|r| r.completed)
            .count();
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{completed}",
            survey.id,
            survey.status.as_str(),
            survey.version,
            title(survey)
        )?;
    }
    out.flush()?;
    Ok(())
}

async fn create(file: &Path, scope: &Scope) -> anyhow::Result<()> {
    let input = read_input(file)?;
    let (store, provider) = scope.open().await?;
    let survey = checked(Survey::parse(&input), file)?;
    survey_export::check_channel(store.as_ref(), provider.id, &survey)
        .await
        .map_err(|e| unfit(e, file, provider.id))?;
    store.create_survey(provider.id, survey.clone()).await?;
    println!("{}", survey.id);
    eprintln!(
        "created the draft survey {:?}, version 1; open it with: motesplats survey status {} open --provider {}",
        title(&survey),
        survey.id,
        provider.id
    );
    Ok(())
}

async fn revise(id: SurveyId, file: &Path, scope: &Scope) -> anyhow::Result<()> {
    let input = read_input(file)?;
    let (store, provider) = scope.open().await?;
    // The CLI changes the revision it reads here: a change someone makes between
    // this read and the save is refused (run it again), never overwritten.
    let StoredSurvey {
        revision, survey, ..
    } = stored(store.as_ref(), provider.id, id).await?;
    // A preview without responses fails whenever the real revision would for its
    // own sake, and gives the channel to check before the transaction.
    let preview = checked(survey.revise(&input, false), file)?;
    survey_export::check_channel(store.as_ref(), provider.id, &preview)
        .await
        .map_err(|e| unfit(e, file, provider.id))?;
    let change = move |s: Survey, answered: bool| s.revise(&input, answered);
    let revised = match store
        .change_survey(provider.id, id, Some(revision), Box::new(change))
        .await
    {
        Ok(saved) => saved.survey,
        Err(StoreError::Invalid(i)) => return checked(Err(i), file),
        Err(e) => return Err(failed(e.into())),
    };
    println!(
        "{}\tversion {}\t{}",
        revised.id,
        revised.version,
        revised.status.as_str()
    );
    if revised.version != survey.version {
        eprintln!(
            "the survey has responses, so the change is version {} (it was {})",
            revised.version, survey.version
        );
    }
    Ok(())
}

async fn set_status(id: SurveyId, status: SurveyStatus, scope: &Scope) -> anyhow::Result<()> {
    let (store, provider) = scope.open().await?;
    let changed = match store
        .change_survey(provider.id, id, None, survey_export::status_change(status))
        .await
    {
        Ok(saved) => saved.survey,
        Err(StoreError::Invalid(e)) => bail!("survey {id}: {}", fields(&e).trim_start()),
        Err(StoreError::NotFound) => bail!("no survey {id} for provider {}", provider.id),
        Err(e) => return Err(failed(e.into())),
    };
    println!("{}\t{}", changed.id, changed.status.as_str());
    Ok(())
}

async fn results(
    id: SurveyId,
    scope: &Scope,
    split: Option<Dimension>,
    format: ResultsFormat,
    level: f64,
    partial: bool,
    out: Option<PathBuf>,
) -> anyhow::Result<()> {
    let level = survey_export::level(Some(level)).map_err(failed)?;
    let (store, provider) = scope.open().await?;
    let survey = mine(store.as_ref(), provider.id, id).await?;
    let data = survey_export::data(store.as_ref(), survey, provider, partial)
        .await
        .map_err(failed)?;
    let split = split.map(Split::Dimension);
    let bytes = match format {
        ResultsFormat::Json => {
            let mut text = serde_json::to_string_pretty(&data.results(split, level))?;
            text.push('\n');
            text.into_bytes()
        }
        ResultsFormat::Csv => survey_export::results_csv(&data, split, level).map_err(failed)?,
        ResultsFormat::Table => table(&data, split, level, partial).into_bytes(),
    };
    write_out(&bytes, out)
}

async fn responses(id: SurveyId, scope: &Scope, out: Option<PathBuf>) -> anyhow::Result<()> {
    let (store, provider) = scope.open().await?;
    let survey = mine(store.as_ref(), provider.id, id).await?;
    let responses = store.responses(provider.id, survey.id).await?;
    let bytes = survey_export::responses_csv(&survey, &responses).map_err(failed)?;
    write_out(&bytes, out)
}

async fn codes(
    id: SurveyId,
    scope: &Scope,
    coder: Option<&str>,
    partial: bool,
    out: Option<PathBuf>,
) -> anyhow::Result<()> {
    let (store, provider) = scope.open().await?;
    let survey = mine(store.as_ref(), provider.id, id).await?;
    let mut responses = store.responses(provider.id, survey.id).await?;
    if !partial {
        responses.retain(|r| r.completed);
    }
    let codings = store.codings(provider.id, survey.id).await?;
    let book = survey_export::codebook(store.as_ref(), provider.id)
        .await
        .map_err(failed)?;
    let coder = coder.filter(|c| !c.is_empty());
    if let Some(name) = coder
        && !codings.iter().any(|c| c.coder == name)
    {
        eprintln!("note: {name} has coded nothing in survey {id}; every row is empty");
    }
    let bytes = survey_export::codes_csv(&book, &responses, &codings, coder).map_err(failed)?;
    write_out(&bytes, out)
}

async fn codebook_export(scope: &Scope, out: Option<PathBuf>) -> anyhow::Result<()> {
    let (store, provider) = scope.open().await?;
    let book = survey_export::codebook(store.as_ref(), provider.id)
        .await
        .map_err(failed)?;
    write_out(to_qdc(&book).as_bytes(), out)
}

async fn codebook_import(file: &Path, scope: &Scope) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let text =
        std::str::from_utf8(&bytes).map_err(|_| anyhow!("{} is not UTF-8 XML", file.display()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (store, provider) = scope.open().await?;
    let current = survey_export::codebook(store.as_ref(), provider.id)
        .await
        .map_err(failed)?;
    let next = from_qdc(text, &current).map_err(|i| {
        anyhow!(
            "{} is not a REFI-QDA codebook this can read:\n{}",
            file.display(),
            fields(&i)
        )
    })?;
    let saved =
        survey_export::save_codebook(store.as_ref(), provider.id, current.version, &current, next)
            .await
            .map_err(failed)
            .with_context(|| format!("importing {}", file.display()))?;
    println!(
        "codebook version {}: {} codes",
        saved.version,
        saved.codes.len()
    );
    Ok(())
}

// ---------------------------------------------------------------------------------
// The readable table.

/// A level as a percentage: `95%`, `97.5%`.
fn percent_level(level: f64) -> String {
    let p = (level * 1000.0).round() / 10.0;
    format!("{p}%")
}

fn interval(lower: f64, upper: f64, decimals: usize) -> String {
    format!("[{lower:.decimals$}, {upper:.decimals$}]")
}

/// The rows of the table for one question: one per matrix item, else one.
fn rows(q: &QuestionResult) -> Vec<Vec<String>> {
    let dash = || "-".to_string();
    let too_few = |few: bool| if few { "too few" } else { "" }.to_string();
    let Figures::Scale { items, .. } = &q.figures else {
        let mut cells = vec![
            q.key.clone(),
            String::new(),
            q.kind.clone(),
            q.n.to_string(),
        ];
        cells.extend(std::iter::repeat_n(String::new(), 6));
        cells.push(too_few(q.too_few));
        return vec![cells];
    };
    items
        .iter()
        .map(|i| {
            let mut cells = vec![
                q.key.clone(),
                i.item.clone().unwrap_or_default(),
                q.kind.clone(),
                i.n.to_string(),
            ];
            match &i.describe {
                Some(d) => {
                    cells.push(format!("{:.2}", d.mean));
                    cells.push(interval(d.ci.lower, d.ci.upper, 2));
                }
                None => cells.extend([dash(), String::new()]),
            }
            match &i.top_two_box {
                Some(t) => {
                    cells.push(format!("{:.1}%", t.proportion * 100.0));
                    cells.push(interval(t.ci.lower * 100.0, t.ci.upper * 100.0, 1));
                }
                None => cells.extend([dash(), String::new()]),
            }
            match (&i.nps, q.kind == "nps") {
                (Some(n), _) => {
                    cells.push(format!("{:+.1}", n.score));
                    cells.push(interval(n.ci.lower, n.ci.upper, 1));
                }
                (None, true) => cells.extend([dash(), String::new()]),
                (None, false) => cells.extend([String::new(), String::new()]),
            }
            cells.push(too_few(i.too_few));
            cells
        })
        .collect()
}

/// Rows in columns two spaces apart; numbers to the right.
fn aligned(rows: &[Vec<String>], right: &[bool]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            if c > 0 {
                line.push_str("  ");
            }
            let pad = widths[c].saturating_sub(cell.chars().count());
            if right.get(c).copied().unwrap_or(false) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The figures of every question of one group, as an aligned table, then the counts
/// per option of the choice questions.
fn group_table(questions: &[QuestionResult], level: f64) -> String {
    let ci = format!("{} CI", percent_level(level));
    let mut table = vec![
        [
            "question",
            "item",
            "kind",
            "n",
            "mean",
            &ci,
            "top-2-box",
            &ci,
            "NPS",
            &ci,
            "",
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    table.extend(questions.iter().flat_map(rows));
    let right = [
        false, false, false, true, true, false, true, false, true, false, false,
    ];
    let mut out = aligned(&table, &right);
    for q in questions {
        if let Figures::Choice { options } = &q.figures {
            let listed: Vec<String> = options
                .iter()
                .map(|o| format!("{} {}", o.key, o.count))
                .collect();
            out.push_str(&format!("  {}: {}\n", q.key, listed.join(", ")));
        }
    }
    out
}

/// A readable summary: the survey, then per group a table of the figures per question.
fn table(data: &Data, split: Option<Split>, level: f64, partial: bool) -> String {
    let survey = &data.survey;
    let results = data.results(split, level);
    let counted = if partial {
        "responses, partial saves included"
    } else {
        "completed responses"
    };
    let mut out = format!(
        "{} {:?}, version {}, {}\n{} {counted}; intervals at {} (mean: Student t, top-2-box: Wilson, NPS: normal approximation)\n",
        survey.id,
        title(survey),
        survey.version,
        survey.status.as_str(),
        data.responses.len(),
        percent_level(level),
    );
    out.push_str(&format!("\nall: {} responses\n", results.responses));
    out.push_str(&group_table(&results.questions, level));
    if let Some(split) = split {
        for g in &results.splits {
            let named = if g.label == g.value {
                g.value.clone()
            } else {
                format!("{} ({})", g.value, g.label)
            };
            out.push_str(&format!("\n{split} {named}: {} responses\n", g.responses));
            out.push_str(&group_table(&g.questions, level));
        }
    }
    out.push_str(&format!(
        "\n\"too few\": fewer than {} answers, too few to say anything; the figures are shown anyway.\n",
        results.min_n
    ));
    out
}
