//! Loads `framework.yaml` and checks what serde cannot: rules name real facts with values of
//! the right type, placeholders name real thresholds, ids are unique, every field is labelled.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::condition::{Condition, Op, Operand};
use super::fields::{self, FactType, Field, section_of};
use super::framework::Framework;
use super::placeholders;
use super::vendor::VENDOR;
use crate::diag::{Diagnostic, did_you_mean, nearest, suggestion};
use crate::location::{Located, Pos};
use crate::yaml::{self, Value};

/// The framework file may be large, but not absurdly so.
pub const MAX_FRAMEWORK_BYTES: u64 = 8 * 1024 * 1024;

pub fn load_framework(path: &Path) -> Result<Framework, Vec<Diagnostic>> {
    load_framework_source(path).map(|(framework, _)| framework)
}

/// [`load_framework`], and the digest of the file's bytes.
pub fn load_framework_source(path: &Path) -> Result<(Framework, yaml::Digest), Vec<Diagnostic>> {
    let (text, digest) = yaml::read_source(path, MAX_FRAMEWORK_BYTES).map_err(|d| vec![d])?;
    parse_framework(path, &text).map(|framework| (framework, digest))
}

/// Parses and validates; every problem found is returned, not only the first.
///
/// The text is read into typed values once, after its placeholders are filled in: the
/// thresholds come first from the located tree (a tenth of the cost). The written text must
/// read as YAML on its own, with every placeholder inside a text, so filling them in changes
/// texts only; whatever the filled text gets wrong is reported where the written text has it.
pub fn parse_framework(path: &Path, text: &str) -> Result<Framework, Vec<Diagnostic>> {
    let tree = yaml::parse_tree(path, text);
    let thresholds = match tree.as_ref().ok().and_then(thresholds_in) {
        Some(thresholds) => thresholds,
        // The written text's own error (its YAML, or thresholds that are not numbers).
        None => raw_framework(path, text)?.thresholds,
    };
    let mut problems = placeholders::check(path, text, &thresholds, 0);
    let misplaced = match &tree {
        Ok(tree) => placeholders_outside_texts(path, text, tree),
        Err(_) => Vec::new(),
    };
    if !problems.is_empty() || !misplaced.is_empty() {
        if misplaced.is_empty() {
            // Any other problem of the written text in the same run (a misplaced placeholder
            // would only be reported twice, as a mapping where a value belongs).
            problems.extend(raw_framework(path, text).err().unwrap_or_default());
        }
        problems.extend(misplaced);
        problems.sort();
        return Err(problems);
    }
    let filled = placeholders::substitute(text, &thresholds);
    let framework: Framework = yaml::parse_typed(path, &filled, 0).map_err(|filled_error| {
        // The same error is in the written text (only texts differ): reported at its columns.
        vec![
            raw_framework(path, text)
                .err()
                .map_or(filled_error, |mut e| e.remove(0)),
        ]
    })?;
    if !same_numbers(&framework.thresholds, &thresholds) {
        // Cannot differ for the same text; said rather than filled with the wrong numbers.
        return Err(vec![Diagnostic::new(
            path,
            Some(key_line(text, "thresholds")),
            "内部错误：两次读取的阈值不一致，请报告此问题",
        )]);
    }
    Checker {
        file: path,
        text,
        tree: tree.as_ref().ok(),
        framework: &framework,
        problems: &mut problems,
    }
    .run();
    if problems.is_empty() {
        Ok(framework)
    } else {
        problems.sort();
        Err(problems)
    }
}

/// The written text read straight into typed values (for its thresholds, or its errors).
fn raw_framework(path: &Path, text: &str) -> Result<Framework, Vec<Diagnostic>> {
    yaml::parse_typed(path, text, 0).map_err(|d| vec![hint_quoting(text, d)])
}

/// The `thresholds` map, read from the located tree; `None` when it is not a map of names
/// to numbers (the typed reading then says what is wrong, and where).
fn thresholds_in(root: &yaml::Node) -> Option<BTreeMap<String, f64>> {
    let mut found = BTreeMap::new();
    for (key, value) in threshold_entries(root)? {
        let (Value::Str(name), Some(number)) = (&key.value, number(&value.value)) else {
            return None;
        };
        if found.insert(name.clone(), number).is_some() {
            return None;
        }
    }
    Some(found)
}

