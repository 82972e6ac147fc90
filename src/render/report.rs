//! What every evaluation report shows, whatever its format: the inputs, the provenance line and
//! the words for results.

use std::fmt::Write as _;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::diag::Warning;
use crate::judge::condition::display_fact;
use crate::judge::judgement::{Judgement, Observation, RuleOutcome, Verdict};
use crate::judge::tri::Tri;
use crate::model::date::Date;
use crate::model::framework::Framework;
use crate::model::proposal::Proposal;

/// One proposal in a build: the name of its report (its file's stem) and where it came from.
pub struct Meeting<'a> {
    pub name: String,
    pub path: &'a Path,
    pub proposal: &'a Proposal,
    /// The SHA-256 of the proposal file, as read.
    pub digest: [u8; 32],
    pub provenance: Provenance,
}

pub struct ReportInput<'a> {
    pub framework: &'a Framework,
    pub proposal: &'a Proposal,
    pub judgement: &'a Judgement<'a>,
    pub provenance: &'a Provenance,
    /// What changed since the vendor's meeting before, when there was one.
    pub since: Option<SinceLast>,
}

/// Where a report came from: re-running `sha256sum` on the files gives the same prefixes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Provenance {
    pub version: &'static str,
    pub framework_hash: String,
    pub proposal_hash: String,
    pub build_date: Date,
}

impl Provenance {
    pub fn new(framework_bytes: &[u8], proposal_bytes: &[u8], build_date: Date) -> Self {
        Self::of_digests(
            &Sha256::digest(framework_bytes).into(),
            &Sha256::digest(proposal_bytes).into(),
            build_date,
        )
    }

    /// From the SHA-256 digests of the two files.
    pub fn of_digests(framework: &[u8; 32], proposal: &[u8; 32], build_date: Date) -> Self {
        Provenance {
            version: env!("CARGO_PKG_VERSION"),
            framework_hash: short_hash(framework),
            proposal_hash: short_hash(proposal),
            build_date,
        }
    }
}

/// The first 12 hex digits of a SHA-256 digest.
fn short_hash(digest: &[u8; 32]) -> String {
    hex(&digest[..6])
}

/// Bytes as lowercase hexadecimal digits.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The build date: `SOURCE_DATE_EPOCH` when set, else the newest date the sources carry
/// (never the clock, so the same sources give the same reports).
/// (`build` refuses an invalid `SOURCE_DATE_EPOCH` before it renders anything.)
pub fn build_date(framework: &Framework, proposals: &[&Proposal]) -> Date {
    match Date::source_date_epoch().ok().flatten() {
        Some(date) => date,
        None => proposals
            .iter()
            .map(|p| p.date.value)
            .chain([framework.meta.updated])
            .max()
            .unwrap_or(framework.meta.updated),
    }
}

/// The proposal's warnings as a report says them: "第 38 行：「…」是 0.32，看起来是小数…".
/// The verdict was reached on the values as written, so a reader of the report alone must
/// see that one of them is probably a slip.
pub fn warning_lines(proposal: &Proposal) -> Vec<String> {
    proposal
        .warnings
        .iter()
        .map(|Warning(w)| match w.pos {
            Some(pos) => format!("第 {} 行：{}", pos.line, w.message),
            None => w.message.clone(),
        })
        .collect()
}

/// The heading of those lines.
pub const WARNINGS_TITLE: &str = "提案中可能写错的值（结论按写下的值判定，请核对）";

pub fn phase_title(framework: &Framework, id: &str) -> String {
    framework
        .phases
        .iter()
        .find(|p| p.id.value == id)
        .map_or_else(|| id.to_string(), |p| p.title.clone())
}

/// How a rule's result reads for the proposal: good news, bad news, to find out, or beside
/// the point (a rule that does not apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    Unknown,
    NotApplicable,
}

