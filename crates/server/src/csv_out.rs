//! The one CSV writer every export uses (survey responses, results and codes, the
//! evidence table, the CLI's import error file), so no export can forget the guard
//! against formula injection.
//!
//! The rule (OWASP, "CSV Injection"): a spreadsheet runs a cell that begins with `=`,
//! `+`, `-`, `@`, a tab or a carriage return as a formula. Such a cell gets a `'` in
//! front, which spreadsheets show as text and do not run — unless the whole cell is a
//! finite number (`-3`, `+4.5`, `-1e3`): a number is data in any column, so numbers
//! stay numbers. Only text that could be a formula changes.

use std::borrow::Cow;
use std::io::Write;

/// A cell as it may go into a CSV file: a `'` before text a spreadsheet would run.
pub fn guard(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !cell.parse::<f64>().is_ok_and(f64::is_finite) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A `csv::Writer` whose every cell passes through [`guard`].
pub struct Writer<W: Write>(csv::Writer<W>);

impl Writer<Vec<u8>> {
    /// A writer into memory.
    pub fn in_memory() -> Self {
        Writer(csv::Writer::from_writer(Vec::new()))
    }
}

impl<W: Write> Writer<W> {
    pub fn new(out: W) -> Self {
        Writer(csv::Writer::from_writer(out))
    }

    pub fn row<I, S>(&mut self, cells: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.0
            .write_record(cells.into_iter().map(|c| guard(c.as_ref()).into_owned()))
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }

    /// The underlying output, flushed.
    pub fn into_inner(self) -> csv::Result<W> {
        self.0.into_inner().map_err(|e| e.into_error().into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_a_spreadsheet_would_run_is_quoted_and_numbers_stay() {
        for risky in [
            "=1+2",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "-",
            "+",
            "-inf",
            "-NaN",
        ] {
            assert_eq!(guard(risky), format!("'{risky}"), "{risky:?}");
        }
        for kept in ["-3", "+4.5", "-1e3", "0", "hej = då", "", "kaffe"] {
            assert_eq!(guard(kept), kept, "{kept:?}");
        }
    }

    #[test]
    fn every_cell_of_every_row_is_guarded() {
        let mut w = Writer::in_memory();
        w.row(["a", "=b"]).unwrap();
        w.row(["-3", "@c"]).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(text, "a,'=b\n-3,'@c\n");
    }
}
