# Why a field was refused, by reason code (crates/core/src/reason.rs). Numbers arrive
# already written the page's way; words in { $what } and the like are keys to choose by.

reason-required = is required
reason-empty = must not be empty
reason-too-long = must be at most { $max } characters
reason-control-characters = must not contain control characters
reason-control-characters-in-text = must not contain control characters other than line breaks and tabs
reason-nul-character = must not contain the NUL character
reason-edge-white-space = must not start or end with a space
reason-one-of = “{ $value }” is not one of the choices: { $allowed }
reason-repeats = “{ $value }” is given twice
reason-repeats-of = is already the key of another question, row or code
reason-wrong-type = { $expected ->
    [object] must be an object of names and values
    [array] must be a list
    [string] must be a text
    [number] must be a number
    [integer] must be a whole number
    [boolean] must be true or false
   *[other] must be a JSON { $expected }
}
reason-unreadable = could not be read: { $detail }
reason-too-large-json = must be at most { $max } bytes as JSON
reason-too-large = must be at most { $max } bytes
reason-whole-number = must be a whole number
reason-negative = must not be negative
reason-at-least = must be at least { $min }
reason-range = must be from { $low } to { $high }
reason-entries = must have from { $low } to { $high } entries
reason-too-many-entries = has { $count } entries; at most { $max } are allowed
reason-date = “{ $value }” is not a date such as 2026-11-23
reason-timestamp = “{ $value }” is not a time with its offset, such as 2026-11-23T14:05:00+01:00
reason-time-zone = “{ $value }” is not a time zone such as Europe/Stockholm
reason-country = “{ $value }” is not a country code such as SE
reason-not-before = must not be before { $other }
reason-date-of-time = { $date } is not the date of the time it happened ({ $time })
reason-origin = must be an origin such as https://shop.example
reason-guid = must be a GUID such as 1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294
reason-key = must be { $low } to { $high } characters: a lower-case letter a–z, then letters a–z, digits or { $marks } (no å, ä, ö or spaces)
reason-email = must be an e-mail address such as anna@example.se
reason-phone = must be a phone number of 7 to 15 digits, such as +46 70 123 45 67
reason-version = version { $value } cannot be read; this reads version { $supported }
reason-not-in-project = { $what ->
    [member] names no member
    [moment] names no moment
    [function] names no digital function
    [template] names no protocol
    [round] names no observation round
    [evidence] names no evidence
    [image] names no uploaded image
    [story] names no story
    [stance] names no stance
    [observation] names no observation
    [group] names no group
   *[other] names nothing
} of this project
reason-names-nothing = names nothing in this project
reason-no-provider = names no provider
reason-no-profile = names no customer of yours ({ $id })
reason-no-response = names no response to this survey
reason-no-survey = names no survey of this provider
reason-no-person = names no person of yours ({ $id })
reason-no-segment = names no segment of this provider
reason-no-code = “{ $key }” is not a code of the codebook
reason-no-question = “{ $key }” is not a question of this survey
reason-no-item = “{ $item }” is not a row of { $question }
reason-unknown-channel = “{ $value }” is not one of your channels
reason-changed = { $what ->
    [survey] the survey
    [codebook] the codebook
   *[other] the project
} changed after you opened it (version { $expected }, now { $current }); load it again and make your change again
reason-changing-too-fast = the project is changing too fast to save this; send the form again
reason-exists = { $what ->
    [survey] a survey
    [attachment] an attachment
    [channel] a channel
   *[other] a project
} with this id or key already exists
reason-already = { $what ->
    [user] is already a user
    [member] is already a member
    [observer] is already an observer
   *[other] is already there
}
reason-responses-meanwhile = the survey got responses meanwhile; load it again
reason-schema-object = must be a JSON Schema object, such as {"{"}"type": "object"{"}"}
reason-bad-schema = is not a valid JSON Schema: { $detail }
reason-not-in-plan = “{ $kind }” is not in the tracking plan
reason-breaks-plan = breaks the tracking plan: { $detail }
reason-needs-text = { $language ->
    [sv] needs a text in Swedish
    [en] needs a text in English
   *[other] needs a text in { $language }
}
reason-text-per-language = give one text per language
reason-not-survey-language = is not one of the survey's languages
reason-no-questions = the survey needs at least one question
reason-too-many-questions = may hold at most { $max } questions in all
reason-kind-kept = cannot change its kind once the survey has responses; add a question with a new key instead
reason-scale-kept = cannot change its scale once the survey has responses; add a question with a new key instead
reason-no-draft = cannot become a draft again once opened
reason-open-first = a draft is opened before it is closed
reason-completed = was completed and cannot change
reason-no-scale = { $kind } questions have no scale
reason-name-item = name a row of the matrix
reason-only-matrix-items = only matrix questions have rows
reason-anchor-ends = must label at least both ends, { $low } and { $high }
reason-max-selections = must be from 1 to the number of options, { $max }
reason-min-over-max = must not be more than the most choices ({ $max })
reason-too-many-choices = { $count } chosen; at most { $max } may be chosen
reason-too-few-choices = { $count } chosen; at least { $min } must be chosen
reason-not-answered = the response did not answer this question
reason-no-section = is not one of the sections
reason-item-points = must give points per row
reason-option-keys = must be a list of options
reason-option-key = must be one of the options
reason-differ-from-rows = must differ from the rows
reason-past-end = is past the end of the answer, which has { $length } characters
reason-span-empty = a marked passage holds at least one character
reason-span-white-space = the marked passage holds only spaces
reason-words-not-in-text = “{ $words }” is not in the answer
reason-not-open-text = “{ $key }” is not an open question; only open answers are coded
reason-coded-before = { $coder } already gave this passage the code { $code }
reason-too-many-codes = has { $count } codes; at most { $max } are allowed
reason-nests-too-deep = codes nest at most { $max } levels deep
reason-names-itself = names the code itself
reason-needs-code = needs at least one code
reason-sits-twice = sits in two groups
reason-bad-xml = is not a codebook that can be read: { $detail }
reason-needs-phase = needs at least one phase
reason-needs-lead = needs at least one lead who runs the workshop
reason-needs-observer = needs at least one observer
reason-not-observer = is not an observer of this round
reason-is-observer = is an observer
reason-not-protocol-field = is not a field of the round's protocol
reason-within-round = must be within the round, { $start } to { $end }
reason-round-before = must be the round before this one
reason-phase-of-moment = must be the phase of its moment, { $phase }
reason-consent-only = may only be given with consent
reason-not-image = is not an image that can be read: choose a PNG, JPEG, GIF or WebP file
reason-too-large-image = is larger than the limit of { $megabytes } MB
reason-image-size = the image needs a width and a height
reason-publishable-only = only publishable keys are tied to origins
reason-none-seen = none seen
reason-not-with-step = cannot be asked for together with a step
reason-not-in-story = names no moment of this story
reason-in-group = already sits in the group “{ $group }”
reason-no-template = is required: the project has no protocol yet
reason-fill-one = fill in at least one field
reason-focus-first = choose a focus in step 4 before starting the next round
reason-plan-after-focus = choose a focus in step 4 first: the plan carries it out
reason-unclassified-empty = is required: the moment has no likes or dislikes yet
reason-unclassified-one-sided = { $perspective ->
    [provider] is required: nothing from the service provider's side yet
   *[customer] is required: nothing from the customer's side yet
}
reason-unclassified-tie = { $perspective ->
    [provider] is required: as many likes as dislikes from the service provider's side
   *[customer] is required: as many likes as dislikes from the customer's side
}
reason-say-why = is required: say why { $action ->
    [automate] automate
    [simplify] simplify
    [autonomise] autonomise
   *[strengthen] strengthen
} when the four-field model suggests { $suggested ->
    [automate] automate
    [simplify] simplify
    [autonomise] autonomise
   *[strengthen] strengthen
}
reason-say-why-unclassified = is required: the moment is not yet in a field, so say why this action
reason-already-quoted = is already quoted in the project
reason-unreadable-image = looks like { $content_type } but cannot be read: the file may be damaged or cut short
reason-required-or = is required (or fill in { $other })
reason-not-both = fill in { $first } or { $second }, not both
reason-too-far-ahead = lies more than { $hours } hours in the future
reason-before-epoch = lies before 1970
reason-not-cursor = is not a position from an earlier page
reason-survey-closed = is closed and takes no more responses
reason-survey-draft = is a draft and takes no responses until it is opened
reason-does-not-apply = does not apply to questions of the kind { $kind }
reason-name-item-such-as = { $question } is a matrix: name one of its rows, such as { $example }
reason-not-split = “{ $value }” is neither a question of this survey nor a built-in split ({ $splits })
reason-split-several = { $key } is a multiple choice: one response may fall in several of its options, so it cannot split responses into groups
reason-split-open-text = { $key } is an open question and has no groups to split by
reason-parent-cycle = makes a circle: { $chain }
reason-key-too-deep = nests too deep for a key of at most { $max } characters
reason-not-well-formed = is not well-formed XML near byte { $byte }: { $detail }
reason-root-element = is not a REFI-QDA codebook: the outermost element must be { $name }
reason-second-root = has a second outermost element
reason-repeats-element = repeats { $name }; a codebook has one
reason-bad-attribute = has an attribute that cannot be read: { $detail }
reason-unknown-entity = uses the unknown entity &{ $name };
reason-element-not-closed = is not closed before the document ends
reason-too-few-observations = needs at least { $needed } answers, and there are { $got }
reason-invalid-level = the confidence level must lie between 0 and 1, not { $value }
reason-not-finite = answer { $index } is not a number
reason-off-scale = answer { $index } ({ $value }) is not a point of the scale { $low } to { $high }
reason-scale-too-short = the scale { $low } to { $high } has too few points; this needs at least { $min }
reason-scale-too-long = the scale { $low } to { $high } has too many points; at most { $max } are allowed
reason-length-mismatch = { $left } and { $right } must be equally long, not { $left_len } and { $right_len }
reason-successes-exceed-total = { $successes } out of { $n } answers cannot be
reason-zero-variance = both groups answered all alike, so no t-test can be made
reason-table-too-small = the table needs at least two rows and two columns, not { $rows } by { $columns }
reason-ragged-table = row { $row } of the table has { $got } cells, not { $expected }
reason-empty-margin = { $axis ->
    [row] row
   *[column] column
} { $index } of the table has no answers
reason-undefined-kappa = both coders used one and the same code throughout, so their agreement cannot be measured
reason-overflow = the numbers are too large to compute
reason-no-distribution = the { $name } distribution could not be built
reason-not-known-field = is not a known field
reason-mistyped = wrong type: { $detail }
reason-not-json = is not valid JSON: { $detail }
reason-not-json-object = is not a JSON object
reason-not-utf8 = must be UTF-8 text
reason-cell-not-utf8 = cell { $cell } is not UTF-8 text; save the file as UTF-8
reason-cell-count = has { $count } cells where the first row has { $expected }
reason-uuid = must be a UUID such as 0190c5d2-7b1e-7c3a-9f2e-5d4c3b2a1f00
reason-number = must be a number
reason-yes-no = must be a yes or no (true/false, ja/nej, 1/0)
reason-time-format = “{ $value }” does not match the format “{ $format }” ({ $detail })
reason-no-hour = { $day } has no hour in { $zone }
reason-clocks-forward = { $time } does not exist in { $zone }: the clocks were put forward over it
reason-no-such = no such { $what }
reason-not-shared = the network has not agreed to share { $share }
reason-not-in-survey = no { $what } with this id in the survey
reason-answer-gone = its answer text is no longer there
reason-partial-save = is a partial save that may still change; code it once it is completed
reason-differ-from = must differ from { $other }
reason-level = must be between 0 and 1, such as 0.95
reason-no-group = no group “{ $value }” in { $by }; the responses have { $seen }
reason-no-group-none = no group “{ $value }” in { $by }; the responses have none
reason-if-match = must be the { $what }'s version as its ETag gave it, such as "3"
reason-no-host = the request has no usable Host header
reason-media-type = must be one of { $allowed } (sent: “{ $sent }”)
reason-encoding = “{ $value }” is not supported; send gzip or no encoding
reason-retry-key = is required here, so that retries are not stored twice
reason-turned-off = turns Mötesplats off for this message, so it is not stored
reason-not-with-publishable = may not be sent with a publishable key; send identifiers, and the event is placed on their profile
reason-bad-invitation = is not a valid invitation to this survey, or it has expired
reason-kept-changing = kept changing while the answer was checked; send it again
reason-has-codings = { $key } has codings and cannot be removed; delete its codings first, or keep it
reason-not-saved = the { $what } could not be saved; try again
reason-none-answer-both = no response answers both questions
reason-review-above-link = must not be above the link threshold ({ $link })
reason-too-few-records = needs at least { $needed } records with names or addresses to learn from, and there are { $got }
reason-agreement-against = agreeing here counted against two records being one person in training: the records hold too few duplicates to learn from

