//! Why a field was refused: a stable code with the numbers and words it needs, so a
//! page can say it in the reader's language and a program can act on the code. The
//! English sentence is the API's; the server's Fluent files say each code in Swedish
//! and English for people.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use utoipa::openapi::{RefOr, schema::Schema};
use utoipa::{PartialSchema, ToSchema};

/// A value a reason carries: a number (a limit, a size, a count) or a word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Param {
    Number(i64),
    Text(String),
    List(Vec<String>),
}

/// Several words, such as the values a field allows; written "a, b, c".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct List(pub Vec<String>);

impl List {
    pub fn of<T: ToString>(items: impl IntoIterator<Item = T>) -> Self {
        List(items.into_iter().map(|i| i.to_string()).collect())
    }
}

impl fmt::Display for List {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(", "))
    }
}

/// How a parameter's Rust type becomes a [`Param`] and back (for stored reasons).
pub trait Carried: Sized {
    fn carry(&self) -> Param;
    fn read(p: &Param) -> Option<Self>;
}

impl Carried for i64 {
    fn carry(&self) -> Param {
        Param::Number(*self)
    }
    fn read(p: &Param) -> Option<Self> {
        match p {
            Param::Number(n) => Some(*n),
            _ => None,
        }
    }
}

impl Carried for usize {
    fn carry(&self) -> Param {
        Param::Number(i64::try_from(*self).unwrap_or(i64::MAX))
    }
    fn read(p: &Param) -> Option<Self> {
        i64::read(p).and_then(|n| usize::try_from(n).ok())
    }
}

impl Carried for String {
    fn carry(&self) -> Param {
        Param::Text(self.clone())
    }
    fn read(p: &Param) -> Option<Self> {
        match p {
            Param::Text(t) => Some(t.clone()),
            Param::Number(n) => Some(n.to_string()),
            Param::List(_) => None,
        }
    }
}

impl Carried for List {
    fn carry(&self) -> Param {
        Param::List(self.0.clone())
    }
    fn read(p: &Param) -> Option<Self> {
        match p {
            Param::List(l) => Some(List(l.clone())),
            _ => None,
        }
    }
}

/// The parameters of a reason by name.
pub type Params = BTreeMap<String, Param>;

/// Defines [`Reason`]: each variant with its code, its parameters and its English
/// sentence, so the three can never disagree.
macro_rules! reasons {
    (
        $(
            $(#[$doc:meta])*
            $variant:ident = $code:literal $({ $($param:ident : $ty:ty),* $(,)? })? => $english:literal;
        )+
    ) => {
        /// Why a field was refused. The code (`too-long`) is stable; the parameters
        /// are the numbers and words the sentence needs.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Reason {
            $( $(#[$doc])* $variant $({ $($param: $ty),* })?, )+
            /// A reason stored before reasons had codes, kept as it was written.
            Recorded(String),
        }

        impl Reason {
            /// Every code there is (not `recorded`, which is no reason of its own).
            pub const CODES: &'static [&'static str] = &[$($code),+];

            pub fn code(&self) -> &'static str {
                match self {
                    $( Reason::$variant { .. } => $code, )+
                    Reason::Recorded(_) => "recorded",
                }
            }

            /// The parameters by name, as the Fluent messages name them.
            pub fn params(&self) -> Params {
                match self {
                    $(
                        #[allow(unused_mut)]
                        Reason::$variant $({ $($param),* })? => {
                            let mut out = Params::new();
                            $($( out.insert(stringify!($param).to_string(), Carried::carry($param)); )*)?
                            out
                        }
                    )+
                    Reason::Recorded(text) => {
                        Params::from([("text".to_string(), Param::Text(text.clone()))])
                    }
                }
            }

            /// The reason a code and its parameters name, if they name one.
            pub fn from_parts(code: &str, params: &Params) -> Option<Reason> {
                let _ = params;
                match code {
                    $( $code => Some(Reason::$variant $({ $($param: <$ty as Carried>::read(params.get(stringify!($param))?)?),* })?), )+
                    _ => None,
                }
            }
        }

        impl fmt::Display for Reason {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $( Reason::$variant $({ $($param),* })? => { $($( let _ = &$param; )*)? write!(f, $english) } )+
                    Reason::Recorded(text) => f.write_str(text),
                }
            }
        }
    };
}

