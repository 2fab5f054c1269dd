//! Positions in a TOML text: byte spans to line and column, and finding the span of a value
//! by its path (`section[2].question[0].id`) so semantic problems can point into the file.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One step of a path into the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    // Step back to a char boundary so slicing cannot panic on a span inside a character.
    let mut end = offset;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Where a path points: the value's span, or the deepest part of the path that exists.
pub fn locate(root: &Spanned<DeTable<'_>>, path: &[Seg<'_>]) -> Range<usize> {
    let mut span = root.span();
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    let mut value: Option<&Spanned<DeValue<'_>>> = None;
    for seg in path {
        let next = match (seg, table, value) {
            (Seg::Key(k), Some(t), _) => entry(t, k).map(|(_, v)| v),
            (Seg::Index(i), _, Some(v)) => match v.get_ref() {
                DeValue::Array(a) => a.get(*i),
                _ => None,
            },
            _ => None,
        };
        let Some(next) = next else { break };
        span = next.span();
        value = Some(next);
        table = match next.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    span
}

/// The span of a key (rather than its value) at `path`, for "unknown key" messages.
pub fn locate_key(root: &Spanned<DeTable<'_>>, table_path: &[Seg<'_>], key: &str) -> Range<usize> {
    let mut table: &DeTable<'_> = root.get_ref();
    let mut value: Option<&Spanned<DeValue<'_>>> = None;
    for seg in table_path {
        let next = match (seg, value) {
            (Seg::Key(k), _) => entry(table, k).map(|(_, v)| v),
            (Seg::Index(i), Some(v)) => match v.get_ref() {
                DeValue::Array(a) => a.get(*i),
                _ => None,
            },
            _ => None,
        };
        let Some(next) = next else {
            return root.span();
        };
        value = Some(next);
        if let DeValue::Table(t) = next.get_ref() {
            table = t;
        }
    }
    entry(table, key).map_or_else(|| root.span(), |(k, _)| k.span())
}

/// A key and its value in a table.
pub fn entry<'t, 'i>(
    table: &'t DeTable<'i>,
    key: &str,
) -> Option<(
    &'t Spanned<std::borrow::Cow<'i, str>>,
    &'t Spanned<DeValue<'i>>,
)> {
    table.iter().find(|(k, _)| k.get_ref().as_ref() == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_characters() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(line_col(text, 9), (2, 3));
        assert_eq!(line_col(text, 1000), (3, 1));
    }

    #[test]
    fn locate_finds_nested_values() -> Result<(), toml::de::Error> {
        let text = "[[section]]\nid = \"a\"\n[[section.question]]\nid = \"q1\"\n";
        let doc = DeTable::parse(text)?;
        let span = locate(
            &doc,
            &[
                Seg::Key("section"),
                Seg::Index(0),
                Seg::Key("question"),
                Seg::Index(0),
                Seg::Key("id"),
            ],
        );
        assert_eq!(&text[span], "\"q1\"");
        Ok(())
    }
}
