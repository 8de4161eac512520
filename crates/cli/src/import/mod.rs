//! `motesplats import`: touchpoints from the files other systems export (tills,
//! booking systems, CRMs), as CSV with a mapping or as NDJSON.
//!
//! Every row goes through the same checks as the HTTP API (`ingest::Context::check`).
//! A reader thread reads and checks rows while the store writes the previous chunk;
//! each chunk of 5,000 is one durable transaction, so a run that is stopped can be
//! started again: event ids make every row land once.

mod mapping;

use anyhow::{Context as _, anyhow, bail};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use indicatif::{ProgressBar, ProgressBarIter, ProgressStyle};
use mapping::Refusal;
use mapping::{Delimiter, Mapping, content_id};
use motesplats_core::touchpoint::TouchpointInput;
use motesplats_core::{Cursor, FieldError, NewTouchpoint, PageRequest, ProviderId, Reason};
use motesplats_server::AppState;
use motesplats_server::ingest::Context;
use motesplats_server::ingest::tracking::{self, Shared};
use motesplats_server::json::{JsonError, from_json};
use motesplats_store::{Outcome, QuarantineFilter, Stitch, Store};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tokio::sync::mpsc;

/// Rows per transaction.
const CHUNK: usize = 5_000;
/// Touchpoints placed on profiles per round of stitching.
const STITCH: u32 = 5_000;

/// The example in `--help`; a test checks that it parses.
macro_rules! example_mapping {
    () => {
        r#"  delimiter = ";"                          # default ","
  event_id = "{Kvitto}-{Rad}"              # default: a SHA-256 of the row
  occurred_at = { column = "Datum", format = "%Y-%m-%d %H:%M" }
  channel = { column = "Kanal", map = { "Butik" = "store", "Webb" = "web" } }
  kind = { value = "purchase" }            # the same for every row
  phase = { value = "during" }             # optional, as are initiator and setting
  identifiers = [                          # empty cells are skipped
    { kind = "email", column = "E-post" },
    { kind = "phone", column = "Mobil" },
  ]
  properties = [                           # type: string, number, integer or bool
    { column = "Belopp", name = "amount_sek", type = "number" },
    { name = "source", value = "kassa" },
  ]
"#
    };
}

const LONG_HELP: &str = concat!(
    r#"Formats:
  CSV (.csv) needs a mapping that says how columns become a touchpoint.
  NDJSON (.ndjson, .jsonl) holds one touchpoint per line, as POST /api/v1/touchpoints
  takes it, and needs no mapping; with one, each line is a flat JSON object whose keys
  are the columns.
  --format segment reads NDJSON of messages in Segment's tracking spec (identify,
  track, page, screen, alias, group), as an export from Segment or RudderStack holds
  them: each is mapped as POST /tracking/v1/batch maps it (messageId is the event id,
  track names become kinds through the provider's event names), and needs no mapping.

Every row goes through the same checks as the API. Good rows are stored in transactions
of 5,000 and stitched to profiles before the command ends. Rejected rows are written to
the error file (columns row,field,reason,raw; one line per reason) and kept in the
quarantine, from where they can be fixed and replayed; the command then ends with a
summary of the reasons and exit status 1. Importing the same file again stores nothing
twice: a row's event id comes from the mapping's event_id template, or else from a
SHA-256 of the row's content (so identical rows count as one; use "{row}" in the
template when identical rows are separate events).

A mapping for a till export such as

  Kvitto;Rad;Datum;Kanal;E-post;Mobil;Belopp
  1001;1;2025-11-20 14:05;Butik;anna@example.se;070-123 45 67;129,50

"#,
    example_mapping!(),
    r#"
