//! How the verdict is reached, in words, generated from the framework's rules: the card's
//! 判定规则 and the 六 page's 判定如何组合 show this same text, so neither can say less than the
//! engine judges with (`crate::judge`).

use serde::Serialize;

use crate::judge::condition::describe;
use crate::model::framework::{Framework, Scope};

/// A titled list of conditions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clause {
    pub title: String,
    pub items: Vec<String>,
}

/// No-Go when any condition of `no_go` holds; Go when every clause of `go` holds; else pending.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictRule {
    pub no_go_title: String,
    pub no_go: Vec<Clause>,
    pub go_title: String,
    pub go: Vec<Clause>,
    /// What every other case is.
    pub otherwise: String,
}

pub fn verdict_rule(fw: &Framework) -> VerdictRule {
    let scoped = |scope: Scope| match scope {
        Scope::All => "",
        Scope::MovesBusiness => "（仅判定迁移业务的提案）",
    };
    let no_go = vec![
        Clause {
            title: "No Go 条件".to_string(),
            items: fw
                .no_go
                .rules
                .iter()
                .map(|r| format!("{}{}", r.label, scoped(r.applies_to)))
                .collect(),
        },
        Clause {
            title: "红线".to_string(),
            items: fw
                .judged_red_lines()
                .map(|(_, line, _)| line.text.clone())
                .collect(),
        },
    ];
    let deal_breakers = &fw.preconditions.deal_breakers;
    let moving: Vec<&str> = fw
        .directions
        .iter()
        .filter(|d| d.moves_business)
        .map(|d| d.title.as_str())
        .collect();
    let go = vec![
        Clause {
            title: format!(
                "Go 条件至少满足 {} 条（共 {} 条）",
                fw.go_required(),
                fw.go.rules.len()
            ),
            items: fw.go.rules.iter().map(|r| r.label.clone()).collect(),
        },
        Clause {
            title: if moving.is_empty() {
                "合作前提全部成立（仅对迁移业务的方向）".to_string()
            } else {
                format!(
                    "合作前提全部成立（仅对迁移业务的方向：{}）",
                    moving.join("、")
                )
            },
            items: deal_breakers
                .rules
                .iter()
                .map(|r| labelled(&r.label, &describe(&r.when, fw)))
                .collect(),
        },
        Clause {
            title: "该方向自身的接受条件成立".to_string(),
            items: fw
                .directions
                .iter()
                .map(|d| match &d.accept {
                    Some(accept) => format!("{}：{}", d.title, describe(&accept.when, fw)),
                    None => format!("{}：无额外条件", d.title),
                })
                .collect(),
        },
        Clause {
            title: "每条适用的 No Go 条件和红线都已确认不成立".to_string(),
            items: vec!["任一仍未知（未确认）：还不能推进，结论为待定".to_string()],
        },
    ];
    VerdictRule {
        no_go_title: "不推进（No Go）：以下任一成立".to_string(),
        no_go,
        go_title: "推进（Go）：每个提出的方向都满足以下全部".to_string(),
        go,
        otherwise: "其余情况为待定：报告分列需协商（不成立）和待获取（未知）的条件".to_string(),
    }
}

/// "无绑定条款：无排他性条款 且 无深度绑定", or the label alone when it says it all.
fn labelled(label: &str, condition: &str) -> String {
    if label == condition {
        label.to_string()
    } else {
        format!("{label}：{condition}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::framework_load::parse_framework;
    use std::path::Path;

    #[test]
    fn states_every_part_of_the_rule_the_engine_judges_with() {
        let text = include_str!("../../content/framework.yaml");
        let fw = parse_framework(Path::new("framework.yaml"), text).expect("shipped");
        let rule = verdict_rule(&fw.for_counterparty());
        let no_go: Vec<&String> = rule.no_go.iter().flat_map(|c| &c.items).collect();
        assert_eq!(no_go.len(), 5 + 7, "every No-Go rule and judged red line");
        assert!(no_go.contains(&&"成本降低 < 20%（仅判定迁移业务的提案）".to_string()));
        assert!(no_go.contains(&&"不接受只使用阿里云模型".to_string()));
        assert!(!no_go.iter().any(|t| t.contains("技术中立")), "a principle");
        assert_eq!(rule.go[0].title, "Go 条件至少满足 3 条（共 6 条）");
        assert!(
            rule.go[1]
                .items
                .contains(&"无绑定条款：无排他性条款 且 无深度绑定".to_string()),
            "{:?}",
            rule.go[1]
        );
        assert!(
            rule.go[2].items.contains(
                &"成为主要模型提供商：成本降低 > 40% 且 合作前提「技术验证通过」 且 接受多供应商策略"
                    .to_string()
            ),
            "{:?}",
            rule.go[2]
        );
        assert!(
            rule.go[2]
                .items
                .contains(&"联合解决方案 / 战略合作：无额外条件".to_string())
        );
        assert!(rule.go[3].items[0].contains("未确认"));
    }
}
