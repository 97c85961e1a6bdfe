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
        let b = text.as_bytes();
        let (mut i, mut extra) = (0, 0);
        while i < b.len() {
            // Runs of ASCII are skipped a block at a time.
            if b.len() - i >= 32 && b[i..i + 32].is_ascii() {
                i += 32;
                continue;
            }
            // `text` is valid UTF-8: a lead byte gives the length of its character.
            let l = match b[i] {
                0..0x80 => 1,
                0xF0.. => 4,
                0xE0.. => 3,
                _ => 2,
            };
            if l > 1 {
                extra += l - 1;
                marks.push((i + l, extra));
            }
            i += l;
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
    // Only `\n`, `.`, `!` and `?` can end a sentence: jump from one to the next.
    let mut newlines = memchr::memchr_iter(b'\n', b).peekable();
    let mut stops = memchr::memchr3_iter(b'.', b'!', b'?', b).peekable();
    loop {
        let i = match (newlines.peek(), stops.peek()) {
            (Some(&n), Some(&s)) if n < s => newlines.next(),
            (Some(_), None) => newlines.next(),
            (_, Some(_)) => stops.next(),
            (None, None) => None,
        };
        let Some(i) = i else { break };
        if let Some(e) = sentence_end(text, start, i) {
            if !text[start..e].trim().is_empty() {
                out.push(trim_range(text, start, e));
            }
            start = e;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(trim_range(text, start, text.len()));
    }
    out
}

/// Whether the sentence that began at `start` ends at byte `i` (a `\n`, `.`, `!` or `?`),
/// and where: at a blank line, or after the punctuation and any closing quotes.
fn sentence_end(text: &str, start: usize, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let c = b[i];
    if c == b'\n' {
        return (i + 1 < b.len() && b[i + 1] == b'\n').then_some(i);
    }
    if i + 2 >= b.len() || !(b[i + 1].is_ascii_whitespace() || is_closer(text, i + 1)) {
        return None;
    }
    // Closing quotes and brackets stay with the sentence they close.
    let mut k = i + 1;
    while k < b.len() && is_closer(text, k) {
        k += text[k..].chars().next().map_or(1, char::len_utf8);
    }
    if k >= b.len() || !b[k].is_ascii_whitespace() {
        return None;
    }
    let mut j = k;
    while j < b.len() && b[j].is_ascii_whitespace() {
        j += 1;
    }
    let next_ok = j < b.len()
        && (b[j].is_ascii_uppercase() || b[j].is_ascii_digit() || matches!(b[j], b'"' | b'(' | b'[') || b[j] >= 0x80);
    if !next_ok || (c == b'.' && is_abbreviation(&text[start..i])) { None } else { Some(k) }
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
    // Most words are longer than every abbreviation below (two to six bytes).
    if !(2..=6).contains(&word.len()) {
        return false;
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
