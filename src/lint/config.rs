//! Lint settings: each check's defaults, then `cutover.toml` at the repository root,
//! then the runbook's `lint:` section, the later overriding the earlier field by field.
//! A setting that cannot be read is a finding (`L000`) at the setting, and is ignored.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Check, Finding, Level, Param, finding};
use crate::model::Text;
use crate::model::runbook::Runbook;
use crate::source::{FileId, Origin, Sources, Span};
use crate::time::{DurationSpec, parse_duration};

/// The name of the settings file looked for from the runbook's directory upwards.
pub const FILE_NAME: &str = "cutover.toml";

/// A check's threshold, read.
#[derive(Debug, Clone, PartialEq)]
pub enum Threshold {
    /// A duration, converted on the calendar of each task concerned.
    Duration {
        /// The duration read.
        spec: DurationSpec,
        /// As written.
        text: String,
    },
    /// A tag, such as the one that marks a rollback rehearsal.
    Tag(String),
}

impl Threshold {
    /// As written.
    pub fn text(&self) -> &str {
        match self {
            Threshold::Duration { text, .. } | Threshold::Tag(text) => text,
        }
    }
}

/// One check's settings after every layer.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckSettings {
    /// `None`: the check is off.
    pub level: Option<Level>,
    /// The threshold, for a check that has one.
    pub threshold: Option<Threshold>,
    /// Percent.
    pub max_share: Option<f64>,
    /// The last layer that set anything: `default`, `cutover.toml` or `runbook`.
    pub from: &'static str,
}

impl CheckSettings {
    fn default_for(check: Check) -> CheckSettings {
        CheckSettings {
            level: Some(check.default_level()),
            threshold: check.default_param().map(|p| match p {
                Param::Duration(text) => Threshold::Duration {
                    spec: parse_duration(text).unwrap_or_default(),
                    text: text.to_owned(),
                },
                Param::Tag(tag) => Threshold::Tag(tag.to_owned()),
            }),
            max_share: check.default_max_share(),
            from: "default",
        }
    }
}

/// Every check's settings.
#[derive(Debug, Clone)]
pub struct Settings {
    checks: HashMap<Check, CheckSettings>,
}

impl Settings {
    /// The defaults of every check.
    pub fn defaults() -> Settings {
        Settings {
            checks: Check::ALL
                .iter()
                .map(|&c| (c, CheckSettings::default_for(c)))
                .collect(),
        }
    }

    /// The settings of `check`.
    pub fn of(&self, check: Check) -> CheckSettings {
        self.checks
            .get(&check)
            .cloned()
            .unwrap_or_else(|| CheckSettings::default_for(check))
    }
}

/// One setting as written, in either file, with where each part was written.
#[derive(Debug, Default)]
struct Written {
    key: (String, Origin),
    level: Option<(String, Origin)>,
    threshold: Option<(String, Origin)>,
    max_share: Option<(String, Origin)>,
    tag: Option<(String, Origin)>,
}