impl Tone {
    pub fn of(rule: &RuleOutcome) -> Tone {
        match (rule.applies, rule.result, rule.group.is_alarm()) {
            (false, ..) => Tone::NotApplicable,
            (true, Tri::Unknown, _) => Tone::Unknown,
            (true, Tri::True, false) | (true, Tri::False, true) => Tone::Good,
            _ => Tone::Bad,
        }
    }

    /// The CSS class suffix (`tone-good`).
    pub fn css(self) -> &'static str {
        match self {
            Tone::Good => "good",
            Tone::Bad => "bad",
            Tone::Unknown => "unknown",
            Tone::NotApplicable => "na",
        }
    }
}

/// How a rule a direction needs stands: "满足 / 不满足 / 未知", and for a No-Go rule or red
/// line still unknown "尚未确认不成立" (what the direction needs is that it does not hold).
pub fn need_word(rule: &RuleOutcome) -> &'static str {
    if rule.is_alarm() && rule.result == Tri::Unknown {
        "尚未确认不成立"
    } else {
        result_word(rule)
    }
}

/// "触发 / 未触发" for No-Go rules and red lines, "满足 / 不满足" for the others, "不适用"
/// for a rule that does not apply to the proposal.
pub fn result_word(rule: &RuleOutcome) -> &'static str {
    if !rule.applies {
        return "不适用";
    }
    match (rule.result, rule.group.is_alarm()) {
        (Tri::Unknown, _) => "未知",
        (Tri::True, true) => "触发",
        (Tri::False, true) => "未触发",
        (Tri::True, false) => "满足",
        (Tri::False, false) => "不满足",
    }
}

/// "成本降低：35%（第 18 行）、PoC 验证延迟：未知": the facts behind a rule.
pub fn facts_text(observed: &[Observation]) -> String {
    let mut out = String::new();
    for (i, o) in observed.iter().enumerate() {
        if i > 0 {
            out.push('、');
        }
        // Writing to a String cannot fail.
        let value = o.value.as_deref().unwrap_or("未知");
        let _ = match o.line {
            Some(line) => write!(out, "{}：{value}（第 {line} 行）", o.label),
            None => write!(out, "{}：{value}", o.label),
        };
    }
    out
}

/// "35%；未知": the values behind a rule, as the rules table shows them.
pub fn observed_values(observed: &[Observation]) -> String {
    let mut out = String::new();
    for (i, o) in observed.iter().enumerate() {
        if i > 0 {
            out.push('；');
        }
        out.push_str(o.value.as_deref().unwrap_or("未知"));
    }
    out
}

/// "2026-02-05-aliyun-review.yaml:23、24", or "—" when no fact was written down: where a
/// rule's facts came from (one proposal file, so it is named once), lines in order.
pub fn source_lines(observed: &[Observation]) -> String {
    let Some(file) = observed.iter().find_map(|o| o.file.as_deref()) else {
        return "—".to_string();
    };
    let mut lines: Vec<u32> = observed.iter().filter_map(|o| o.line).collect();
    lines.sort_unstable();
    lines.dedup();
    let lines: Vec<String> = lines.iter().map(u32::to_string).collect();
    format!("{file}:{}", lines.join("、"))
}

/// "Go 条件「迁移成本低（< 2 人周）」（要求：迁移工作量 < 2 人周）", without the bracket when
/// the label already says it.
pub fn rule_words(rule: &RuleOutcome) -> String {
    if rule.threshold == rule.label {
        format!("{}「{}」", rule.group.label(), rule.label)
    } else {
        format!(
            "{}「{}」（要求：{}）",
            rule.group.label(),
            rule.label,
            rule.threshold
        )
    }
}

/// The first line of 判定理由 when nothing triggered: the Go count, and how many No-Go rules
/// and red lines are still to confirm.
pub fn reasons_line(j: &Judgement) -> String {
    let unconfirmed = j.unconfirmed_alarms();
    let alarms = if unconfirmed == 0 {
        "未触发任何 No Go 条件或红线。".to_string()
    } else {
        format!(
            "未触发任何 No Go 条件或红线，但有 {unconfirmed} 条尚未确认（确认不成立之前不能推进）。"
        )
    };
    format!(
        "{alarms}Go 条件满足 {} 条，至少需要 {} 条。",
        j.go_met, j.go_required
    )
}

