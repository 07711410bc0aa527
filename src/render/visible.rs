//! Terminal safety: text from a runbook or status file never reaches a terminal as
//! control characters (issue 12, item 8).
//!
//! A task name holding `ESC ] 0 ; pwned BEL` would retitle the terminal, `ESC [ 2 J`
//! would clear it, and others move the cursor, rewrite earlier lines or (OSC 52) set the
//! clipboard. [`visible`] shows every such character as a visible picture instead:
//! a C0 control (U+0000 to U+001F, except newline and tab) as its Unicode control
//! picture (ESC is `␛`, BEL is `␇`, carriage return is `␍`), DEL as `␡`, and a C1
//! control (U+0080 to U+009F, which some terminals obey like ESC sequences) as
//! `[U+009B]`. The rule is written for users in `docs/runbook-format.md`.
//!
//! It is applied in two places:
//! - [`guard`], on the whole output of every format a person reads in a terminal
//!   (table, human, Markdown, GitHub annotations, HTML, Graphviz, Mermaid), in
//!   [`super::Render::to_bytes`]: no renderer can forget it. With colour on it keeps our
//!   own colour codes (`ESC [` digits `m`, SGR) and shows every other control.
//! - [`visible`], on the text of table cells, wrapped lines and diagnostics before colour is added, so
//!   that with colour on a colour code written in a runbook is shown too, not obeyed.
//!
//! JSON, CSV, YAML and the XML formats are data for programs: their encoders' rules
//! apply (JSON writes `\u001b`), and their bytes are not changed.

use std::borrow::Cow;

/// Whether `c` is shown as a picture rather than written: a C0 control other than
/// newline and tab, DEL, or a C1 control.
fn hidden(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// `text` with every control character but newline and tab shown as a visible
/// picture (`␛` for ESC, `[U+009B]` for a C1 control).
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_visible(&mut out, c);
    }
    Cow::Owned(out)
}

fn push_visible(out: &mut String, c: char) {
    match u32::from(c) {
        n @ 0..=0x1f if c != '\n' && c != '\t' => {
            out.push(char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'));
        }
        0x7f => out.push('␡'),
        n @ 0x80..=0x9f => {
            use std::fmt::Write as _;
            let _ = write!(out, "[U+{n:04X}]");
        }
        _ => out.push(c),
    }
}

/// Whether `bytes` may hold a character [`visible`] would change. UTF-8 writes a C1
/// control as `0xC2 0x80..=0x9F`.
fn needs_guard(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 && b != b'\n' && b != b'\t')
            || b == 0x7f
            || (b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    })
}

/// The length of the SGR colour code (`ESC [` digits and `;` `m`) at the start of
/// `text`, if one is there.
fn sgr_len(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("\u{1b}[")?;
    let params = rest
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';' || *b == b':')
        .count();
    (rest.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
}

/// A rendered output with every control character shown as [`visible`] does, except
/// newline, tab and, when `keep_colour`, the SGR colour codes our renderers write.
pub(crate) fn guard(bytes: Vec<u8>, keep_colour: bool) -> Vec<u8> {
    if !needs_guard(&bytes) {
        return bytes;
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        // Only the binary formats write other bytes, and they are not guarded.
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text.as_str();
    while let Some(c) = rest.chars().next() {
        if keep_colour
            && c == '\u{1b}'
            && let Some(n) = sgr_len(rest)
        {
            out.push_str(&rest[..n]);
            rest = &rest[n..];
            continue;
        }
        push_visible(&mut out, c);
        rest = &rest[c.len_utf8()..];
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_as_pictures_and_text_is_kept() {
        assert_eq!(
            visible("a\u{1b}]0;pwned\u{7}b\u{1b}[2J"),
            "a␛]0;pwned␇b␛[2J"
        );
        assert_eq!(visible("line\n\tnext £5 é"), "line\n\tnext £5 é");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
        assert_eq!(visible("\r\u{0}\u{7f}\u{9b}31m"), "␍␀␡[U+009B]31m");
    }

    #[test]
    fn the_guard_keeps_our_colour_codes_only_when_asked() {
        let out = "\u{1b}[1m\u{1b}[38;5;9mNO-GO\u{1b}[0m \u{1b}]0;x\u{7} \u{1b}[2J\n".as_bytes();
        assert_eq!(
            String::from_utf8(guard(out.to_vec(), true)).unwrap(),
            "\u{1b}[1m\u{1b}[38;5;9mNO-GO\u{1b}[0m ␛]0;x␇ ␛[2J\n"
        );
        assert_eq!(
            String::from_utf8(guard(out.to_vec(), false)).unwrap(),
            "␛[1m␛[38;5;9mNO-GO␛[0m ␛]0;x␇ ␛[2J\n"
        );
    }

    proptest::proptest! {
        /// Whatever the text, the guarded output holds no control but newline and tab,
        /// and with colour kept every ESC left starts a colour code.
        #[test]
        fn no_control_survives_the_guard(text in "(\\PC|[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}]|\\x1b\\[[0-9;]{0,4}m)*") {
            let plain = String::from_utf8(guard(text.clone().into_bytes(), false)).unwrap();
            proptest::prop_assert!(!plain.chars().any(hidden));
            let shown = visible(&text);
            proptest::prop_assert_eq!(shown.as_ref(), plain.as_str());
            let coloured = String::from_utf8(guard(text.into_bytes(), true)).unwrap();
            let mut rest = coloured.as_str();
            while let Some(c) = rest.chars().next() {
                let n = if c == '\u{1b}' { sgr_len(rest) } else { None };
                proptest::prop_assert!(n.is_some() || !hidden(c), "{:?}", rest);
                rest = &rest[n.unwrap_or(c.len_utf8())..];
            }
        }
    }

    #[test]
    fn clean_output_is_returned_unchanged() {
        let out = "£ 2027-04-16 — GO\n\tok\n".as_bytes().to_vec();
        assert!(!needs_guard(&out));
        assert_eq!(guard(out.clone(), false), out);
        assert!(needs_guard("\u{85}".as_bytes()));
    }
}