reasons! {
    // Any field.
    Required = "required" => "is required";
    Empty = "empty" => "must not be empty";
    TooLong = "too-long" { max: usize } => "must be at most {max} characters";
    ControlCharacters = "control-characters" => "must not contain control characters";
    /// Free text may hold line breaks and tabs, nothing else of the kind.
    ControlCharactersInText = "control-characters-in-text" =>
        "must not contain control characters other than newlines and tabs";
    NulCharacter = "nul-character" => "must not contain the NUL character (U+0000), which cannot be stored";
    EdgeWhiteSpace = "edge-white-space" => "must not start or end with white space";
    OneOf = "one-of" { value: String, allowed: List } =>
        "unknown value {value:?}; expected one of {allowed}";
    Repeats = "repeats" { value: String } => "repeats {value:?}, which is already given";
    RepeatsOf = "repeats-of" { other: String } => "repeats the value of {other}";
    /// `expected` is a JSON type: object, array, string, number, integer, boolean.
    WrongType = "wrong-type" { expected: String } => "must be a JSON {expected}";
    Unreadable = "unreadable" { detail: String } => "could not be read: {detail}";
    TooLargeJson = "too-large-json" { max: usize } => "must be at most {max} bytes as JSON";
    TooLarge = "too-large" { max: usize } => "must be at most {max} bytes";

    // Numbers and counts.
    WholeNumber = "whole-number" => "must be a whole number";
    Negative = "negative" => "must not be negative";
    AtLeast = "at-least" { min: i64 } => "must be at least {min}";
    Range = "range" { low: i64, high: i64 } => "must be from {low} to {high}";
    Entries = "entries" { low: usize, high: usize } => "must have from {low} to {high} entries";
    TooManyEntries = "too-many-entries" { count: usize, max: usize } =>
        "has {count} entries; at most {max} are allowed";

    // Dates, times and formats.
    Date = "date" { value: String } => "{value:?} is not a date such as 2026-11-23";
    Timestamp = "timestamp" { value: String } =>
        "{value:?} is not an RFC 3339 timestamp with an offset, such as 2026-11-23T14:05:00+01:00";
    TimeZone = "time-zone" { value: String } =>
        "{value:?} is not an IANA time zone such as Europe/Stockholm";
    Country = "country" { value: String } => "{value:?} is not an ISO 3166 country code such as SE";
    NotBefore = "not-before" { other: String } => "must not be before {other}";
    DateOfTime = "date-of-time" { date: String, time: String } =>
        "{date} is not the date of occurred_at ({time})";
    Origin = "origin" => "must be an origin such as https://shop.example (scheme, host, optional port)";
    Guid = "guid" => "must be a GUID such as 1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294";
    /// Keys are ASCII so they work in URLs, CSV headers and code everywhere.
    Key = "key" { low: usize, high: usize, marks: String } =>
        "must be {low} to {high} characters: a lower-case letter a–z, then letters a–z, digits or {marks}";
    Email = "email" => "must be an e-mail address such as anna@example.se";
    Phone = "phone" => "must be a phone number of 7 to 15 digits, such as +46 70 123 45 67";
    Version = "version" { value: String, supported: String } =>
        "version {value} is not supported; this reads version {supported}";

    // What a field names.
    /// `what` is a thing of a research project: member, moment, function, template,
    /// round, evidence, image, story, stance, observation, group.
    NotInProject = "not-in-project" { what: String } => "no {what} with this id in the project";
    NamesNothing = "names-nothing" => "names nothing in this project";
    NoProvider = "no-provider" => "no such provider";
    NoProfile = "no-profile" { id: String } => "no profile {id} at this provider";
    NoPerson = "no-person" { id: String } => "no person {id} at this provider";
    NoResponse = "no-response" => "no response with this id to this survey";
    NoSurvey = "no-survey" => "no survey with this id at this provider";
    NoSegment = "no-segment" => "no segment with this id at this provider";
    NoCode = "no-code" { key: String } => "{key:?} is not a code of the codebook";
    NoQuestion = "no-question" { key: String } => "{key:?} is not a question of this survey";
    NoItem = "no-item" { item: String, question: String } => "{item:?} is not an item of {question}";
    UnknownChannel = "unknown-channel" { value: String } =>
        "unknown channel {value:?}; register it first or use a built-in one";

    // Changes that meet other changes.
    /// `what` is project, survey or codebook.
    Changed = "changed" { what: String, expected: i64, current: i64 } =>
        "the {what} changed since version {expected} was read (it is now version {current}); load it again and make the change again";
    ChangingTooFast = "changing-too-fast" => "the project is changing too fast to save this; send the form again";
    /// `what` is survey, project, attachment or channel.
    Exists = "exists" { what: String } => "a {what} with this id or key exists";
    /// `what` is user, member or observer.
    Already = "already" { what: String } => "is already a {what}";
    ResponsesMeanwhile = "responses-meanwhile" => "the survey got responses meanwhile";

    // Contact decisions: why a contact is allowed, denied or deferred. Times are
    // RFC 3339 in UTC; `purpose` is marketing or research; `source` person or import.
    ClockTime = "clock-time" { value: String } => "{value:?} is not a time of day such as 21:30";
    UrgentService = "urgent-service" =>
        "only service messages, which the person asked for, may be urgent";
    ContactService = "contact-service" =>
        "a service message the person asked for needs no consent and takes nothing of their budget";
    ContactConsented = "contact-consented" { purpose: String, source: String, at: String } =>
        "the person consented to {purpose} ({source}, {at})";
    ContactNoConsent = "contact-no-consent" { purpose: String } =>
        "the person has not consented to {purpose} by this provider";
    ContactWithdrawn = "contact-withdrawn" { purpose: String, at: String } =>
        "the person said no to {purpose} ({at})";
    ContactChannel = "contact-channel" { channel: String, allowed: List } =>
        "the person does not accept contact by {channel}; they accept: {allowed}";
    ContactNone = "contact-none" => "the person accepts no contacts for marketing or research";
    ContactMoment = "contact-moment" { motivation: String } =>
        "the person is in a moment of {motivation} and does not welcome contact then";
    ContactQuiet = "contact-quiet" { from: String, to: String, until: String } =>
        "the person's quiet hours ({from}–{to}) last until {until}";
    ContactBudget = "contact-budget" { used: usize, budget: usize, until: String } =>
        "the person has had {used} contacts in seven days, their budget is {budget}; the next fits at {until}";
    ContactWithinBudget = "contact-within-budget" { used: usize, budget: usize } =>
        "{used} of the person's {budget} contacts in seven days are taken; this one is held for you until you confirm the send";
    ContactLapsed = "contact-lapsed" { minutes: i64 } =>
        "the allowed contact was not confirmed within {minutes} minutes and has lapsed; ask again";

    // Erasure.
    Erased = "erased" =>
        "belongs to a person whose data was erased at their request, so it is not stored again";

    // Sharing grants.
    ReaderIsHolder = "reader-is-holder" => "must be another provider than the one whose records are read";
    DayWithin = "day-within" { first: String, last: String } => "must be a day from {first} to {last}";
    GrantNoConsent = "grant-no-consent" { purpose: String } =>
        "the person's consent to {purpose} by this provider does not hold, so the grant reads nothing";

    // Tracking plans.
    SchemaObject = "schema-object" => "must be a JSON Schema object, such as {{\"type\": \"object\"}}";
    BadSchema = "bad-schema" { detail: String } => "is not a valid JSON Schema: {detail}";
    NotInPlan = "not-in-plan" { kind: String } => "{kind:?} is not in the tracking plan";
    BreaksPlan = "breaks-plan" { detail: String } => "breaks the tracking plan: {detail}";

    // Surveys.
    NeedsText = "needs-text" { language: String } => "needs a text in {language}";
    TextPerLanguage = "text-per-language" => "give one text per language, such as {{\"sv\": \"…\", \"en\": \"…\"}}";
    NotSurveyLanguage = "not-survey-language" => "is not one of the survey's languages";
    NoQuestions = "no-questions" => "the survey needs at least one question";
    TooManyQuestions = "too-many-questions" { max: usize } => "must hold at most {max} questions in all";
    KindKept = "kind-kept" { from: String, to: String } =>
        "cannot change from {from} to {to} once the survey has responses; use a new key";
    ScaleKept = "scale-kept" => "cannot change the scale once the survey has responses; use a new key";
    NoDraft = "no-draft" => "cannot go back to draft once opened";
    OpenFirst = "open-first" => "a draft must be opened before it is closed";
    Completed = "completed" => "was completed and cannot change";
    NoScale = "no-scale" { kind: String } => "{kind} questions have no scale";
    NameItem = "name-item" => "name an item of the matrix";
    OnlyMatrixItems = "only-matrix-items" => "only matrix questions have items";
    AnchorEnds = "anchor-ends" { low: i64, high: i64 } => "must label at least both ends, {low} and {high}";
    MaxSelections = "max-selections" { max: usize } => "must be from 1 to the number of options, {max}";
    MinOverMax = "min-over-max" { max: usize } => "must not exceed max_selections ({max})";
    TooManyChoices = "too-many-choices" { count: usize, max: usize } =>
        "too many choices: {count} chosen, at most {max} allowed";
    TooFewChoices = "too-few-choices" { count: usize, min: usize } =>
        "too few choices: {count} chosen, at least {min} needed";
    NotAnswered = "not-answered" => "the response did not answer this question";
    NoSection = "no-section" => "is not one of the sections";
    ItemPoints = "item-points" => "must be an object of item keys and points";
    OptionKeys = "option-keys" => "must be a list of option keys";
    OptionKey = "option-key" => "must be an option key";
    DifferFromRows = "differ-from-rows" => "must differ from rows";

    // Coding.
    PastEnd = "past-end" { length: usize } => "is past the end of the answer, which has {length} characters";
    SpanEmpty = "span-empty" => "must be more than start: a span holds at least one character";
    SpanWhiteSpace = "span-white-space" => "the span holds only white space";
    WordsNotInText = "words-not-in-text" { words: String } => "{words:?} is not in the answer";
    NotOpenText = "not-open-text" { key: String, kind: String } =>
        "{key:?} is a {kind} question; only open-text answers are coded";
    CodedBefore = "coded-before" { coder: String, code: String } =>
        "{coder} already gave this span the code {code}";
    TooManyCodes = "too-many-codes" { count: usize, max: usize } =>
        "has {count} codes; at most {max} are allowed";
    NestsTooDeep = "nests-too-deep" { max: usize } => "codes nest at most {max} deep";
    NamesItself = "names-itself" => "names the code itself";
    NeedsCode = "needs-code" => "needs at least one code";
    SitsTwice = "sits-twice" => "sits in two groups";
    BadXml = "bad-xml" { detail: String } => "is not a readable REFI-QDA codebook: {detail}";

    // Research.
    NeedsPhase = "needs-phase" => "needs at least one phase";
    NeedsLead = "needs-lead" => "needs at least one lead who runs the workshop";
    NeedsObserver = "needs-observer" => "needs at least one observer";
    NotObserver = "not-observer" => "is not an observer of this round";
    IsObserver = "is-observer" => "is an observer";
    NotProtocolField = "not-protocol-field" => "is not a field of the round's protocol";
    WithinRound = "within-round" { start: String, end: String } => "must be within the round, {start} to {end}";
    RoundBefore = "round-before" => "must be the round before this one";
    PhaseOfMoment = "phase-of-moment" { phase: String } => "must be the phase of its moment, {phase}";
    NotWithStep = "not-with-step" => "cannot be asked for together with a step";
    ConsentOnly = "consent-only" => "may only be given with consent: true";
    NotImage = "not-image" => "is not a PNG, JPEG, GIF or WebP image that can be read";
    TooLargeImage = "too-large-image" { megabytes: usize } => "is larger than the limit of {megabytes} MB";
    ImageSize = "image-size" => "the image needs a width and a height";
    PublishableOnly = "publishable-only" => "only publishable keys are tied to origins";
    NoneSeen = "none-seen" => "none seen";

    // Research: groups, stories, the focus and its reasons, quotes, images.
    /// A value statement names a moment of its own story.
    NotInStory = "not-in-story" => "no moment with this id in the story";
    InGroup = "in-group" { group: String } => "already sits in group {group:?}";
    NoTemplate = "no-template" => "is required: the project has no template";
    FillOne = "fill-one" => "fill in at least one field";
    FocusFirst = "focus-first" => "choose a focus in step 4 before starting the next round";
    PlanAfterFocus = "plan-after-focus" => "choose a focus in step 4 first: the plan carries it out";
    /// The focus needs an action because the moment has no field in the matrix yet.
    UnclassifiedEmpty = "unclassified-empty" =>
        "is required: the moment is unclassified (no likes or dislikes yet)";
    /// `perspective` is customer or provider.
    UnclassifiedOneSided = "unclassified-one-sided" { perspective: String } =>
        "is required: the moment is unclassified (nothing from the {perspective} perspective yet)";
    /// `perspective` is customer or provider.
    UnclassifiedTie = "unclassified-tie" { perspective: String } =>
        "is required: the moment is unclassified (as many likes as dislikes from the {perspective} perspective)";
    /// `action` and `suggested` are actions of the four-field model: automate,
    /// simplify, autonomise, strengthen.
    SayWhy = "say-why" { action: String, suggested: String } =>
        "is required: say why {action} when the four-field model suggests {suggested}";
    SayWhyUnclassified = "say-why-unclassified" =>
        "is required: the moment is unclassified, so say why this action";
    AlreadyQuoted = "already-quoted" => "is already quoted in the project";
    /// `content_type` is the media type the file's first bytes name, such as image/png.
    UnreadableImage = "unreadable-image" { content_type: String } =>
        "looks like {content_type} but its header cannot be read: the file may be damaged or cut short";
    /// `other` is the field that may be given instead.
    RequiredOr = "required-or" { other: String } => "is required (or give {other})";
    /// `first` and `second` are fields of which one, not both, is given.
    NotBoth = "not-both" { first: String, second: String } => "give {first} or {second}, not both";
    TooFarAhead = "too-far-ahead" { hours: i64 } => "lies more than {hours} hours in the future";
    BeforeEpoch = "before-epoch" => "lies before 1970";
    NotCursor = "not-cursor" => "is not a cursor from a previous page";
    // Surveys and coding: answering, splits, codebook trees and REFI-QDA files.
    SurveyClosed = "survey-closed" => "is closed and takes no more responses";
    SurveyDraft = "survey-draft" => "is a draft and takes no responses until it is opened";
    /// `kind` is a question kind: scale, matrix, open_text, single_choice,
    /// multiple_choice, nps or csat.
    DoesNotApply = "does-not-apply" { kind: String } => "does not apply to {kind} questions";
    NameItemSuchAs = "name-item-such-as" { question: String, example: String } =>
        "{question} is a matrix: name one of its items, such as {example}";
    NotSplit = "not-split" { value: String, splits: List } =>
        "{value:?} is neither a question of this survey nor a built-in split ({splits})";
    SplitSeveral = "split-several" { key: String } =>
        "{key} is a multiple choice: a response may fall in several of its options, so it cannot split responses into groups";
    SplitOpenText = "split-open-text" { key: String } => "{key} is open text and has no categories";
    /// `chain` is the keys of the codes, joined by " → ".
    ParentCycle = "parent-cycle" { chain: String } => "makes a cycle: {chain}";
    KeyTooDeep = "key-too-deep" { max: usize } =>
        "nests too deep for a key of at most {max} characters";
    NotWellFormed = "not-well-formed" { byte: usize, detail: String } =>
        "is not well-formed XML near byte {byte}: {detail}";
    RootElement = "root-element" { name: String } =>
        "is not a REFI-QDA codebook: the root element must be {name}";
    SecondRoot = "second-root" => "has a second root element";
    RepeatsElement = "repeats-element" { name: String } => "repeats {name}; a codebook has one";
    BadAttribute = "bad-attribute" { detail: String } => "has a bad attribute: {detail}";
    UnknownEntity = "unknown-entity" { name: String } => "uses the unknown entity &{name};";
    ElementNotClosed = "element-not-closed" => "is not closed before the document ends";
    // Statistics (`StatsError::reason`); values that are fractions are written as text.
    TooFewObservations = "too-few-observations" { needed: usize, got: usize } =>
        "needs at least {needed} observations, got {got}";
    InvalidLevel = "invalid-level" { value: String } =>
        "the confidence level must lie strictly between 0 and 1, got {value}";
    NotFinite = "not-finite" { index: usize } => "observation {index} is not a finite number";
    OffScale = "off-scale" { index: usize, value: String, low: i64, high: i64 } =>
        "observation {index} ({value}) is not a point of the scale {low} to {high}";
    ScaleTooShort = "scale-too-short" { low: i64, high: i64, min: usize } =>
        "the scale {low} to {high} has too few points; this needs at least {min}";
    ScaleTooLong = "scale-too-long" { low: i64, high: i64, max: usize } =>
        "the scale {low} to {high} has too many points; at most {max} are allowed";
    /// `left` and `right` name the two inputs: rows and columns, coder a and coder b,
    /// scores and code flags.
    LengthMismatch = "length-mismatch" { left: String, right: String, left_len: usize, right_len: usize } =>
        "{left} and {right} must have the same length, got {left_len} and {right_len}";
    SuccessesExceedTotal = "successes-exceed-total" { successes: i64, n: i64 } =>
        "{successes} successes out of {n} answers is impossible";
    NoneAnswerBoth = "none-answer-both" => "no response answers both questions";
    ZeroVariance = "zero-variance" => "both groups have zero variance, so the t statistic is undefined";
    TableTooSmall = "table-too-small" { rows: usize, columns: usize } =>
        "the table needs at least two rows and two columns, got {rows}x{columns}";
    RaggedTable = "ragged-table" { row: usize, expected: usize, got: usize } =>
        "table row {row} has {got} cells, expected {expected}";
    /// `axis` is row or column.
    EmptyMargin = "empty-margin" { axis: String, index: usize } => "table {axis} {index} has no observations";
    UndefinedKappa = "undefined-kappa" =>
        "chance agreement is 1 (both coders used a single, shared label), so kappa is undefined";
    Overflow = "overflow" => "the values are too large to compute in double precision";
    /// `name` is the distribution's name, such as Student's t or chi-square.
    NoDistribution = "no-distribution" { name: String } => "could not build the {name} distribution";
    // The edges: request bodies, imported files, times, keys and changes in flight.
    NotKnownField = "not-known-field" => "is not a known field";
    /// serde's words for a value of the wrong type, such as `string "x", expected u32`.
    Mistyped = "mistyped" { detail: String } => "wrong type: {detail}";
    NotJson = "not-json" { detail: String } => "is not valid JSON: {detail}";
    NotJsonObject = "not-json-object" => "is not a JSON object";
    NotUtf8 = "not-utf8" => "must be UTF-8 text";
    CellNotUtf8 = "cell-not-utf8" { cell: usize } => "cell {cell} is not UTF-8 text; save the file as UTF-8";
    CellCount = "cell-count" { count: usize, expected: usize } =>
        "has {count} cells where the first row has {expected}";
    Uuid = "uuid" => "must be a UUID such as 0190c5d2-7b1e-7c3a-9f2e-5d4c3b2a1f00";
    Number = "number" => "must be a number";
    YesNo = "yes-no" => "must be a yes or no (true/false, ja/nej, 1/0)";
    TimeFormat = "time-format" { value: String, format: String, detail: String } =>
        "{value:?} does not match the format {format:?} ({detail})";
    NoHour = "no-hour" { day: String, zone: String } => "{day} has no hour in {zone}";
    ClocksForward = "clocks-forward" { time: String, zone: String } =>
        "{time} does not exist in {zone}: the clocks were put forward over it";
    /// `what` is survey (the sentence of providers is `no-provider`).
    NoSuch = "no-such" { what: String } => "no such {what}";
    /// `share` is a shared-data kind such as journey_figures.
    NotShared = "not-shared" { share: String } =>
        "the network has not agreed to share {share}";
    /// `what` is coding.
    NotInSurvey = "not-in-survey" { what: String } => "no {what} with this id in the survey";
    AnswerGone = "answer-gone" => "its answer text is no longer there";
    PartialSave = "partial-save" => "is a partial save that may still change; code it once it is completed";
    /// `other` is the name of another field, such as a.
    DifferFrom = "differ-from" { other: String } => "must differ from {other}";
    Level = "level" => "must be between 0 and 1, such as 0.95";
    NoGroup = "no-group" { value: String, by: String, seen: List } =>
        "no group {value:?} in {by}; the responses have {seen}";
    NoGroupNone = "no-group-none" { value: String, by: String } =>
        "no group {value:?} in {by}; the responses have none";
    /// `what` is project, survey or codebook.
    IfMatch = "if-match" { what: String } => "must be the {what}'s version as its ETag gave it, such as \"3\"";
    NoHost = "no-host" => "the request has no usable Host header";
    /// `sent` is empty when the request named no type.
    MediaType = "media-type" { sent: String, allowed: List } =>
        "must be one of {allowed} (sent: {sent:?})";
    Encoding = "encoding" { value: String } => "{value:?} is not supported; send gzip or no encoding";
    RetryKey = "retry-key" => "is required here, so that retries are not stored twice";
    TurnedOff = "turned-off" => "turns Mötesplats off for this message, so it is not stored";
    NotWithPublishable = "not-with-publishable" =>
        "may not be sent with a publishable key; send identifiers, and the event is placed on their profile";
    BadInvitation = "bad-invitation" => "is not a valid invitation to this survey, or it has expired";
    KeptChanging = "kept-changing" => "kept changing while the answer was checked; send it again";
    HasCodings = "has-codings" { key: String } =>
        "{key} has codings and cannot be removed; delete its codings first, or keep it";
    /// `what` is codebook.
    NotSaved = "not-saved" { what: String } => "the {what} could not be saved; try again";
    // Linkage
    ReviewAboveLink = "review-above-link" { link: String } =>
        "must not be above the link threshold ({link})";
    TooFewRecords = "too-few-records" { needed: usize, got: usize } =>
        "needs at least {needed} records with names or addresses to learn from, and there are {got}";
    AgreementAgainst = "agreement-against" =>
        "agreeing here counted against two records being one person in training: the records hold too few duplicates to learn from";

    // Provider staff: roles, invitations, passwords.
    RoleLacks = "role-lacks" { role: String, capability: String } =>
        "the role {role} does not give the capability {capability}";
    LastAdmin = "last-admin" => "is the provider's last admin; make another user admin first";
    PasswordShort = "password-short" { min: usize } => "must be at least {min} characters";
    LinkSpent = "link-spent" => "the link was used already or has expired; ask for a new one";
    WrongPassword = "wrong-password" => "is not your current password";
}

