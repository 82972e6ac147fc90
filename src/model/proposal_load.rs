//! Reads a proposal file into a [`Proposal`], checking every field against `proposal.md` and
//! the framework's ids. Every problem in the file is reported, not only the first.

use std::path::Path;

use super::date::Date;
use super::fields::{self, FactType, Field};
use super::framework::Framework;
use super::placeholders::{as_written, format_number};
use super::proposal::{FactValue, Proposal};
use super::vendor;
use crate::diag::{Diagnostic, Titled, Warning, did_you_mean, id_suggestion, nearest, suggestion};
use crate::location::{Located, Pos};
use crate::yaml::{self, Node, Value};

/// Proposals larger than this are refused before parsing.
pub const MAX_PROPOSAL_BYTES: u64 = 1024 * 1024;

pub fn load_proposal(path: &Path, framework: &Framework) -> Result<Proposal, Vec<Diagnostic>> {
    let (text, _) = read_proposal_source(path)?;
    parse_proposal(path, &text, framework)
}

/// A proposal file's text and the digest of its bytes, or why it cannot be read.
pub fn read_proposal_source(path: &Path) -> Result<(String, yaml::Digest), Vec<Diagnostic>> {
    let too_large = |d: &Diagnostic| d.message.starts_with("文件过大");
    yaml::read_source(path, MAX_PROPOSAL_BYTES).map_err(|d| {
        if too_large(&d) {
            vec![d.with_hint("提案文件上限为 1 MiB；会议记录请只保留要点")]
        } else {
            vec![d]
        }
    })
}

pub fn parse_proposal(
    path: &Path,
    text: &str,
    framework: &Framework,
) -> Result<Proposal, Vec<Diagnostic>> {
    let root = yaml::parse_tree(path, text).map_err(|d| vec![d])?;
    let mut reader = Reader {
        file: path,
        framework,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let proposal = reader.proposal(&root);
    let warnings = std::mem::take(&mut reader.warnings);
    match proposal {
        Some(mut p) if reader.problems.is_empty() => {
            p.warnings = warnings;
            Ok(p)
        }
        // The file's warnings go with its errors: one run shows all there is to fix.
        _ => {
            let mut problems = reader.problems;
            problems.extend(warnings.into_iter().map(|Warning(w)| w));
            problems.sort();
            problems.dedup();
            Err(problems)
        }
    }
}

/// A mapping's entries with string keys, duplicates and non-string keys reported.
type Entries<'n> = Vec<(&'n str, Pos, &'n Node)>;

struct Reader<'a> {
    file: &'a Path,
    framework: &'a Framework,
    problems: Vec<Diagnostic>,
    warnings: Vec<Warning>,
}

impl<'a> Reader<'a> {
    fn report(&mut self, pos: Pos, message: impl Into<String>) {
        self.problems.push(Diagnostic::at(self.file, pos, message));
    }

    fn report_hint(&mut self, pos: Pos, message: impl Into<String>, hint: String) {
        self.problems
            .push(Diagnostic::at(self.file, pos, message).with_hint(hint));
    }

    fn proposal(&mut self, root: &Node) -> Option<Proposal> {
        if root.value == Value::Null {
            self.report(
                root.pos,
                "提案文件是空的：应为映射（键: 值），至少包含 vendor、meeting.date 和 directions",
            );
            return None;
        }
        let entries = self.map(root, "提案文件")?;
        let fact_sections = self.framework.fields.fact_sections();
        let top_level: Vec<&str> = fields::FORMAT_SECTIONS
            .into_iter()
            .chain(fact_sections.iter().copied())
            .collect();
        self.unknown_keys(&entries, &top_level, "");
        let vendor = self.required(root.pos, &entries, "vendor", |r, n| {
            r.non_empty_string(n, "vendor")
        });
        let title = self.optional(&entries, "title", |r, n| r.string(n, "title"));
        let meeting = self.required(root.pos, &entries, "meeting", |r, n| r.meeting(n));
        let directions = self.required(root.pos, &entries, "directions", |r, n| {
            Some(r.directions(n))
        });
        let mut facts = Vec::new();
        for section in fact_sections {
            if let Some(node) = find(&entries, section) {
                self.facts(node, section, &mut facts);
            }
        }
        let answers = self
            .optional(&entries, "answers", |r, n| r.answers(n))
            .unwrap_or_default();
        let checklist = self
            .optional(&entries, "checklist", |r, n| r.checklist(n))
            .unwrap_or_default();
        let (date, phase, attendees, notes) = meeting?;
        Some(Proposal {
            file: self
                .file
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            vendor: vendor?,
            title,
            date,
            phase,
            attendees,
            notes,
            directions: directions?,
            facts: facts.into_iter().collect(),
            answers,
            checklist,
            warnings: Vec::new(),
        })
    }