/// A fact or a rule that changed since the vendor's meeting before.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Change {
    pub label: String,
    pub before: String,
    pub after: String,
}

/// "Since the last meeting with this vendor": its date and verdict, the facts that moved
/// and the rules whose result reads differently. The same in the HTML and the PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct SinceLast {
    /// The earlier meeting's report name.
    pub name: String,
    pub date: Date,
    pub verdict: Verdict,
    pub facts: Vec<Change>,
    pub rules: Vec<Change>,
}

/// What changed from `prev` (judged `prev_j`, its report `prev_name`) to `now` (judged `j`).
pub fn since_last(
    fw: &Framework,
    prev_name: &str,
    prev: &Proposal,
    prev_j: &Judgement,
    now: &Proposal,
    j: &Judgement,
) -> SinceLast {
    let show = |p: &Proposal, key: &str| {
        p.fact(key)
            .map_or_else(|| "未知".to_string(), |value| display_fact(fw, key, value))
    };
    let facts = fw
        .fields
        .facts()
        .filter(|(key, _)| prev.fact(key) != now.fact(key))
        .map(|(key, field)| Change {
            label: field.label.clone(),
            before: show(prev, key),
            after: show(now, key),
        })
        .collect();
    let rules = j
        .rules
        .iter()
        .filter_map(|r| {
            let before = prev_j.rule(&r.id)?;
            let (was, is) = (result_word(before), result_word(r));
            // Compared as read: a rule that does not apply either time has not changed.
            (was != is).then(|| Change {
                label: format!("{}「{}」", r.group.label(), r.label),
                before: was.to_string(),
                after: is.to_string(),
            })
        })
        .collect();
    SinceLast {
        name: prev_name.to_string(),
        date: prev.date.value,
        verdict: prev_j.verdict,
        facts,
        rules,
    }
}

/// The judgement's verdict words, for a summary line.
pub fn verdict_line(judgement: &Judgement) -> String {
    format!(
        "{} · {} · {}",
        judgement.vendor,
        judgement.date,
        judgement.verdict.label()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(label: &'static str, value: Option<&str>, line: Option<u32>) -> Observation<'static> {
        Observation {
            fact: label.into(),
            label: label.into(),
            value: value.map(str::to_string),
            file: line.map(|_| "a.yaml".to_string()),
            line,
        }
    }

    #[test]
    fn facts_values_and_lines_are_worded_and_joined() {
        let observed = [
            seen("成本降低", Some("35%"), Some(18)),
            seen("排他", Some("否"), None),
            seen("PoC 验证延迟", None, Some(23)),
        ];
        assert_eq!(
            facts_text(&observed),
            "成本降低：35%（第 18 行）、排他：否、PoC 验证延迟：未知（第 23 行）"
        );
        assert_eq!(observed_values(&observed), "35%；否；未知");
        assert_eq!(source_lines(&observed), "a.yaml:18、23");
        let reversed: Vec<_> = observed.iter().rev().cloned().collect();
        assert_eq!(source_lines(&reversed), "a.yaml:18、23", "in line order");
        assert_eq!(source_lines(&observed[1..2]), "—");
        assert_eq!(source_lines(&observed[2..]), "a.yaml:23");
        assert_eq!(
            (facts_text(&[]), observed_values(&[])),
            (String::new(), String::new())
        );
    }

    #[test]
    fn provenance_shows_the_sha256_prefixes() {
        let date = Date {
            year: 2026,
            month: 1,
            day: 20,
        };
        let p = Provenance::new(b"abc", b"", date);
        assert_eq!(p.framework_hash, "ba7816bf8f01");
        assert_eq!(p.proposal_hash, "e3b0c44298fc");
        let digest: [u8; 32] = Sha256::digest(b"abc").into();
        assert_eq!(
            Provenance::of_digests(&digest, &digest, date).proposal_hash,
            "ba7816bf8f01"
        );
    }
}