Mapping keys:
  event_id       a template over columns: "{Kvitto}-{Rad}"; {row} is the row's number
                 (1 = the first row after the header, as the error file counts)
  occurred_at    { column, format, time_zone }: format is strftime (%Y-%m-%d %H:%M);
                 without one, RFC 3339 or 2025-11-20 14:05. Times without an offset are
                 in the provider's time zone, or in time_zone = "UTC" when given.
  channel, kind, phase, initiator, setting, profile_id
                 { value = "…" } for every row, or { column = "…" }, optionally with
                 map = { "in the file" = "in Mötesplats" } (other values are rejected)
  identifiers    [{ kind, column }]: email, phone, customer_number, loyalty_card,
                 device_id or social_handle
  properties     [{ column or value, name (default: the column), type }]; numbers may
                 use a decimal comma
  attributes     [{ column, name (default: the column) }]: what the row says of the
                 person, kept on the profile it lands on; given_name, family_name,
                 birth_date, street and postcode are what probabilistic linkage
                 compares (motesplats link --train). An empty cell says nothing.
  delimiter      one character, or "whitespace" for column-aligned files (cells
                 split at runs of spaces and tabs, no quoting); default ","
  header         false when the first row is data: columns are then named by
                 position, "1" for the first; default true

Examples:
  motesplats import --provider 0193f0c4-… --file kassa.csv --mapping kassa.toml

  A header-less, column-aligned purchase history (customer, date, items, amount):

    00001 19970101  1  11.77

  delimiter = "whitespace"
  header = false
  event_id = "cdnow-{row}"
  occurred_at = { column = "2", format = "%Y%m%d" }
  channel = { value = "web" }
  kind = { value = "purchase" }
  identifiers = [{ kind = "customer_number", column = "1" }]
  properties = [{ column = "4", name = "amount_usd", type = "number" }]
"#
);

#[derive(Clone, Copy, Debug, PartialEq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Ndjson,
    /// NDJSON of messages in Segment's tracking spec (identify, track, page, ...).
    Segment,
}

#[derive(clap::Args)]
#[command(after_long_help = LONG_HELP)]
pub struct Args {
    /// The provider the touchpoints belong to: its id, as `provider create` printed it.
    #[arg(long, value_name = "UUID")]
    provider: ProviderId,
    /// The file to import: .csv, or .ndjson/.jsonl.
    #[arg(long, value_name = "PATH")]
    file: PathBuf,
    /// How columns become a touchpoint (TOML; see --help). Required for CSV.
    #[arg(long, value_name = "PATH")]
    mapping: Option<PathBuf>,
    /// Where rejected rows go; default: <file>.rejected.csv beside the file.
    #[arg(long, value_name = "PATH")]
    errors: Option<PathBuf>,
    /// The file's format when its extension does not tell; `segment` for an export
    /// of tracking-protocol messages.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// postgres://… or a SQLite file path; default: a file in the platform's data directory.
    #[arg(long, env = "MOTESPLATS_DATABASE")]
    database: Option<String>,
}

/// A row as it arrived, for the error file and the quarantine.
enum Raw {
    Line(String),
    Record(csv::ByteRecord, Delimiter),
}

impl Raw {
    fn text(&self) -> String {
        match self {
            Raw::Line(line) => line.clone(),
            Raw::Record(record, delimiter) => {
                let delimiter = match delimiter {
                    Delimiter::Char(c) => *c as char,
                    Delimiter::Whitespace => ' ',
                };
                let cells: Vec<String> = record
                    .iter()
                    .map(|cell| {
                        let cell = String::from_utf8_lossy(cell);
                        if cell.contains([delimiter, '"', '\n', '\r']) {
                            format!("\"{}\"", cell.replace('"', "\"\""))
                        } else {
                            cell.into_owned()
                        }
                    })
                    .collect();
                cells.join(&delimiter.to_string())
            }
        }
    }
}

/// A row on its way: where it was, what it was, and the touchpoint it was read as
/// (kept when the mapping made it, so the quarantine holds replayable JSON).
struct Held {
    row: u64,
    raw: Raw,
    input: Option<TouchpointInput>,
}

