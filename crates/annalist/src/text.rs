//! Text utilities: byte ↔ code point offsets and sentence boundaries.

/// Converts byte offsets of one text to Unicode code point offsets.
///
/// Built once per document in O(n); each lookup is O(log n) over the non-ASCII
/// characters only, so ASCII text costs nothing.
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// (byte offset, extra bytes before it) at each multi-byte character end.
    marks: Vec<(usize, usize)>,
}

impl CharIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> CharIndex {
        let mut marks = Vec::new();
        if !text.is_ascii() {
            let mut extra = 0;
            for (i, c) in text.char_indices() {
                let l = c.len_utf8();
                if l > 1 {
                    extra += l - 1;
                    marks.push((i + l, extra));
                }
            }
        }
        CharIndex { marks }
    }

    /// The code point offset of byte offset `byte` (which must be a char boundary).
    pub fn char_offset(&self, byte: usize) -> usize {
        let n = self.marks.partition_point(|&(b, _)| b <= byte);
        if n == 0 { byte } else { byte - self.marks[n - 1].1 }
    }

    /// The byte offset of code point offset `ch`, if within `text`.
    pub fn byte_offset(&self, text: &str, ch: usize) -> Option<usize> {
        if self.marks.is_empty() {
            return (ch <= text.len()).then_some(ch);
        }
        if ch == 0 {
            return Some(0);
        }
        text.char_indices().nth(ch).map(|(b, _)| b).or_else(|| (text.chars().count() == ch).then_some(text.len()))
    }
}

/// Byte ranges of the sentences of `text`: split after `.`, `!`, `?` followed by
/// white space and an upper-case letter, digit or quote, and at blank lines.
/// Abbreviations such as "Sept." or "Mr." and initials do not end a sentence.
pub fn sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let end_here = if c == b'\n' && i + 1 < b.len() && b[i + 1] == b'\n' {
            Some(i)
        } else if matches!(c, b'.' | b'!' | b'?')
            && i + 2 < b.len()
            && (b[i + 1].is_ascii_whitespace() || is_closer(text, i + 1))
        {
            // Closing quotes and brackets stay with the sentence they close.
            let mut k = i + 1;
            while k < b.len() && is_closer(text, k) {
                k += text[k..].chars().next().map_or(1, char::len_utf8);
            }
            if k >= b.len() || !b[k].is_ascii_whitespace() {
                i += 1;
                continue;
            }
            let mut j = k;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let next_ok = j < b.len()
                && (b[j].is_ascii_uppercase()
                    || b[j].is_ascii_digit()
                    || matches!(b[j], b'"' | b'(' | b'[')
                    || b[j] >= 0x80);
            if next_ok && c == b'.' && is_abbreviation(&text[start..i]) {
                None
            } else if next_ok {
                Some(k)
            } else {
                None
            }
        } else {
            None
        };
        if let Some(e) = end_here {
            if !text[start..e].trim().is_empty() {
                out.push(trim_range(text, start, e));
            }
            start = e;
        }
        i += 1;
    }
    if !text[start..].trim().is_empty() {
        out.push(trim_range(text, start, text.len()));
    }
    out
}

fn is_closer(text: &str, i: usize) -> bool {
    matches!(text[i..].chars().next(), Some('"' | '\'' | ')' | ']' | '”' | '’' | '»'))
}

fn trim_range(text: &str, s: usize, e: usize) -> std::ops::Range<usize> {
    let seg = &text[s..e];
    let lead = seg.len() - seg.trim_start().len();
    let trail = seg.len() - seg.trim_end().len();
    s + lead..e - trail
}

fn is_abbreviation(before: &str) -> bool {
    let word = before.rsplit(|c: char| !c.is_alphanumeric() && c != '.').next().unwrap_or("");
    if word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase()) {
        return true; // an initial: "J. Smith"
    }
    const ABBR: &[&str] = &[
        "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Col", "Lt", "Sgt", "Capt", "Adm", "Gov", "Sen", "Rep", "St", "Jan",
        "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "No", "vs", "Jr", "Sr", "Co",
        "Corp", "Inc", "Ltd", "U.S", "U.N", "U.K", "a.m", "p.m", "Mt", "Ft", "e.g", "i.e", "cf", "approx", "ca",
    ];
    ABBR.iter().any(|a| word.eq_ignore_ascii_case(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_non_ascii() {
        let t = "Zürich — 1939 年";
        let ix = CharIndex::new(t);
        let b = t.find("1939").unwrap();
        assert_eq!(ix.char_offset(b), t[..b].chars().count());
        assert_eq!(ix.byte_offset(t, ix.char_offset(b)), Some(b));
        assert_eq!(ix.char_offset(t.len()), t.chars().count());
        let a = CharIndex::new("abc");
        assert_eq!(a.char_offset(2), 2);
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        let t = "He said, \"We will fight.\" Then he left. (It rained.) Later";
        let s: Vec<&str> = sentences(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(s, vec!["He said, \"We will fight.\"", "Then he left.", "(It rained.)", "Later"]);
    }

    #[test]
    fn splits_sentences() {
        let t = "On Sept. 1 Germany attacked. Mr. Smith left. Then the war began!\n\nNew paragraph";
        let s: Vec<&str> = sentences(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(s, vec!["On Sept. 1 Germany attacked.", "Mr. Smith left.", "Then the war began!", "New paragraph"]);
    }
}
