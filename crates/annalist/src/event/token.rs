//! Word tokenization with byte offsets, close to the TimeML corpora's tokens:
//! words keep inner hyphens ("cease-fire") and inner periods of abbreviations
//! ("U.S."), clitics are split off ("did" + "n't", "it" + "'s"), and every other
//! punctuation character is a token of its own.

/// One token: a byte range of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Appends the tokens of `text[from..to]` to `out`, offsets relative to `text`.
pub fn tokenize_into(text: &str, from: usize, to: usize, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < to {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let c = if b < 0x80 { b as char } else { text[i..].chars().next().unwrap_or(' ') };
        let clen = c.len_utf8();
        if c.is_whitespace() {
            i += clen;
            continue;
        }
        if is_word_char(c) {
            let start = i;
            let mut j = i + clen;
            loop {
                if j >= to {
                    break;
                }
                let b = bytes[j];
                if b < 0x80 {
                    let c = b as char;
                    if c.is_ascii_alphanumeric() {
                        j += 1;
                        continue;
                    }
                    // Inner hyphen, period (abbreviations, decimals), comma in numbers,
                    // slash in dates: keep when a word character follows.
                    if matches!(c, '-' | '.' | '/' | ',' | '&') && j + 1 < to {
                        let next = bytes[j + 1];
                        let prev = bytes[j - 1];
                        let ok = match c {
                            '-' | '&' => next.is_ascii_alphanumeric(),
                            '.' => {
                                (next.is_ascii_alphabetic() && j - start <= 3)
                                    || (next.is_ascii_digit() && prev.is_ascii_digit())
                            }
                            _ => next.is_ascii_digit() && prev.is_ascii_digit(),
                        };
                        if ok {
                            j += 2;
                            continue;
                        }
                    }
                    // Abbreviation with a final period: "U.S." (inner period seen).
                    if c == '.' && text[start..j].contains('.') {
                        j += 1;
                    }
                    break;
                }
                let c = text[j..].chars().next().unwrap_or(' ');
                if is_word_char(c) {
                    j += c.len_utf8();
                } else {
                    break;
                }
            }
            // Split clitics: "don't" → "do" "n't"; "it's" → "it" "'s".
            let w = &text[start..j];
            if j < to {
                let rest = &text[j..to];
                let mut rc = rest.chars();
                if let Some(a) = rc.next()
                    && is_apostrophe(a)
                {
                    let after = &rest[a.len_utf8()..];
                    let cl = clitic_len(after);
                    if cl > 0 {
                        if w.len() > 1
                            && (w.ends_with('n') || w.ends_with('N'))
                            && {
                                let t = after.as_bytes();
                                t[0] == b't' || t[0] == b'T'
                            }
                            && cl == 1
                        {
                            // "n't": the n belongs to the clitic.
                            out.push(Token { start, end: j - 1 });
                            out.push(Token { start: j - 1, end: j + a.len_utf8() + 1 });
                            i = j + a.len_utf8() + 1;
                            continue;
                        }
                        out.push(Token { start, end: j });
                        out.push(Token { start: j, end: j + a.len_utf8() + cl });
                        i = j + a.len_utf8() + cl;
                        continue;
                    }
                }
            }
            out.push(Token { start, end: j });
            i = j;
            continue;
        }
        // A single punctuation/symbol character; "--" and "..." stay together.
        let mut j = i + clen;
        if c == '-' || c == '.' || c == '`' || c == '\'' {
            while j < to && bytes[j] == b {
                j += 1;
            }
        }
        out.push(Token { start: i, end: j });
        i = j;
    }
}

/// The length of a clitic ("s", "re", "ll", "d", "ve", "m", "t" of "n't") at the
/// start of `after` when it ends there (no word character follows), else 0.
fn clitic_len(after: &str) -> usize {
    let b = after.as_bytes();
    let l = match b {
        [a, c, ..]
            if matches!(
                (a.to_ascii_lowercase(), c.to_ascii_lowercase()),
                (b'r', b'e') | (b'l', b'l') | (b'v', b'e')
            ) =>
        {
            2
        }
        [a, ..] if matches!(a.to_ascii_lowercase(), b's' | b'd' | b'm' | b't') => 1,
        _ => 0,
    };
    if l == 0 {
        return 0;
    }
    match b.get(l) {
        Some(n) if n.is_ascii_alphanumeric() => 0,
        _ => l,
    }
}

/// Tokenizes all of `text`.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut v = Vec::with_capacity(text.len() / 5);
    tokenize_into(text, 0, text.len(), &mut v);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(t: &str) -> Vec<&str> {
        tokenize(t).iter().map(|k| &t[k.start..k.end]).collect()
    }

    #[test]
    fn splits_words_and_punctuation() {
        assert_eq!(
            words("The envoys didn't sign; it's the U.S. cease-fire, 1,200.5 ships."),
            vec![
                "The",
                "envoys",
                "did",
                "n't",
                "sign",
                ";",
                "it",
                "'s",
                "the",
                "U.S.",
                "cease-fire",
                ",",
                "1,200.5",
                "ships",
                "."
            ]
        );
    }

    #[test]
    fn non_ascii_and_edges() {
        assert_eq!(words("Zürich—talks…"), vec!["Zürich", "—", "talks", "…"]);
        assert_eq!(words(""), Vec::<&str>::new());
        assert_eq!(words("rock 'n' roll"), vec!["rock", "'", "n", "'", "roll"]);
        assert_eq!(words("Smith's"), vec!["Smith", "'s"]);
        assert_eq!(words("end."), vec!["end", "."]);
    }
}