    /// A required key, named by its full path (`meeting.date`): reports it when missing, else
    /// reads it.
    fn required<T>(
        &mut self,
        parent: Pos,
        entries: &Entries<'_>,
        key: &str,
        read: impl FnOnce(&mut Self, &Node) -> Option<T>,
    ) -> Option<T> {
        let name = key.rsplit('.').next().unwrap_or(key);
        match find(entries, name) {
            Some(node) => read(self, node),
            None => {
                let what = self
                    .framework
                    .label(key)
                    .map_or(String::new(), |l| format!("（{}）", l.help));
                self.report(parent, format!("缺少必填的键「{key}」{what}"));
                None
            }
        }
    }

    /// An optional key: absent or `null` is `None`.
    fn optional<T>(
        &mut self,
        entries: &Entries<'_>,
        key: &str,
        read: impl FnOnce(&mut Self, &Node) -> Option<T>,
    ) -> Option<T> {
        find(entries, key)
            .filter(|n| n.value != Value::Null)
            .and_then(|n| read(self, n))
    }

    fn map<'n>(&mut self, node: &'n Node, what: &str) -> Option<Entries<'n>> {
        let Value::Map(pairs) = &node.value else {
            self.report(
                node.pos,
                format!("{what}应为映射（键: 值），实际是{}", node.value.describe()),
            );
            return None;
        };
        let mut entries: Entries<'n> = Vec::new();
        for (key, value) in pairs {
            let Value::Str(name) = &key.value else {
                self.report(
                    key.pos,
                    format!("{what}中的键应为文字，实际是{}", key.value.describe()),
                );
                continue;
            };
            if let Some((_, first, _)) = entries.iter().find(|(k, ..)| k == name) {
                let message = format!("重复的键「{name}」：第 {} 行已经写过", first.line);
                self.report(key.pos, message);
                continue;
            }
            entries.push((name.as_str(), key.pos, value));
        }
        Some(entries)
    }

    fn unknown_keys(&mut self, entries: &Entries<'_>, valid: &[&str], parent: &str) {
        for (key, pos, _) in entries {
            if !valid.contains(key) {
                let place = if parent.is_empty() {
                    String::new()
                } else {
                    format!("（在 {parent} 下）")
                };
                let hint = match (
                    self.home_of(key, parent),
                    nearest(key, valid.iter().copied()),
                ) {
                    (Some(home), _) => home,
                    (None, Some(best)) => {
                        format!("{}可用的键：{}", did_you_mean(&[best]), valid.join("、"))
                    }
                    (None, None) => format!("可用的键：{}", valid.join("、")),
                };
                self.report_hint(*pos, format!("未知的键「{key}」{place}"), hint);
            }
        }
    }

    /// Where a key written in the wrong place belongs (`phase` under `meeting`, `passed`
    /// under `poc`, `vendor` at the top), said as what to do.
    fn home_of(&self, key: &str, parent: &str) -> Option<String> {
        let fields = &self.framework.fields;
        let mut homes: Vec<&str> = Vec::new();
        if parent != "meeting" && fields::MEETING_KEYS.contains(&key) {
            homes.push("meeting");
        }
        for section in fields.fact_sections() {
            if section != parent && fields.facts_in(section).contains(&key) {
                homes.push(section);
            }
        }
        if !homes.is_empty() {
            let under: Vec<String> = homes.iter().map(|h| format!("{h}:")).collect();
            return Some(format!(
                "「{key}」属于 {}：写在 {} 下面，比它多缩进两格",
                homes.join(" 或 "),
                under.join(" 或 ")
            ));
        }
        let top_level =
            fields::FORMAT_SECTIONS.contains(&key) || fields.fact_sections().contains(&key);
        (!parent.is_empty() && top_level)
            .then(|| format!("「{key}」是顶层的键：从行首写起，不要缩进"))
    }

    fn string(&mut self, node: &Node, key: &str) -> Option<Located<String>> {
        match &node.value {
            Value::Str(s) => Some(Located::new(s.clone(), node.pos)),
            other @ (Value::Int(_) | Value::Float(_) | Value::Bool(_)) => {
                let message = format!("「{key}」应为文字，实际是{}", other.describe());
                let hint = "数字或 true / false 请加引号写成文字".to_string();
                self.report_hint(node.pos, message, hint);
                None
            }
            other => {
                self.report(
                    node.pos,
                    format!("「{key}」应为文字，实际是{}", other.describe()),
                );
                None
            }
        }
    }

    fn non_empty_string(&mut self, node: &Node, key: &str) -> Option<Located<String>> {
        let value = self.string(node, key)?;
        if value.value.trim().is_empty() {
            self.report(node.pos, format!("「{key}」不能为空"));
            return None;
        }
        Some(value)
    }

    #[allow(clippy::type_complexity)]
    fn meeting(
        &mut self,
        node: &Node,
    ) -> Option<(
        Located<Date>,
        Option<Located<String>>,
        Vec<Located<String>>,
        Option<Located<String>>,
    )> {
        let entries = self.map(node, "「meeting」")?;
        self.unknown_keys(&entries, &fields::MEETING_KEYS, "meeting");
        let date = self.required(node.pos, &entries, "meeting.date", |r, n| r.date(n));
        let phase = self.optional(&entries, "phase", |r, n| r.phase(n));
        let attendees = self
            .optional(&entries, "attendees", |r, n| r.attendees(n))
            .unwrap_or_default();
        let notes = self.optional(&entries, "notes", |r, n| r.string(n, "meeting.notes"));
        Some((date?, phase, attendees, notes))
    }

    fn date(&mut self, node: &Node) -> Option<Located<Date>> {
        let text = match &node.value {
            Value::Str(s) => s.as_str(),
            other => {
                self.report(
                    node.pos,
                    format!(
                        "「meeting.date」应为 YYYY-MM-DD 格式的日期，实际是{}",
                        other.describe()
                    ),
                );
                return None;
            }
        };
        match text.parse::<Date>() {
            Ok(date) => Some(Located::new(date, node.pos)),
            Err(()) => {
                self.report(
                    node.pos,
                    format!("「meeting.date」应为 YYYY-MM-DD 格式的有效日期，实际是 \"{text}\""),
                );
                None
            }
        }
    }

    fn phase(&mut self, node: &Node) -> Option<Located<String>> {
        let phases: Vec<(&str, String)> = self
            .framework
            .phases
            .iter()
            .map(|p| (p.id.value.as_str(), self.as_shown(&p.title)))
            .collect();
        let phases: Vec<Titled> = phases.iter().map(|(id, t)| (*id, t.as_str())).collect();
        self.one_of(node, "meeting.phase", &phases)
    }

    /// A framework text as the framework's pages show it (`{vendor}` read as the
    /// counterparty), for hints.
    fn as_shown(&self, text: &str) -> String {
        vendor::fill(text, &self.framework.meta.counterparty).into_owned()
    }

    /// A string that must be one of the ids of `options`; a typo, the start of an id or words
    /// of its title get the id it means.
    fn one_of(&mut self, node: &Node, key: &str, options: &[Titled]) -> Option<Located<String>> {
        let value = self.string(node, key)?;
        if options.iter().any(|(id, _)| *id == value.value) {
            Some(value)
        } else {
            let message = format!("「{key}」的取值「{}」无效", value.value);
            let hint = id_suggestion(&value.value, options);
            self.report_hint(node.pos, message, hint);
            None
        }
    }

    fn attendees(&mut self, node: &Node) -> Option<Vec<Located<String>>> {
        let Value::Seq(items) = &node.value else {
            self.report(
                node.pos,
                format!(
                    "「meeting.attendees」应为文字列表，实际是{}",
                    node.value.describe()
                ),
            );
            return None;
        };
        Some(
            items
                .iter()
                .filter_map(|i| self.string(i, "meeting.attendees"))
                .collect(),
        )
    }

    /// `null` is a draft whose directions are not yet recorded; an empty list is an error.
    fn directions(&mut self, node: &Node) -> Option<Vec<Located<String>>> {
        let items = match &node.value {
            Value::Null => return None,
            Value::Seq(items) if !items.is_empty() => items,
            other => {
                let message = format!("「directions」应为非空列表，实际是{}", other.describe());
                let ids: Vec<&str> = self.direction_options().iter().map(|(id, _)| *id).collect();
                self.report_hint(node.pos, message, format!("可用的方向：{}", ids.join("、")));
                return None;
            }
        };
        let options = self.direction_options();
        let ids: Vec<Titled> = options.iter().map(|(id, t)| (*id, t.as_str())).collect();
        let mut seen: Vec<Located<String>> = Vec::new();
        for item in items {
            let Some(id) = self.one_of(item, "directions", &ids) else {
                continue;
            };
            if let Some(first) = seen.iter().find(|s| s.value == id.value) {
                let message = format!(
                    "方向「{}」重复了：第 {} 行已经写过",
                    id.value, first.pos.line
                );
                self.report(id.pos, message);
                continue;
            }
            seen.push(id);
        }
        Some(seen)
    }

    fn direction_options(&self) -> Vec<(&'a str, String)> {
        self.framework
            .directions
            .iter()
            .map(|d| (d.id.value.as_str(), self.as_shown(&d.title)))
            .collect()
    }

    fn facts(
        &mut self,
        node: &Node,
        section: &str,
        facts: &mut Vec<(String, Located<Option<FactValue>>)>,
    ) {
        if node.value == Value::Null {
            return;
        }
        let Some(entries) = self.map(node, &format!("「{section}」")) else {
            return;
        };
        let names = self.framework.fields.facts_in(section);
        self.unknown_keys(&entries, &names, section);
        for (name, _, value) in entries {
            let key = format!("{section}.{name}");
            let Some(field) = self.framework.fields.fact(&key) else {
                continue;
            };
            if let Ok(fact) = self.fact(&key, field, value) {
                facts.push((key, Located::new(fact, value.pos)));
            }
        }
    }

    /// A fact's value: `Ok(None)` for `null`, `Err` when it is reported as invalid.
    fn fact(&mut self, key: &str, field: &Field, node: &Node) -> Result<Option<FactValue>, ()> {
        let Some(ty) = field.fact_type() else {
            return Err(());
        };
        match (ty, &node.value) {
            (_, Value::Null) => Ok(None),
            (FactType::Bool, Value::Bool(b)) => Ok(Some(FactValue::Bool(*b))),
            (FactType::Bool, other) => {
                let message = format!(
                    "「{key}」应为 true 或 false（未知请写 null），实际是{}",
                    other.describe()
                );
                self.report(node.pos, message);
                Err(())
            }
            (FactType::Number, Value::Int(_) | Value::Float(_)) => {
                let x = match node.value {
                    Value::Int(i) => i as f64,
                    Value::Float(x) => x,
                    _ => unreachable!("matched numbers only"),
                };
                let value = self.number_in_range(key, x, field.min(), field.max(), node.pos);
                if value.is_some() {
                    self.warn_if_odd(key, field, x, node.pos);
                }
                value.map(Some).ok_or(())
            }
            (FactType::Number, other) => {
                let message = format!(
                    "「{key}」应为数字（未知请写 null），实际是{}",
                    other.describe()
                );
                self.report(node.pos, message);
                Err(())
            }
        }
    }

    fn number_in_range(
        &mut self,
        key: &str,
        x: f64,
        min: Option<f64>,
        max: Option<f64>,
        pos: Pos,
    ) -> Option<FactValue> {
        if !x.is_finite() {
            self.report(
                pos,
                format!("「{key}」应为有限数字，实际是 {}", as_written(x)),
            );
            return None;
        }
        if let Some(min) = min.filter(|m| x < *m) {
            let message = format!(
                "「{key}」不能小于 {}，实际是 {}",
                format_number(min),
                as_written(x)
            );
            self.report(pos, message);
            return None;
        }
        if let Some(max) = max.filter(|m| x > *m) {
            let message = format!(
                "「{key}」不能大于 {}，实际是 {}",
                format_number(max),
                as_written(x)
            );
            self.report(pos, message);
            return None;
        }
        Some(FactValue::Number(x))
    }

    /// A percentage written as a fraction (0.32), or a number past the field's `warn_above`
    /// (3100 for seconds): accepted, and said.
    fn warn_if_odd(&mut self, key: &str, field: &Field, x: f64, pos: Pos) {
        let unit = field.unit.as_deref().unwrap_or("");
        let message = if unit == "%" && x != 0.0 && x.abs() < 1.0 {
            format!(
                "「{key}」是 {}，看起来是小数；百分比请写 {}",
                as_written(x),
                as_written((x * 100.0 * 1e6).round() / 1e6)
            )
        } else if let Some(limit) = field.warn_above.as_ref().filter(|w| x > w.value) {
            let check = if unit.is_empty() {
                "请确认没有写错".to_string()
            } else {
                format!("单位是 {unit}，请确认没有按别的单位（如毫秒）填写")
            };
            format!(
                "「{key}」是 {}{unit}，超过通常的 {}{unit}：{check}",
                as_written(x),
                format_number(limit.value)
            )
        } else {
            return;
        };
        self.warnings.push(Warning::at(self.file, pos, message));
    }

    fn answers(
        &mut self,
        node: &Node,
    ) -> Option<std::collections::BTreeMap<String, Located<String>>> {
        let entries = self.map(node, "「answers」")?;
        let ids: Vec<&str> = self
            .framework
            .question_items()
            .map(|(_, q)| q.id.value.as_str())
            .collect();
        self.unknown_ids(&entries, &ids, "answers", "问题");
        let mut answers = Vec::new();
        for (id, _, value) in entries {
            if !ids.contains(&id) || value.value == Value::Null {
                continue;
            }
            if let Some(text) = self.string(value, &format!("answers.{id}"))
                && !text.value.trim().is_empty()
            {
                answers.push((id.to_string(), text));
            }
        }
        Some(answers.into_iter().collect())
    }

    fn checklist(
        &mut self,
        node: &Node,
    ) -> Option<std::collections::BTreeMap<String, Located<bool>>> {
        let entries = self.map(node, "「checklist」")?;
        let ids: Vec<&str> = self
            .framework
            .checklist_items()
            .map(|(_, c)| c.id.value.as_str())
            .collect();
        self.unknown_ids(&entries, &ids, "checklist", "清单项");
        let mut done = Vec::new();
        for (id, _, value) in entries {
            match &value.value {
                _ if !ids.contains(&id) => {}
                Value::Null => {}
                Value::Bool(b) => {
                    done.push((id.to_string(), Located::new(*b, value.pos)));
                }
                other => {
                    let message = format!(
                        "「checklist.{id}」应为 true 或 false，实际是{}",
                        other.describe()
                    );
                    self.report(value.pos, message);
                }
            }
        }
        Some(done.into_iter().collect())
    }

    fn unknown_ids(&mut self, entries: &Entries<'_>, ids: &[&str], key: &str, what: &str) {
        for (id, pos, _) in entries {
            if !ids.contains(id) {
                let hint = suggestion(id, ids);
                self.report_hint(
                    *pos,
                    format!("「{key}」中的{what}编号「{id}」在框架中不存在"),
                    hint,
                );
            }
        }
    }
}

fn find<'n>(entries: &Entries<'n>, key: &str) -> Option<&'n Node> {
    entries.iter().find(|(k, ..)| *k == key).map(|(_, _, n)| *n)
}
