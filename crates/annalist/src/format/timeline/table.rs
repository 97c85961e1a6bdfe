//! CSV and Markdown: one row per timeline entry (when, what, who, evidence).

use std::io::{self, Write};

use super::{Doc, rows, when_label};

/// RFC 4180 quoting: fields with a comma, quote or line break are quoted.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes the timelines as CSV with a header row: `document, position, when, value,
/// until, relation, what, class, who, anchored, evidence`. `who` joins participants
/// with `; `; `anchored` is `true`/`false`; evidence is the sentence on one line.
pub fn write_csv(out: &mut impl Write, docs: &[Doc]) -> io::Result<()> {
    writeln!(out, "document,position,when,value,until,relation,what,class,who,anchored,evidence")?;
    for d in docs {
        for (k, (entry, te)) in rows(d.timeline).enumerate() {
            let a = te.anchor.as_ref().filter(|_| entry.anchored);
            let fields = [
                d.id.to_string(),
                (k + 1).to_string(),
                when_label(te),
                a.map(|a| a.value.clone()).unwrap_or_default(),
                a.and_then(|a| a.until.clone()).unwrap_or_default(),
                a.map(|a| a.relation.as_str().to_string()).unwrap_or_default(),
                te.event.trigger.clone(),
                te.event.class.as_str().to_string(),
                te.participants().join("; "),
                entry.anchored.to_string(),
                one_line(d.timeline.evidence(d.text, entry)),
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            writeln!(out, "{}", line.join(","))?;
        }
    }
    Ok(())
}

fn md_cell(s: &str) -> String {
    one_line(s).replace('\\', "\\\\").replace('|', "\\|")
}

/// Writes the timelines as Markdown tables (`| # | when | what | who | evidence |`),
/// one section per document. Unanchored entries show *undated* in italics.
pub fn write_markdown(out: &mut impl Write, docs: &[Doc]) -> io::Result<()> {
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "## {}\n", md_cell(d.id))?;
        writeln!(out, "| # | when | what | who | evidence |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for (k, (entry, te)) in rows(d.timeline).enumerate() {
            let when = if entry.anchored { md_cell(&when_label(te)) } else { "*undated*".to_string() };
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                k + 1,
                when,
                md_cell(&te.event.trigger),
                md_cell(&te.participants().join(", ")),
                md_cell(d.timeline.evidence(d.text, entry))
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(md_cell("a | b\nc"), "a \\| b c");
    }
}