/// A reason as JSON: its code and parameters for programs and pages, its English
/// sentence for people reading the API.
#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = Reason)]
pub(crate) struct Wire {
    /// The stable code of the reason, such as `too-long`.
    #[serde(default)]
    pub code: Option<String>,
    /// The numbers and words of the reason, such as `{"max": 40}`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub params: Params,
    /// The reason in English.
    pub reason: String,
}

impl From<&Reason> for Wire {
    fn from(r: &Reason) -> Self {
        Wire {
            code: Some(r.code().to_string()),
            params: r.params(),
            reason: r.to_string(),
        }
    }
}

impl From<Wire> for Reason {
    /// A reason stored before reasons had codes is kept as it was written.
    fn from(w: Wire) -> Self {
        w.code
            .and_then(|code| Reason::from_parts(&code, &w.params))
            .unwrap_or(Reason::Recorded(w.reason))
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Wire::from(self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Reason {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Wire::deserialize(d).map(Reason::from)
    }
}

impl PartialSchema for Reason {
    fn schema() -> RefOr<Schema> {
        Wire::schema()
    }
}

impl ToSchema for Reason {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Reason")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Reason::CODES {
            assert!(seen.insert(code), "{code} twice");
            assert!(
                code.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            );
        }
    }

    #[test]
    fn a_reason_is_rebuilt_from_its_code_and_params() {
        let reasons = [
            Reason::Required,
            Reason::TooLong { max: 40 },
            Reason::OneOf {
                value: "x".into(),
                allowed: List::of(["sv", "en"]),
            },
            Reason::Changed {
                what: "project".into(),
                expected: 3,
                current: 4,
            },
        ];
        for r in reasons {
            assert_eq!(Reason::from_parts(r.code(), &r.params()), Some(r.clone()));
        }
        assert_eq!(
            Reason::TooLong { max: 40 }.to_string(),
            "must be at most 40 characters"
        );
        assert_eq!(
            Reason::OneOf {
                value: "x".into(),
                allowed: List::of(["sv", "en"])
            }
            .to_string(),
            "unknown value \"x\"; expected one of sv, en"
        );
    }
}