/// The entries of the `thresholds` map, keys with their positions.
fn threshold_entries(root: &yaml::Node) -> Option<&[(yaml::Node, yaml::Node)]> {
    let Value::Map(sections) = &root.value else {
        return None;
    };
    let (_, thresholds) = sections
        .iter()
        .find(|(key, _)| key.value == Value::Str("thresholds".into()))?;
    match &thresholds.value {
        Value::Map(entries) => Some(entries),
        _ => None,
    }
}

/// The same names with the same numbers (a NaN, reported later, equals a NaN).
fn same_numbers(a: &BTreeMap<String, f64>, b: &BTreeMap<String, f64>) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((n, x), (m, y))| n == m && (x == y || (x.is_nan() && y.is_nan())))
}

/// A placeholder written where YAML reads a mapping (`value: {cost_go}`), not inside a text:
/// filled in, it would silently become a number.
fn placeholders_outside_texts(path: &Path, text: &str, root: &yaml::Node) -> Vec<Diagnostic> {
    fn maps(node: &yaml::Node, at: &mut BTreeSet<Pos>) {
        match &node.value {
            Value::Map(entries) => {
                at.insert(node.pos);
                for (key, value) in entries {
                    maps(key, at);
                    maps(value, at);
                }
            }
            Value::Seq(items) => items.iter().for_each(|item| maps(item, at)),
            _ => {}
        }
    }
    let mut at = BTreeSet::new();
    maps(root, &mut at);
    placeholders::find(text)
        .into_iter()
        .filter(|p| at.contains(&p.pos))
        .map(|p| {
            Diagnostic::at(
                path,
                p.pos,
                format!(
                    "占位符「{{{}}}」只能写在文字里；写在这里，YAML 会把它读成映射（键: 值）",
                    p.name
                ),
            )
            .with_hint(
                "规则的 value 直接写阈值名称（不加花括号）；文字以占位符开头时，给整段文字加引号",
            )
        })
        .collect()
}