/// The nearest `cutover.toml` in the runbook's directory or above it, up to the
/// repository root (the first directory that holds `.git`). Named relative to the
/// runbook's path when it is in one of its directories.
pub fn find_file(runbook: &Path) -> Option<PathBuf> {
    // The directories as the user can name them, nearest first...
    let mut named: Vec<PathBuf> = runbook
        .ancestors()
        .skip(1)
        .map(|d| {
            if d.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                d.to_path_buf()
            }
        })
        .collect();
    // ...then the ones above, which only the absolute path reaches.
    if let Some(top) = named.last().and_then(|d| std::fs::canonicalize(d).ok()) {
        named.extend(top.ancestors().skip(1).map(Path::to_path_buf));
    }
    for dir in named {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(if dir == Path::new(".") {
                PathBuf::from(FILE_NAME)
            } else {
                candidate
            });
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// The settings for `model`: the defaults, then `config` (a `cutover.toml` already
/// added to `sources`), then the runbook's `lint:` section. Problems come back as
/// `L000` findings.
pub fn settings(
    model: &Runbook,
    config: Option<FileId>,
    sources: &Sources,
) -> (Settings, Vec<Finding>) {
    let mut settings = Settings::defaults();
    let mut problems = Vec::new();
    if let Some(file) = config {
        let written = read_toml(sources, file, &mut problems);
        apply(
            &mut settings,
            written,
            "cutover.toml",
            sources,
            &mut problems,
        );
    }
    let main = model.main_file;
    let at = |t: &Text, fallback: Origin| {
        if t.span.is_unknown() {
            fallback
        } else {
            Origin {
                file: main,
                span: t.span,
            }
        }
    };
    let written = model
        .settings
        .lint
        .iter()
        .map(|(key, value)| {
            let key_origin = Origin {
                file: main,
                span: key.span,
            };
            let value_origin = Origin {
                file: main,
                span: value.span,
            };
            let s = &value.value.0;
            let part =
                |t: &Option<Text>| t.as_ref().map(|t| (t.value.clone(), at(t, value_origin)));
            Written {
                key: (key.value.clone(), key_origin),
                level: part(&s.level),
                threshold: part(&s.threshold),
                max_share: part(&s.max_share),
                tag: part(&s.tag),
            }
        })
        .collect();
    apply(&mut settings, written, "runbook", sources, &mut problems);
    (settings, problems)
}

fn problem(sources: &Sources, origin: Origin, message: String, help: Option<String>) -> Finding {
    finding(
        sources,
        Check::Setting,
        Check::Setting.default_level(),
        origin,
        None,
        message,
        help.map(std::borrow::Cow::Owned),
    )
}

/// Applies one layer of settings.
fn apply(
    settings: &mut Settings,
    written: Vec<Written>,
    layer: &'static str,
    sources: &Sources,
    problems: &mut Vec<Finding>,
) {
    let mut seen: HashMap<Check, Origin> = HashMap::new();
    for w in written {
        let (key, key_origin) = &w.key;
        let Some(check) = Check::find(key) else {
            let names = Check::ALL.iter().filter(|c| c.waivable()).map(|c| c.name());
            problems.push(problem(
                sources,
                *key_origin,
                format!("no lint check is called `{key}`"),
                Some(crate::diagnostic::suggestion(key, names).unwrap_or_else(|| {
                    "name a check by code (`L006`) or name (`high-float`); docs/lint.md lists them"
                        .to_owned()
                })),
            ));
            continue;
        };
        if check == Check::Setting {
            problems.push(problem(
                sources,
                *key_origin,
                "`L000` reports settings that cannot be read; it cannot be set".to_owned(),
                None,
            ));
            continue;
        }
        if seen.insert(check, *key_origin).is_some() {
            problems.push(problem(
                sources,
                *key_origin,
                format!(
                    "`{}` ({}) is set twice here; the later setting is used",
                    check.name(),
                    check.code()
                ),
                Some("keep one entry per check".to_owned()),
            ));
        }
        let mut s = settings.of(check);
        s.from = layer;
        if let Some((word, origin)) = &w.level {
            match word.as_str() {
                "off" => s.level = None,
                "on" => s.level = Some(s.level.unwrap_or(check.default_level())),
                other => match Level::parse(other) {
                    Some(level) => s.level = Some(level),
                    None => problems.push(problem(
                        sources,
                        *origin,
                        format!("`{other}` is not a level"),
                        Some("write `error`, `warning`, `note`, `off` or `on`".to_owned()),
                    )),
                },
            }
        }
        if let Some((text, origin)) = &w.threshold {
            match check.default_param() {
                Some(Param::Duration(_)) => match parse_duration(text) {
                    Ok(spec) if !spec.is_negative() => {
                        s.threshold = Some(Threshold::Duration {
                            spec,
                            text: text.clone(),
                        });
                    }
                    Ok(_) => problems.push(problem(
                        sources,
                        *origin,
                        format!("the threshold of `{}` cannot be negative", check.name()),
                        None,
                    )),
                    Err(e) => problems.push(problem(
                        sources,
                        *origin,
                        e.message,
                        Some(e.help.to_owned()),
                    )),
                },
                Some(Param::Tag(_)) => problems.push(problem(
                    sources,
                    *origin,
                    format!("`{}` takes a `tag`, not a `threshold`", check.name()),
                    None,
                )),
                None => problems.push(problem(
                    sources,
                    *origin,
                    format!("`{}` has no threshold", check.name()),
                    Some("only `level` and `max_share` apply to this check".to_owned()),
                )),
            }
        }
        if let Some((text, origin)) = &w.tag {
            if let Some(Param::Tag(_)) = check.default_param() {
                if text.trim().is_empty() {
                    problems.push(problem(
                        sources,
                        *origin,
                        "the tag is empty".to_owned(),
                        None,
                    ));
                } else {
                    s.threshold = Some(Threshold::Tag(text.trim().to_owned()));
                }
            } else {
                problems.push(problem(
                    sources,
                    *origin,
                    format!("`{}` has no tag", check.name()),
                    None,
                ));
            }
        }
        if let Some((text, origin)) = &w.max_share {
            match share(text) {
                Some(p) if check.is_schedule_check() => s.max_share = Some(p),
                Some(_) => problems.push(problem(
                    sources,
                    *origin,
                    format!("`{}` has no share", check.name()),
                    None,
                )),
                None => problems.push(problem(
                    sources,
                    *origin,
                    format!("`{text}` is not a share"),
                    Some("write a percentage from 0% to 100%, e.g. `5%`".to_owned()),
                )),
            }
        }
        settings.checks.insert(check, s);
    }
}

/// `5%`, `5` or `12.5%`: a percentage from 0 to 100.
fn share(text: &str) -> Option<f64> {
    let number = text.trim().trim_end_matches('%').trim();
    let p: f64 = number.parse().ok()?;
    (p.is_finite() && (0.0..=100.0).contains(&p)).then_some(p)
}

/// `cutover.toml`: `[lint]`, then check = setting.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    lint: Option<BTreeMap<String, toml::Spanned<toml::Value>>>,
}

