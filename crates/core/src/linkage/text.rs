//! A normalised value with what cheap bounds need, counted once: most pairs of
//! random records are far apart, and a bound says so without running Jaro-Winkler or
//! Levenshtein (the u sample compares a million of them).

/// A value and its character counts.
#[derive(Debug, Clone)]
pub struct Text {
    text: String,
    chars: usize,
    /// ASCII bytes counted in 32 buckets (`b % 32`); `None` for other text or text
    /// over 255 bytes. Buckets shared by two characters only make the bounds looser,
    /// never wrong.
    counts: Option<[u8; 32]>,
}

impl Text {
    pub fn new(text: String) -> Self {
        let counts = (text.is_ascii() && text.len() <= usize::from(u8::MAX)).then(|| {
            let mut counts = [0u8; 32];
            for b in text.bytes() {
                counts[usize::from(b % 32)] += 1;
            }
            counts
        });
        Text {
            chars: text.chars().count(),
            text,
            counts,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// At most how many characters the two have in common (as multisets).
    fn common(&self, other: &Text) -> usize {
        match (&self.counts, &other.counts) {
            // u32 lanes, so the loop is a few vector instructions.
            (Some(a), Some(b)) => a
                .iter()
                .zip(b)
                .map(|(x, y)| u32::from(*x.min(y)))
                .sum::<u32>() as usize,
            _ => self.chars.min(other.chars),
        }
    }

    /// The Levenshtein distance, or `most + 1` when it is surely more than `most`:
    /// every edit leaves one character unmatched, so the longer length less the
    /// characters in common is a lower bound.
    pub fn edits(&self, other: &Text, most: usize) -> usize {
        if self.chars.max(other.chars) - self.common(other) > most {
            most + 1
        } else {
            strsim::levenshtein(&self.text, &other.text)
        }
    }

    /// The Jaro-Winkler similarity, or 0 when it is surely below `least`: Jaro is at
    /// most (c/|a| + c/|b| + 1)/3 with c the characters in common, and the prefix
    /// bonus only moves it towards 1.
    pub fn jaro_winkler(&self, other: &Text, least: f64) -> f64 {
        let c = self.common(other) as f64;
        if c == 0.0 {
            return 0.0;
        }
        let jaro = (c / self.chars as f64 + c / other.chars as f64 + 1.0) / 3.0;
        let prefix = self
            .text
            .bytes()
            .zip(other.text.bytes())
            .take(4)
            .take_while(|(x, y)| x == y)
            .count() as f64;
        // A hair of slack, so rounding in the bound never rejects a pair at the edge.
        if jaro + 0.1 * prefix * (1.0 - jaro) < least - 1e-9 {
            0.0
        } else {
            strsim::jaro_winkler(&self.text, &other.text)
        }
    }
}