impl Held {
    /// What the quarantine keeps: the touchpoint as JSON where there is one.
    fn quarantined(&self) -> String {
        let text = match &self.input {
            Some(input) => match serde_json::to_value(input) {
                Ok(Value::Object(mut fields)) => {
                    fields.retain(|_, v| !v.is_null());
                    Value::Object(fields).to_string()
                }
                _ => self.raw.text(),
            },
            None => self.raw.text(),
        };
        // NUL cannot be stored as text everywhere; the reasons already name it.
        text.replace('\0', "\u{FFFD}")
    }
}

/// The rows of a file of columns: CSV, or aligned by whitespace.
enum Rows {
    Csv(csv::Reader<ProgressBarIter<File>>),
    Aligned(BufReader<ProgressBarIter<File>>, Vec<u8>),
}

impl Rows {
    /// Reads the next row into `record`; false at the end of the file.
    fn read(&mut self, record: &mut csv::ByteRecord) -> anyhow::Result<bool> {
        match self {
            Rows::Csv(reader) => Ok(reader.read_byte_record(record)?),
            Rows::Aligned(reader, line) => {
                line.clear();
                if reader.read_until(b'\n', line)? == 0 {
                    return Ok(false);
                }
                record.clear();
                for cell in line
                    .split(u8::is_ascii_whitespace)
                    .filter(|c| !c.is_empty())
                {
                    record.push_field(cell);
                }
                Ok(true)
            }
        }
    }

    /// The first row that is not blank, without the byte-order mark some editors write.
    fn first(&mut self) -> anyhow::Result<Option<csv::ByteRecord>> {
        let mut record = csv::ByteRecord::new();
        while self.read(&mut record)? {
            if blank(&record) {
                continue;
            }
            let mut cells = record.iter();
            let head = cells.next().unwrap_or_default();
            let mut first = csv::ByteRecord::new();
            first.push_field(head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head));
            cells.for_each(|c| first.push_field(c));
            return Ok(Some(first));
        }
        Ok(None)
    }
}

fn blank(record: &csv::ByteRecord) -> bool {
    record.is_empty() || record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace)
}

/// What the reader hands the writer.
#[derive(Default)]
struct Chunk {
    read: u64,
    /// Messages whose `integrations` turn Mötesplats off.
    skipped: u64,
    good: Vec<(Held, NewTouchpoint)>,
    bad: Vec<(Held, Vec<Refusal>)>,
}

/// Reads rows, checks them, and sends them on in chunks.
struct Reader {
    context: Context,
    zone: Tz,
    now: DateTime<Utc>,
    chunk: Chunk,
    tx: mpsc::Sender<Chunk>,
}

impl Reader {
    fn bad(&mut self, held: Held, errors: Vec<FieldError>) -> anyhow::Result<()> {
        let errors = errors.into_iter().map(Refusal::from).collect();
        self.chunk.bad.push((held, errors));
        self.flush_if_full()
    }

    fn flush_if_full(&mut self) -> anyhow::Result<()> {
        if self.chunk.good.len() >= CHUNK || self.chunk.bad.len() >= CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        let chunk = std::mem::take(&mut self.chunk);
        if chunk.read > 0 {
            self.tx
                .blocking_send(chunk)
                .map_err(|_| anyhow!("the import stopped"))?;
        }
        Ok(())
    }