fn read_toml(sources: &Sources, file: FileId, problems: &mut Vec<Finding>) -> Vec<Written> {
    let text = sources.get(file).map_or("", |f| f.text.as_str());
    let origin = |range: std::ops::Range<usize>| Origin {
        file,
        span: span_of(text, range),
    };
    let parsed: TomlFile = match toml::from_str(text) {
        Ok(p) => p,
        Err(e) => {
            problems.push(problem(
                sources,
                origin(e.span().unwrap_or(0..0)),
                format!("cannot read {FILE_NAME}: {}", e.message()),
                Some("lint settings go in a `[lint]` table; docs/lint.md".to_owned()),
            ));
            return Vec::new();
        }
    };
    let mut entries: Vec<(String, toml::Spanned<toml::Value>)> =
        parsed.lint.unwrap_or_default().into_iter().collect();
    entries.sort_by_key(|(_, v)| v.span().start);
    let mut written = Vec::new();
    for (key, value) in entries {
        let at = origin(value.span());
        let mut w = Written {
            key: (key.clone(), at),
            ..Written::default()
        };
        match value.get_ref() {
            toml::Value::String(word) => w.level = Some((word.clone(), at)),
            toml::Value::Boolean(on) => {
                w.level = Some(((if *on { "on" } else { "off" }).to_owned(), at));
            }
            toml::Value::Table(table) => {
                for (field, v) in table {
                    let text = match v {
                        toml::Value::String(s) => s.clone(),
                        toml::Value::Integer(i) => i.to_string(),
                        toml::Value::Float(f) => f.to_string(),
                        other => {
                            problems.push(problem(
                                sources,
                                at,
                                format!("`{key}.{field}` is a {}, not text", other.type_str()),
                                None,
                            ));
                            continue;
                        }
                    };
                    let slot = match field.as_str() {
                        "level" => &mut w.level,
                        "threshold" => &mut w.threshold,
                        "max_share" => &mut w.max_share,
                        "tag" => &mut w.tag,
                        other => {
                            problems.push(problem(
                                sources,
                                at,
                                format!("unknown field `{other}` in `{key}`"),
                                Some(
                                    "a check takes `level`, `threshold`, `max_share` and `tag`"
                                        .to_owned(),
                                ),
                            ));
                            continue;
                        }
                    };
                    *slot = Some((text, at));
                }
            }
            other => {
                problems.push(problem(
                    sources,
                    at,
                    format!("`{key}` is a {}", other.type_str()),
                    Some("write a level (`off`, `warning`...) or a table of fields".to_owned()),
                ));
                continue;
            }
        }
        written.push(w);
    }
    written
}

/// The line and column (1-based, in characters) of a byte range in `text`.
fn span_of(text: &str, range: std::ops::Range<usize>) -> Span {
    let start = range.start.min(text.len());
    let mut start = start;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Span {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        col: u32::try_from(col).unwrap_or(u32::MAX),
        offset: u32::try_from(start).unwrap_or(u32::MAX),
        len: u32::try_from(range.end.saturating_sub(start)).unwrap_or(0),
    }
}