/// A text that starts with a placeholder (`position: {vendor} 合作提案评估`) is not a text to
/// YAML, and the error it causes (a mapping where a text belongs, a stray `%`) says nothing
/// of quotes: when the error falls in such a text, the hint shows the text quoted.
fn hint_quoting(text: &str, mut d: Diagnostic) -> Diagnostic {
    let Some(pos) = d.pos else { return d };
    let Some(line) = text.lines().nth((pos.line as usize).saturating_sub(1)) else {
        return d;
    };
    let error_at = line
        .char_indices()
        .nth((pos.col as usize).saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    if let Some((key, value)) = unquoted_placeholder_text(line)
        .filter(|(_, value)| value.start <= error_at && error_at <= value.end)
    {
        let quoted = format!("\"{}\"", &line[value]);
        let shown = if key.is_empty() {
            quoted
        } else {
            format!("{key} {quoted}")
        };
        d.hint = Some(format!("以占位符开头的文字要整段加引号：{shown}"));
    }
    d
}

/// A text on `line` that starts with a placeholder and is not in quotes: its key (`position:`,
/// the list's `-`, or nothing in a flow list) and where the text is.
fn unquoted_placeholder_text(line: &str) -> Option<(&str, std::ops::Range<usize>)> {
    let at = line.match_indices('{').map(|(at, _)| at).find(|&at| {
        let before = &line[..at];
        let in_quotes =
            before.matches('"').count() % 2 == 1 || before.matches('\'').count() % 2 == 1;
        let trimmed = before.trim_end();
        let starts_value = (trimmed.ends_with(':') && before.ends_with(' '))
            || (trimmed.ends_with('-')
                && trimmed.trim_start().chars().all(|c| c == '-' || c == ' '))
            || trimmed.ends_with('[')
            || trimmed.ends_with(',');
        let name = line[at + 1..].split_once('}').map(|(name, _)| name);
        !in_quotes
            && starts_value
            && name.is_some_and(|n| {
                !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
    })?;
    let before = &line[..at];
    // In a flow mapping or list (`{ offer: …, attitude: {cost_go}% 不够 }`) the text ends at
    // its comma or bracket, and its key is the last one before it.
    let flow = before.rfind([',', '{', '[']);
    let key = flow.map_or(before, |i| &before[i + 1..]).trim();
    let rest = &line[at..];
    let end = match flow {
        Some(_) => {
            let placeholder_end = rest.find('}').map_or(0, |i| i + 1);
            rest[placeholder_end..]
                .find([',', '}', ']'])
                .map_or(rest.len(), |i| placeholder_end + i)
        }
        None => rest.find(" #").unwrap_or(rest.len()),
    };
    let value = rest[..end].trim_end();
    Some((key, at..at + value.len()))
}

fn number(value: &Value) -> Option<f64> {
    match *value {
        Value::Int(i) => Some(i as f64),
        Value::Float(x) => Some(x),
        _ => None,
    }
}

/// The line of a top-level key (1 when it is missing).
fn key_line(text: &str, key: &str) -> Pos {
    let prefix = format!("{key}:");
    let line = text
        .lines()
        .position(|l| l.starts_with(&prefix))
        .unwrap_or(0);
    Pos::new(line as u32 + 1, 1)
}

struct Checker<'a> {
    file: &'a Path,
    text: &'a str,
    /// The written text's located tree, for the positions of what serde does not place.
    tree: Option<&'a yaml::Node>,
    framework: &'a Framework,
    problems: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    fn run(&mut self) {
        self.check_thresholds();
        self.check_fields();
        self.check_meetings();
        self.check_rules();
        self.check_ids();
        self.check_go_count();
    }

    fn report(&mut self, pos: Pos, message: String, hint: Option<String>) {
        let d = Diagnostic::at(self.file, pos, message);
        self.problems.push(match hint {
            Some(h) => d.with_hint(h),
            None => d,
        });
    }

    /// The position of a top-level key, for problems about a whole section.
    fn key_pos(&self, key: &str) -> Pos {
        key_line(self.text, key)
    }

    /// Where threshold `name` is written: its key, else the `thresholds:` line.
    fn threshold_pos(&self, name: &str) -> Pos {
        self.tree
            .and_then(threshold_entries)
            .and_then(|entries| {
                entries
                    .iter()
                    .find(|(key, _)| key.value == Value::Str(name.into()))
                    .map(|(key, _)| key.pos)
            })
            .unwrap_or_else(|| self.key_pos("thresholds"))
    }

    fn check_thresholds(&mut self) {
        for (name, value) in &self.framework.thresholds {
            if name == VENDOR {
                let pos = self.threshold_pos(name);
                let message = "阈值不能叫 vendor：{vendor} 是文字里的对方名称".to_string();
                self.report(pos, message, None);
            }
            if !value.is_finite() {
                let pos = self.threshold_pos(name);
                self.report(pos, format!("阈值「{name}」应为有限数字"), None);
            }
        }
    }

    /// `fields:` labels every field of the proposal format and declares every fact.
    fn check_fields(&mut self) {
        let fields = &self.framework.fields;
        for (key, field) in fields.iter() {
            if fields::FORMAT_SECTIONS.contains(&section_of(&key.value)) {
                self.check_format_field(key, field);
            } else {
                self.check_fact(key, field);
            }
        }
        for key in fields::FORMAT_FIELDS {
            if fields.get(key).is_none() {
                let pos = self.key_pos("fields");
                self.report(
                    pos,
                    format!("fields 缺少提案字段「{key}」的标签和说明"),
                    None,
                );
            }
        }
    }

    fn check_format_field(&mut self, key: &Located<String>, field: &Field) {
        if !fields::FORMAT_FIELDS.contains(&key.value.as_str()) {
            let hint = suggestion(&key.value, &fields::FORMAT_FIELDS);
            let message = format!("fields 中的「{}」不是提案格式的字段", key.value);
            self.report(key.pos, message, Some(hint));
        } else if let Some(ty) = &field.ty {
            let message = format!(
                "「{}」是提案格式自带的字段，不是事实：不能写 type",
                key.value
            );
            self.report(ty.pos, message, None);
        }
    }

    /// A fact is `section.name` (lowercase letters, digits, `_`) with a type, and what its
    /// type needs: both phrases for a bool, a sensible range for a number.
    fn check_fact(&mut self, key: &Located<String>, field: &Field) {
        let well_formed = key
            .value
            .split_once('.')
            .is_some_and(|(section, name)| is_name(section) && is_name(name));
        if !well_formed {
            let message = format!(
                "事实「{}」应写成「部分.名称」，两段都只用小写字母、数字和 _（例如 data.in_china）",
                key.value
            );
            self.report(key.pos, message, None);
        }
        let Some(ty) = &field.ty else {
            let message = format!("事实「{}」需要 type: bool 或 type: number", key.value);
            let hint = format!(
                "提案格式自带的部分只有 {}；其余部分的字段都是事实",
                fields::FORMAT_SECTIONS.join("、")
            );
            self.report(key.pos, message, Some(hint));
            return;
        };
        match ty.value {
            FactType::Bool => {
                if field.when_true.is_none() || field.when_false.is_none() {
                    let message = format!(
                        "布尔事实「{}」需要 when_true 和 when_false 两种表述",
                        key.value
                    );
                    self.report(key.pos, message, None);
                }
                for bound in [&field.min, &field.max, &field.warn_above]
                    .into_iter()
                    .flatten()
                {
                    let message = format!("布尔事实「{}」不能有 min / max / warn_above", key.value);
                    self.report(bound.pos, message, None);
                }
            }
            FactType::Number => {
                if let (Some(min), Some(max)) = (&field.min, &field.max)
                    && min.value > max.value
                {
                    let message = format!(
                        "数字事实「{}」的 min（{}）大于 max（{}）",
                        key.value,
                        placeholders::format_number(min.value),
                        placeholders::format_number(max.value)
                    );
                    self.report(min.pos, message, None);
                }
                for bound in [&field.min, &field.max].into_iter().flatten() {
                    if !bound.value.is_finite() {
                        let message = format!("数字事实「{}」的 min / max 应为有限数字", key.value);
                        self.report(bound.pos, message, None);
                    }
                }
            }
        }
    }

    /// The meetings table and chart show declared facts; a chart plots numbers only.
    fn check_meetings(&mut self) {
        let meetings = &self.framework.meetings;
        for key in meetings.columns.iter().chain(&meetings.charts) {
            self.check_fact_name(key, "meetings 列出了不存在的事实");
        }
        for key in &meetings.charts {
            if self
                .framework
                .fields
                .fact(&key.value)
                .and_then(Field::fact_type)
                == Some(FactType::Bool)
            {
                let message = format!("meetings.charts 只能画数字事实，「{}」是布尔值", key.value);
                self.report(key.pos, message, None);
            }
        }
    }

    /// Reports a fact name that `fields:` does not declare (`what` says who names it); true
    /// when it is declared.
    fn check_fact_name(&mut self, key: &Located<String>, what: &str) -> bool {
        let declared = self.framework.fields.get(&key.value).is_some()
            && !fields::FORMAT_SECTIONS.contains(&section_of(&key.value));
        if declared {
            // A declaration without its type is reported there.
            return true;
        }
        let keys = self.framework.fields.facts().map(|(k, _)| k);
        let declare = "事实要先在 fields 中声明（type: bool 或 type: number）";
        let hint = match nearest(&key.value, keys) {
            Some(best) => format!("{}{declare}", did_you_mean(&[best])),
            None => declare.to_string(),
        };
        self.report(key.pos, format!("{what}「{}」", key.value), Some(hint));
        false
    }

    fn check_rules(&mut self) {
        let fw = self.framework;
        let conditions = fw
            .go
            .rules
            .iter()
            .chain(&fw.preconditions.bonus.items)
            .map(|r| &r.when)
            .chain(fw.no_go.rules.iter().map(|r| &r.when))
            .chain(fw.preconditions.deal_breakers.rules.iter().map(|r| &r.when))
            .chain(
                fw.directions
                    .iter()
                    .filter_map(|d| d.accept.as_ref().map(|a| &a.when)),
            )
            .chain(
                fw.red_lines
                    .iter()
                    .flat_map(|g| &g.items)
                    .filter_map(|r| r.when.as_ref()),
            );
        for condition in conditions {
            self.check_condition(condition);
        }
        for item in fw.red_lines.iter().flat_map(|g| &g.items) {
            if item.id.is_some() != item.when.is_some() {
                let pos = item
                    .id
                    .as_ref()
                    .map_or(self.key_pos("red_lines"), |id| id.pos);
                let message = format!("红线「{}」的 id 和 when 要么都写，要么都不写", item.text);
                self.report(pos, message, None);
            }
        }
    }

    fn check_condition(&mut self, condition: &Condition) {
        for leaf in condition.leaves() {
            if self.is_alias(leaf.fact.pos) {
                // A condition named with `&name` and used again as `*name`: checked, and
                // reported, where it is written.
                continue;
            }
            if !self.check_fact_name(&leaf.fact, "规则引用了不存在的事实") {
                continue;
            }
            let key = leaf.fact.value.as_str();
            let Some(ty) = self.framework.fields.fact(key).and_then(Field::fact_type) else {
                continue;
            };
            match (ty, &leaf.value.value) {
                (FactType::Bool, Operand::Bool(_)) => {
                    if !matches!(leaf.op.value, Op::Eq | Op::Ne) {
                        self.report(
                            leaf.op.pos,
                            format!(
                                "布尔事实「{key}」只能用 eq 或 ne 比较，不能用 {}",
                                leaf.op.value.name()
                            ),
                            None,
                        );
                    }
                }
                (FactType::Number, Operand::Number(_)) => {}
                (FactType::Number, Operand::Threshold(name)) => {
                    self.check_threshold_name(name, leaf.value.pos)
                }
                (FactType::Bool, other) => self.report(
                    leaf.value.pos,
                    format!(
                        "事实「{key}」是布尔值，只能与 true / false 比较，实际是{}",
                        operand_text(other)
                    ),
                    None,
                ),
                (FactType::Number, Operand::Bool(b)) => self.report(
                    leaf.value.pos,
                    format!("事实「{key}」是数字，只能与数字或阈值名称比较，实际是 {b}"),
                    None,
                ),
            }
        }
    }

    /// Whether the text at `pos` is a YAML alias (`*name`): what it stands for was read at
    /// its anchor.
    fn is_alias(&self, pos: Pos) -> bool {
        let line = self.text.lines().nth(pos.line.saturating_sub(1) as usize);
        line.and_then(|l| l.chars().nth(pos.col.saturating_sub(1) as usize)) == Some('*')
    }

    fn check_threshold_name(&mut self, name: &str, pos: Pos) {
        if !self.framework.thresholds.contains_key(name) {
            let names: Vec<&str> = self
                .framework
                .thresholds
                .keys()
                .map(String::as_str)
                .collect();
            let hint = suggestion(name, &names);
            self.report(pos, format!("规则引用了未定义的阈值「{name}」"), Some(hint));
        }
    }

    fn check_ids(&mut self) {
        let fw = self.framework;
        let unprefixed: Vec<&Located<String>> = fw
            .go
            .rules
            .iter()
            .map(|r| &r.id)
            .chain(fw.preconditions.deal_breakers.rules.iter().map(|r| &r.id))
            .collect();
        let groups: [(&str, Vec<&Located<String>>); 9] = [
            ("No Go 规则", fw.no_go.rules.iter().map(|r| &r.id).collect()),
            ("红线", fw.judged_red_lines().map(|(id, ..)| id).collect()),
            ("Go 条件和前提条件", unprefixed),
            (
                "加分条件",
                fw.preconditions.bonus.items.iter().map(|r| &r.id).collect(),
            ),
            ("合作方向", fw.directions.iter().map(|d| &d.id).collect()),
            ("评估阶段", fw.phases.iter().map(|p| &p.id).collect()),
            ("行动清单", fw.actions.iter().map(|a| &a.id).collect()),
            ("问题", fw.question_items().map(|(_, q)| &q.id).collect()),
            (
                "会后评估清单",
                fw.checklist_items().map(|(_, c)| &c.id).collect(),
            ),
        ];
        for (what, ids) in groups {
            self.check_unique(what, &ids);
        }
        // Go conditions and deal breakers are named bare in `unmet` and `unknown`, beside the
        // prefixed ids of the other groups: a bare id must not look like one of those.
        for id in fw
            .go
            .rules
            .iter()
            .map(|r| &r.id)
            .chain(fw.preconditions.deal_breakers.rules.iter().map(|r| &r.id))
        {
            let reserved = ["no_go.", "red_line.", "bonus."]
                .iter()
                .any(|prefix| id.value.starts_with(prefix))
                || id.value.ends_with(".accept");
            if reserved {
                let message = format!(
                    "id「{}」与其他规则的写法（no_go.、red_line.、bonus. 开头或 .accept 结尾）冲突",
                    id.value
                );
                self.report(id.pos, message, None);
            }
        }
    }

    fn check_unique(&mut self, what: &str, ids: &[&Located<String>]) {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for id in ids {
            let valid = !id.value.is_empty()
                && id
                    .value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
            if !valid {
                let message = format!("{what}的 id「{}」只能由字母、数字、_ 和 . 组成", id.value);
                self.report(id.pos, message, None);
            } else if !seen.insert(&id.value) {
                self.report(id.pos, format!("{what}的 id「{}」重复了", id.value), None);
            }
        }
    }

    fn check_go_count(&mut self) {
        let min = &self.framework.go.min_met;
        match self.framework.threshold(&min.value) {
            None => self.check_threshold_name(&min.value, min.pos),
            Some(n) => {
                let rules = self.framework.go.rules.len();
                if n.fract() != 0.0 || n < 1.0 || n > rules as f64 {
                    let message = format!(
                        "Go 条件至少满足的条数（阈值「{}」= {n}）应为 1 到 {rules} 之间的整数",
                        min.value
                    );
                    self.report(min.pos, message, None);
                }
            }
        }
    }
}

/// A name of `fields:` and of a fact's section: lowercase ASCII letters, digits and `_`.
fn is_name(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn operand_text(operand: &Operand) -> String {
    match operand {
        Operand::Bool(b) => format!(" {b}"),
        Operand::Number(n) => format!(" {}", placeholders::format_number(*n)),
        Operand::Threshold(name) => format!("阈值「{name}」"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../content/framework.yaml");
    const FILE: &str = "content/framework.yaml";

    /// The shipped framework with `from` replaced by `to` once, and the position (1-based line,
    /// column in characters) of `to` in the edited text.
    fn edited(from: &str, to: &str) -> (String, Pos) {
        assert!(SHIPPED.contains(from), "the shipped framework has {from}");
        let text = SHIPPED.replacen(from, to, 1);
        let at = text.find(to).expect("the edit is in the text");
        let line = text[..at].matches('\n').count() + 1;
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let col = text[line_start..at].chars().count() + 1;
        (text, Pos::new(line as u32, col as u32))
    }

    fn errors(text: &str) -> Vec<Diagnostic> {
        parse_framework(Path::new(FILE), text).expect_err("the framework is invalid")
    }

    #[test]
    fn reads_the_thresholds_and_fills_them_in() {
        let framework = parse_framework(Path::new(FILE), SHIPPED).expect("shipped is valid");
        assert_eq!(framework.thresholds.get("cost_go"), Some(&30.0));
        let tree = yaml::parse_tree(Path::new(FILE), SHIPPED).expect("YAML");
        assert_eq!(thresholds_in(&tree).as_ref(), Some(&framework.thresholds));
        let read = format!("{framework:?}");
        assert!(read.contains("提供 20% 成本优惠"), "placeholders filled in");
        assert!(
            !read.contains("{cost_no_go}"),
            "every placeholder filled in"
        );
    }

    #[test]
    fn an_error_after_a_placeholder_is_at_the_written_column() {
        // "{cost_no_go}" is ten characters longer than the "20" it becomes, on the same line.
        let (text, pos) = edited("attitude: 不够", "attitud: 不够");
        let found = errors(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].pos, Some(pos), "{}", found[0].message);
        assert!(found[0].message.contains("attitud"), "{}", found[0].message);
    }

    #[test]
    fn a_placeholder_where_yaml_reads_a_mapping_is_refused() {
        // As a rule's value: filled in, it would be the number 30, not the threshold.
        let rule = "{ fact: terms.cost_reduction_pct, op: ge, value: cost_go }";
        let (text, rule_at) = edited(
            rule,
            "{ fact: terms.cost_reduction_pct, op: ge, value: {cost_go} }",
        );
        let col = rule.find("cost_go }").expect("the value") as u32 + rule_at.col;
        let found = errors(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].pos,
            Some(Pos::new(rule_at.line, col)),
            "{}",
            found[0].message
        );
        assert!(
            found[0].message.contains("只能写在文字里"),
            "{}",
            found[0].message
        );
        assert!(
            found[0]
                .hint
                .as_deref()
                .is_some_and(|h| h.starts_with("规则的 value 直接写阈值名称")),
            "{found:?}"
        );

        // A text that starts with one is not YAML as written: the written text's error, with
        // the text quoted in the hint.
        let (text, pos) = edited("attitude: 不够", "attitude: {cost_go}% 不够");
        let found = errors(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].pos.map(|p| p.line), Some(pos.line), "{found:?}");
        assert_eq!(
            found[0].hint.as_deref(),
            Some("以占位符开头的文字要整段加引号：attitude: \"{cost_go}% 不够\""),
            "{found:?}"
        );
    }

    #[test]
    fn only_a_text_that_starts_with_a_placeholder_outside_quotes_is_one() {
        fn found(line: &str) -> Option<(&str, &str)> {
            unquoted_placeholder_text(line).map(|(key, text)| (key, &line[text]))
        }
        assert_eq!(
            found("  position: {vendor} 方案 # 注"),
            Some(("position:", "{vendor} 方案"))
        );
        assert_eq!(
            found("      - {vendor}渠道推广"),
            Some(("-", "{vendor}渠道推广"))
        );
        assert_eq!(
            found("  list: [{vendor}渠道, 其他]"),
            Some(("", "{vendor}渠道"))
        );
        assert_eq!(
            found("- { offer: \"{cost_no_go}%\", attitude: {cost_go}% 不够, x: y }"),
            Some(("attitude:", "{cost_go}% 不够"))
        );
        assert_eq!(found("  label: \"联合营销资源: {vendr}渠道推广\""), None);
        assert_eq!(found("  text: 不接受只使用-{vendr}模型"), None);
        assert_eq!(found("  text: 不接受{vendor}模型"), None);
    }

    #[test]
    fn a_list_item_that_starts_with_a_placeholder_is_shown_quoted() {
        let (text, _) = edited("- \"{vendor}渠道推广\"", "- {vendor}渠道推广");
        let found = errors(&text);
        let hints: Vec<_> = found.iter().filter_map(|d| d.hint.as_deref()).collect();
        assert_eq!(
            hints,
            ["以占位符开头的文字要整段加引号：- \"{vendor}渠道推广\""],
            "{found:?}"
        );
    }

    #[test]
    fn an_unknown_placeholder_and_another_problem_are_reported_together() {
        let (text, typo) = edited("attitude: 不够", "attitud: 不够");
        let text = text.replacen("{cost_go}", "{cost_goo}", 1);
        let found = errors(&text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.iter().any(|d| d.message.contains("cost_goo")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|d| d.pos == Some(typo) && d.message.contains("attitud")),
            "{found:?}"
        );
    }

    #[test]
    fn facts_are_declared_with_a_type_and_what_it_needs() {
        // (edit from, edit to, what the one error says)
        let cases: [(&str, &str, &str); 9] = [
            (
                "terms.exclusive: { label: 排他性条款, type: bool, ",
                "terms.exclusive: { label: 排他性条款, ",
                "事实「terms.exclusive」需要 type: bool 或 type: number",
            ),
            (
                "type: bool, when_true: 有排他性条款, when_false: 无排他性条款,",
                "type: bool, when_true: 有排他性条款,",
                "布尔事实「terms.exclusive」需要 when_true 和 when_false 两种表述",
            ),
            (
                "label: 排他性条款, type: bool,",
                "label: 排他性条款, type: bool, min: 0,",
                "布尔事实「terms.exclusive」不能有 min / max / warn_above",
            ),
            (
                "type: number, min: 0, max: 3600, warn_above: 60, unit: s,",
                "type: number, min: 9, max: 1, warn_above: 60, unit: s,",
                "数字事实「poc.latency_s」的 min（9）大于 max（1）",
            ),
            (
                "title: { label: 提案概要, ",
                "title: { label: 提案概要, type: bool, ",
                "「title」是提案格式自带的字段，不是事实：不能写 type",
            ),
            (
                "meeting.notes: { label",
                "meeting.note: { label",
                "fields 中的「meeting.note」不是提案格式的字段",
            ),
            (
                "bonus.enablement: {",
                "Bonus.enablement: {",
                "事实「Bonus.enablement」应写成「部分.名称」",
            ),
            (
                "charts: [terms.cost_reduction_pct,",
                "charts: [terms.exclusive,",
                "meetings.charts 只能画数字事实，「terms.exclusive」是布尔值",
            ),
            (
                "{ fact: terms.exclusive, op: eq, value: false }",
                "{ fact: terms.exclusive, op: eq, value: cost_go }",
                "事实「terms.exclusive」是布尔值，只能与 true / false 比较，实际是阈值「cost_go」",
            ),
        ];
        for (from, to, expected) in cases {
            let (text, at) = edited(from, to);
            let found = errors(&text);
            let missing_label = found.iter().all(|d| d.message.contains("缺少"));
            let hit = found.iter().find(|d| d.message.contains(expected));
            let hit = hit.unwrap_or_else(|| panic!("{expected}: {found:?}"));
            assert_eq!(hit.pos.map(|p| p.line), Some(at.line), "{expected}");
            // One problem, or (a misspelt format field) that one and the field it lacks now.
            assert!(
                found.len() == 1 || (found.len() == 2 && !missing_label),
                "{expected}: {found:?}"
            );
        }
    }

    #[test]
    fn a_rule_on_an_undeclared_fact_names_the_nearest_declared_one() {
        let (text, at) = edited(
            "{ fact: terms.resource_swap, op: eq, value: true }",
            "{ fact: terms.resource_swaps, op: eq, value: true }",
        );
        let found = errors(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].pos.map(|p| p.line), Some(at.line));
        assert_eq!(
            found[0].message,
            "规则引用了不存在的事实「terms.resource_swaps」"
        );
        assert!(
            found[0]
                .hint
                .as_deref()
                .is_some_and(|h| h.starts_with("是不是想写「terms.resource_swap」？")),
            "{found:?}"
        );
    }

    #[test]
    fn an_error_inside_a_named_condition_is_reported_once_where_it_is_written() {
        // tech_validation's condition is used again (`*tech_validation`) by a direction.
        let (text, at) = edited(
            "- { fact: poc.compatible, op: eq, value: true }",
            "- { fact: poc.compatibel, op: eq, value: true }",
        );
        let found = errors(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].pos.map(|p| p.line), Some(at.line));
    }

    #[test]
    fn a_bare_id_may_not_look_like_another_groups_and_a_condition_list_is_not_empty() {
        let (text, at) = edited("- id: cost_30", "- id: compute.accept");
        let found = errors(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].pos.map(|p| p.line), Some(at.line));
        assert!(found[0].message.contains("冲突"), "{found:?}");
        let (text, at) = edited(
            "when: { fact: terms.joint_marketing, op: eq, value: true }",
            "when: { all: [] }",
        );
        let found = errors(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].pos.map(|p| p.line), Some(at.line));
        assert_eq!(found[0].message, "all / any 的条件列表不能为空");
    }

    #[test]
    fn a_framework_without_meetings_lists_and_charts_nothing() {
        let start = SHIPPED.find("\nmeetings:").expect("meetings:");
        let end = start + SHIPPED[start + 1..].find("\n\n").expect("its end") + 1;
        let text = format!("{}{}", &SHIPPED[..start], &SHIPPED[end..]);
        let framework = parse_framework(Path::new(FILE), &text).expect("valid without it");
        assert!(framework.meetings.columns.is_empty() && framework.meetings.charts.is_empty());
    }

    #[test]
    fn no_threshold_may_be_called_vendor() {
        let (text, _) = edited("go_required: 3 ", "go_required: 3\n  vendor: 1 ");
        let found = errors(&text);
        let vendor = found
            .iter()
            .find(|d| d.message.contains("阈值不能叫 vendor"))
            .unwrap_or_else(|| panic!("{found:?}"));
        // At its own key, not at `thresholds:`.
        let line = text
            .lines()
            .position(|l| l.starts_with("  vendor: 1"))
            .unwrap() as u32
            + 1;
        assert_eq!(vendor.pos, Some(Pos::new(line, 3)), "{vendor:?}");
    }

    #[test]
    fn thresholds_that_are_not_numbers_are_reported_at_their_line() {
        let (text, pos) = edited("cost_go: 30 ", "cost_go: 三十 ");
        let tree = yaml::parse_tree(Path::new(FILE), &text).expect("YAML");
        assert_eq!(thresholds_in(&tree), None);
        let found = errors(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].pos.map(|p| p.line), Some(pos.line), "{found:?}");
    }
}