    /// Reads a file of columns; `first` is a row already read that is not the header.
    fn csv(
        mut self,
        mut rows: Rows,
        first: Option<csv::ByteRecord>,
        columns: usize,
        mapping: Mapping,
    ) -> anyhow::Result<()> {
        let mut pending = first;
        let mut record = csv::ByteRecord::new();
        let mut row = 0;
        loop {
            match pending.take() {
                Some(first) => record = first,
                None if rows.read(&mut record)? => {}
                None => break,
            }
            if blank(&record) {
                continue;
            }
            row += 1;
            self.chunk.read += 1;
            let raw = |record: &csv::ByteRecord| Held {
                row,
                raw: Raw::Record(record.clone(), mapping.delimiter),
                input: None,
            };
            if record.len() != columns {
                let why = FieldError {
                    field: "row".into(),
                    reason: Reason::CellCount {
                        count: record.len(),
                        expected: columns,
                    },
                };
                self.bad(raw(&record), vec![why])?;
                continue;
            }
            let cells: Result<Vec<&str>, usize> = record
                .iter()
                .enumerate()
                .map(|(i, c)| std::str::from_utf8(c).map_err(|_| i + 1))
                .collect();
            let cells = match cells {
                Ok(cells) => cells,
                Err(n) => {
                    let why = FieldError {
                        field: "row".into(),
                        reason: Reason::CellNotUtf8 { cell: n },
                    };
                    self.bad(raw(&record), vec![why])?;
                    continue;
                }
            };
            let mut mapped = mapping.apply(&cells, row, self.zone);
            if !mapping.has_event_id() {
                mapped.input.event_id = Some(content_id(record.iter()));
            }
            let input = std::mem::take(&mut mapped.input);
            let held = Held {
                row,
                raw: Raw::Record(record.clone(), mapping.delimiter),
                input: None,
            };
            self.check_mapped(held, input, &mapping, mapped)?;
        }
        self.flush()
    }

    /// Checks a mapped row; the held row keeps the input for the quarantine.
    fn check_mapped(
        &mut self,
        mut held: Held,
        input: TouchpointInput,
        mapping: &Mapping,
        mapped: mapping::Mapped,
    ) -> anyhow::Result<()> {
        let checked = self.context.check(input.clone(), self.now, true);
        held.input = Some(input);
        match checked {
            Ok(t) if mapped.errors.is_empty() => self.chunk.good.push((held, t)),
            Ok(_) => {
                let errors = mapping.explain(&mapped, Vec::new());
                self.chunk.bad.push((held, errors));
            }
            Err(e) => {
                let errors = mapping.explain(&mapped, e.0);
                self.chunk.bad.push((held, errors));
            }
        }
        self.flush_if_full()
    }

    /// Hands each line that is not blank to `each` with its number; a line that is
    /// not UTF-8 is rejected here.
    fn lines(
        mut self,
        mut reader: BufReader<ProgressBarIter<File>>,
        mut each: impl FnMut(&mut Self, u64, String) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut buf = Vec::new();
        let mut line = 0;
        loop {
            buf.clear();
            if reader.read_until(b'\n', &mut buf)? == 0 {
                break;
            }
            line += 1;
            while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                buf.pop();
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.chunk.read += 1;
            match String::from_utf8(std::mem::take(&mut buf)) {
                Ok(text) => each(&mut self, line, text)?,
                Err(e) => {
                    let held = Held {
                        row: line,
                        raw: Raw::Line(String::from_utf8_lossy(e.as_bytes()).into_owned()),
                        input: None,
                    };
                    let why = FieldError {
                        field: String::new(),
                        reason: Reason::NotUtf8,
                    };
                    self.bad(held, vec![why])?;
                }
            }
        }
        self.flush()
    }

    /// Messages of the tracking protocol, one per line, as a Segment or RudderStack
    /// export holds them.
    fn segment(self, reader: BufReader<ProgressBarIter<File>>) -> anyhow::Result<()> {
        self.lines(reader, |me, line, text| {
            let checked = me
                .context
                .check_message(&text, None, Shared::default(), me.now);
            let held = Held {
                row: line,
                raw: Raw::Line(text),
                input: None,
            };
            match checked {
                Ok(Some(t)) => me.chunk.good.push((held, t)),
                Ok(None) => me.chunk.skipped += 1,
                Err(e) => me
                    .chunk
                    .bad
                    .push((held, e.0.into_iter().map(Refusal::from).collect())),
            }
            me.flush_if_full()
        })
    }