# Contact decisions. Times are RFC 3339 in UTC.
reason-clock-time = “{ $value }” is not a time of day such as 21:30
reason-urgent-service = only service messages, which the person asked for, may be urgent
reason-contact-service = a service message the person asked for needs no consent and takes nothing of their budget
reason-contact-consented = the person consented to { $purpose } ({ $source ->
    [person] their own choice
   *[import] collected by the provider
  }, { $at })
reason-contact-no-consent = the person has not consented to { $purpose } by this provider
reason-contact-withdrawn = the person said no to { $purpose } ({ $at })
reason-contact-channel = the person does not accept contact by { $channel }; they accept: { $allowed }
reason-contact-none = the person accepts no contacts for marketing or research
reason-contact-moment = the person is in a moment of { $motivation ->
    [relationships] relationships
   *[experiences] experiences
  } and does not welcome contact then
reason-contact-quiet = the person's quiet hours ({ $from }–{ $to }) last until { $until }
reason-contact-budget = the person has had { $used } contacts in seven days and allows { $budget }; the next fits at { $until }
reason-contact-within-budget = { $used } of the person's { $budget } contacts in seven days are taken; this one is held for you until you confirm the send
reason-contact-lapsed = the allowed contact was not confirmed within { $minutes } minutes and has lapsed; ask again
reason-erased = belongs to a person whose data was erased at their request, so it is not stored again
reason-reader-is-holder = must be another provider than the one whose records are read
reason-day-within = must be a day from { $first } to { $last }
reason-grant-no-consent = the person's consent to { $purpose } by this provider does not hold, so the grant reads nothing

## Provider staff: roles, invitations, passwords.
reason-role-lacks = the role { $role ->
    [admin] administrator
    [analyst] analyst
    [support] customer support
   *[staff] staff
  } does not give access to { $capability ->
    [figures] the figures
    [persons] personal data
    [research] research
    [surveys] surveys
    [settings] the settings
    [account] their own account
   *[staff] the staff
  }
reason-last-admin = is the provider's last administrator; make another user administrator first
reason-password-short = must be at least { $min } characters
reason-link-spent = the link was used already or has expired; ask for a new one
reason-wrong-password = is not your current password