    fn ndjson(
        self,
        reader: BufReader<ProgressBarIter<File>>,
        mapping: Option<Mapping>,
    ) -> anyhow::Result<()> {
        let columns = mapping.as_ref().map(Mapping::columns).unwrap_or_default();
        self.lines(reader, |me, line, text| {
            let id = || content_id([text.trim().as_bytes()]);
            match &mapping {
                None => match from_json::<TouchpointInput>(text.as_bytes()) {
                    Err(e) => {
                        let errors = match e {
                            JsonError::Syntax(d) => vec![FieldError {
                                field: String::new(),
                                reason: JsonError::syntax_reason(&d),
                            }],
                            JsonError::Fields(i) => i.0,
                        };
                        let held = Held {
                            row: line,
                            raw: Raw::Line(text),
                            input: None,
                        };
                        me.bad(held, errors)?;
                    }
                    Ok(mut input) => {
                        let derived = input.event_id.is_none();
                        if derived {
                            input.event_id = Some(id());
                        }
                        let mut held = Held {
                            row: line,
                            raw: Raw::Line(text),
                            input: None,
                        };
                        if derived {
                            held.input = Some(input.clone());
                        }
                        let checked = me.context.check(input, me.now, true);
                        match checked {
                            Ok(t) => me.chunk.good.push((held, t)),
                            Err(e) => me
                                .chunk
                                .bad
                                .push((held, e.0.into_iter().map(Refusal::from).collect())),
                        }
                        me.flush_if_full()?;
                    }
                },
                Some(mapping) => {
                    let object = match serde_json::from_str::<Value>(&text) {
                        Ok(Value::Object(object)) => object,
                        Ok(_) => {
                            let why = FieldError {
                                field: String::new(),
                                reason: Reason::NotJsonObject,
                            };
                            let held = Held {
                                row: line,
                                raw: Raw::Line(text),
                                input: None,
                            };
                            me.bad(held, vec![why])?;
                            return Ok(());
                        }
                        Err(e) => {
                            let why = FieldError {
                                field: String::new(),
                                reason: Reason::NotJson {
                                    detail: e.to_string(),
                                },
                            };
                            let held = Held {
                                row: line,
                                raw: Raw::Line(text),
                                input: None,
                            };
                            me.bad(held, vec![why])?;
                            return Ok(());
                        }
                    };
                    let cells: Vec<String> = columns
                        .iter()
                        .map(|c| match object.get(c) {
                            None | Some(Value::Null) => String::new(),
                            Some(Value::String(s)) => s.clone(),
                            Some(other) => other.to_string(),
                        })
                        .collect();
                    let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
                    let mut mapped = mapping.apply(&refs, line, me.zone);
                    if !mapping.has_event_id() {
                        mapped.input.event_id = Some(id());
                    }
                    let input = std::mem::take(&mut mapped.input);
                    let held = Held {
                        row: line,
                        raw: Raw::Line(text),
                        input: None,
                    };
                    me.check_mapped(held, input, mapping, mapped)?;
                }
            }
            Ok(())
        })
    }
}

/// The counts the summary reports.
#[derive(Default)]
struct Totals {
    read: u64,
    skipped: u64,
    imported: u64,
    duplicates: u64,
    rejected: u64,
}

/// Why rows were rejected, by field: how many rows, and the first as an example.
#[derive(Default)]
struct Reasons(BTreeMap<String, (u64, u64, String)>);

impl Reasons {
    fn add(&mut self, rows: &[(Held, Vec<Refusal>)]) {
        for (held, errors) in rows {
            let mut fields = BTreeSet::new();
            for e in errors {
                let field = if e.error.field.is_empty() {
                    "row"
                } else {
                    &e.error.field
                };
                if fields.insert(field) {
                    self.0
                        .entry(field.to_string())
                        .or_insert_with(|| (0, held.row, e.reason()))
                        .0 += 1;
                }
            }
        }
    }
}

impl std::fmt::Display for Reasons {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut most: Vec<_> = self.0.iter().collect();
        most.sort_by_key(|(_, (n, _, _))| std::cmp::Reverse(*n));
        for (field, (n, row, reason)) in most {
            writeln!(f, "  {n} × {field}, such as row {row}: {reason}")?;
        }
        Ok(())
    }
}

/// The error file, opened at the first rejected row.
struct Errors {
    path: PathBuf,
    writer: Option<motesplats_server::csv_out::Writer<File>>,
}

impl Errors {
    fn write(&mut self, rows: &[(Held, Vec<Refusal>)]) -> anyhow::Result<()> {
        let writer = match &mut self.writer {
            Some(w) => w,
            None => {
                let file = File::create(&self.path)
                    .with_context(|| format!("errors: cannot write {}", self.path.display()))?;
                let mut w = motesplats_server::csv_out::Writer::new(file);
                w.row(["row", "field", "reason", "raw"])?;
                self.writer.insert(w)
            }
        };
        for (held, errors) in rows {
            let row = held.row.to_string();
            let raw = held.raw.text();
            if errors.is_empty() {
                writer.row([row.as_str(), "", "rejected", &raw])?;
            }
            for e in errors {
                writer.row([row.as_str(), &e.error.field, &e.reason(), &raw])?;
            }
        }
        writer
            .flush()
            .with_context(|| format!("errors: cannot write {}", self.path.display()))?;
        Ok(())
    }
}

/// SHA-256 of each row that earlier imports left in the provider's quarantine.
async fn quarantined_imports(
    store: &dyn Store,
    provider: ProviderId,
    source: &str,
) -> anyhow::Result<HashSet<[u8; 32]>> {
    let mut seen = HashSet::new();
    let import_source = QuarantineFilter {
        source: Some(source.into()),
        field: None,
    };
    let mut page = PageRequest {
        limit: PageRequest::MAX_LIMIT,
        after: None,
    };
    loop {
        let held = store
            .quarantined(provider, &import_source, page)
            .await
            .context("reading the quarantine")?;
        let Some(last) = held.last() else { break };
        page.after = Some(Cursor(last.id));
        seen.extend(
            held.iter()
                .map(|q| <[u8; 32]>::from(Sha256::digest(&q.raw))),
        );
    }
    Ok(seen)
}

fn problems(path: &Path, p: mapping::Problems) -> anyhow::Error {
    let lines: Vec<String> = p.0.iter().map(|l| format!("  {l}")).collect();
    anyhow!("mapping {}:\n{}", path.display(), lines.join("\n"))
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let format = match args.format {
        Some(f) => f,
        None => match args
            .file
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => Format::Csv,
            Some("ndjson" | "jsonl") => Format::Ndjson,
            _ => bail!(
                "format: cannot tell the format of {} from its name; give --format csv or --format ndjson",
                args.file.display()
            ),
        },
    };
    let mut mapping = match &args.mapping {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("mapping: cannot read {}", path.display()))?;
            Some(Mapping::parse(&text).map_err(|p| problems(path, p))?)
        }
    };
    let errors_path = args.errors.clone().unwrap_or_else(|| {
        let mut name = args.file.clone().into_os_string();
        name.push(".rejected.csv");
        PathBuf::from(name)
    });
    if errors_path == args.file {
        bail!("errors: the error file must not be the file imported");
    }

    let file = File::open(&args.file)
        .with_context(|| format!("file: cannot read {}", args.file.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = ProgressBar::new(size).with_style(
        ProgressStyle::with_template(
            "importing [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left) {msg}",
        )
        .context("progress template")?
        .progress_chars("=> "),
    );
    enum Source {
        Csv(Rows, Option<csv::ByteRecord>, usize, Mapping),
        Ndjson(BufReader<ProgressBarIter<File>>, Option<Mapping>),
        Segment(BufReader<ProgressBarIter<File>>),
    }
    let source = match format {
        Format::Csv => {
            let Some(mut mapping) = mapping.take() else {
                bail!(
                    "mapping: a CSV file needs --mapping <mapping.toml> to say how its columns become touchpoints (see motesplats import --help)"
                );
            };
            let mut rows = match mapping.delimiter {
                Delimiter::Char(c) => Rows::Csv(
                    csv::ReaderBuilder::new()
                        .delimiter(c)
                        .has_headers(false)
                        .flexible(true)
                        .from_reader(bar.wrap_read(file)),
                ),
                Delimiter::Whitespace => {
                    Rows::Aligned(BufReader::new(bar.wrap_read(file)), Vec::new())
                }
            };
            let first = rows.first().with_context(|| {
                format!("file: cannot read the first row of {}", args.file.display())
            })?;
            let Some(first) = first else {
                bail!(
                    "file: {} is empty; its first line must be {}",
                    args.file.display(),
                    if mapping.header {
                        "the header"
                    } else {
                        "a row"
                    }
                );
            };
            if !mapping.header {
                if let Some(path) = &args.mapping {
                    mapping
                        .bind_by_position(first.len())
                        .map_err(|p| problems(path, p))?;
                }
                let columns = first.len();
                Source::Csv(rows, Some(first), columns, mapping)
            } else {
                let names: Vec<String> = first
                    .iter()
                    .map(|h| std::str::from_utf8(h).map(|h| h.trim().to_string()))
                    .collect::<Result<_, _>>()
                    .map_err(|_| {
                        anyhow!(
                            "file: the header of {} is not UTF-8 text; save the file as UTF-8",
                            args.file.display()
                        )
                    })?;
                if let Some(path) = &args.mapping {
                    mapping.bind(&names).map_err(|p| problems(path, p))?;
                }
                Source::Csv(rows, None, names.len(), mapping)
            }
        }
        Format::Ndjson => {
            if let Some(m) = &mut mapping {
                let columns = m.columns();
                m.bind(&columns).map_err(|p| anyhow!("mapping: {p}"))?;
            }
            Source::Ndjson(BufReader::new(bar.wrap_read(file)), mapping)
        }
        Format::Segment => {
            if mapping.is_some() {
                bail!(
                    "mapping: --format segment needs no mapping: each line is a message of the spec"
                );
            }
            Source::Segment(BufReader::new(bar.wrap_read(file)))
        }
    };
    // Messages are kept as messages, so the quarantine replays them as such.
    let quarantine_source = match format {
        Format::Segment => tracking::SOURCE,
        Format::Csv | Format::Ndjson => "import",
    };

    let database = args.database.unwrap_or_else(super::default_database);
    let store = motesplats_store::open(&database)
        .await
        .with_context(|| format!("opening the database {database}"))?;
    let provider = args.provider;
    let Some(found) = store.provider(provider).await? else {
        bail!("provider: no provider {provider}");
    };
    let zone: Tz = found.time_zone.parse().map_err(|_| {
        anyhow!(
            "provider: its time zone {:?} is not an IANA time zone",
            found.time_zone
        )
    })?;
    let state = AppState::new(store.clone(), None);
    let context = Context::load(&state, provider)
        .await
        .map_err(|e| anyhow!("loading the provider's channels and tracking plan: {e:?}"))?;

    let (tx, mut rx) = mpsc::channel::<Chunk>(2);
    let reader = Reader {
        context,
        zone,
        now: Utc::now(),
        chunk: Chunk::default(),
        tx,
    };
    let reading = std::thread::spawn(move || match source {
        Source::Csv(r, first, columns, m) => reader.csv(r, first, columns, m),
        Source::Ndjson(r, m) => reader.ndjson(r, m),
        Source::Segment(r) => reader.segment(r),
    });

    let mut held_before = quarantined_imports(store.as_ref(), provider, quarantine_source).await?;
    let mut totals = Totals::default();
    let mut errors = Errors {
        path: errors_path,
        writer: None,
    };
    let mut reasons = Reasons::default();
    while let Some(chunk) = rx.recv().await {
        totals.read += chunk.read;
        totals.skipped += chunk.skipped;
        let mut bad = chunk.bad;
        let (held, touchpoints): (Vec<Held>, Vec<NewTouchpoint>) = chunk.good.into_iter().unzip();
        if !touchpoints.is_empty() {
            let outcomes = store
                .insert_touchpoints(provider, touchpoints, Utc::now(), Stitch::Later)
                .await
                .context("storing touchpoints")?;
            if outcomes.len() != held.len() {
                bail!(
                    "the store answered {} outcomes for {} touchpoints",
                    outcomes.len(),
                    held.len()
                );
            }
            for (held, outcome) in held.into_iter().zip(outcomes) {
                match outcome {
                    Outcome::Stored(_) => totals.imported += 1,
                    Outcome::Duplicate(_) => totals.duplicates += 1,
                    Outcome::Rejected(e) => {
                        bad.push((held, e.0.into_iter().map(Refusal::from).collect()))
                    }
                }
            }
        }
        if !bad.is_empty() {
            bad.sort_by_key(|(held, _)| held.row);
            errors.write(&bad)?;
            reasons.add(&bad);
            totals.rejected += bad.len() as u64;
            // A row rejected by an earlier run is there already.
            let quarantine: Vec<_> = bad
                .iter()
                .map(|(held, e)| {
                    let errors = e.iter().map(|r| r.error.clone()).collect();
                    (quarantine_source.to_string(), held.quarantined(), errors)
                })
                .filter(|(_, raw, _)| held_before.insert(Sha256::digest(raw).into()))
                .collect();
            if !quarantine.is_empty() {
                store
                    .quarantine(provider, quarantine)
                    .await
                    .context("keeping rejected rows in the quarantine")?;
            }
        }
        bar.set_message(format!(
            "{} rows, {} rejected",
            totals.read, totals.rejected
        ));
    }
    reading
        .join()
        .map_err(|_| anyhow!("the reader thread panicked"))?
        .with_context(|| format!("file: reading {}", args.file.display()))?;
    bar.finish_and_clear();
    let stored = started.elapsed();

    let stitching = ProgressBar::new_spinner().with_message("stitching profiles");
    stitching.enable_steady_tick(std::time::Duration::from_millis(120));
    let mut placed = 0;
    loop {
        let n = store
            .resolve_pending(STITCH)
            .await
            .context("stitching profiles")?;
        if n == 0 {
            break;
        }
        placed += n;
        stitching.set_message(format!("stitching profiles: {placed} touchpoints placed"));
    }
    stitching.finish_and_clear();

    let seconds = started.elapsed().as_secs_f64();
    tracing::debug!(
        stored_s = stored.as_secs_f64(),
        stitched_s = seconds - stored.as_secs_f64(),
        "import done"
    );
    println!("rows read:      {}", totals.read);
    println!("imported:       {}", totals.imported);
    println!("already there:  {}", totals.duplicates);
    if totals.skipped > 0 {
        println!(
            "skipped:        {} (their integrations turn Mötesplats off)",
            totals.skipped
        );
    }
    if totals.rejected > 0 {
        println!(
            "rejected:       {} (see {})",
            totals.rejected,
            errors.path.display()
        );
    } else {
        println!("rejected:       0");
    }
    println!(
        "time:           {seconds:.2} s, {:.0} rows/s",
        totals.read as f64 / seconds.max(1e-9)
    );
    if totals.rejected > 0 {
        // A script must not take a partial import for a whole one.
        bail!(
            "{} of {} rows were rejected; they are in {} and in the quarantine. Why, by field:\n{reasons}",
            totals.rejected,
            totals.read,
            errors.path.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_example_in_the_help_is_a_valid_mapping() {
        let mut m = super::Mapping::parse(example_mapping!()).unwrap();
        let header = [
            "Kvitto", "Rad", "Datum", "Kanal", "E-post", "Mobil", "Belopp",
        ]
        .map(String::from);
        m.bind(&header).unwrap();
        assert_eq!(m.delimiter, super::Delimiter::Char(b';'));
    }
}
