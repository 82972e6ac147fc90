//! Rule conditions as data: `all` / `any` / `not`, and leaves `{ fact, op, value }`.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::location::Located;
use crate::translate::yaml::OWN_MESSAGE;

/// A condition over the facts of a proposal.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Leaf(Leaf),
}

/// `fact op value`, for instance `terms.cost_reduction_pct ge cost_go`.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    pub fact: Located<String>,
    pub op: Located<Op>,
    pub value: Located<Operand>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Ge => "≥",
            Op::Eq => "=",
            Op::Ne => "≠",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Op::Lt => "lt",
            Op::Le => "le",
            Op::Gt => "gt",
            Op::Ge => "ge",
            Op::Eq => "eq",
            Op::Ne => "ne",
        }
    }
}

/// The right-hand side of a leaf: a literal, or the name of a threshold.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Bool(bool),
    Number(f64),
    Threshold(String),
}

impl Condition {
    /// Every leaf, depth first.
    pub fn leaves(&self) -> Vec<&Leaf> {
        match self {
            Condition::All(items) | Condition::Any(items) => {
                items.iter().flat_map(Condition::leaves).collect()
            }
            Condition::Not(inner) => inner.leaves(),
            Condition::Leaf(leaf) => vec![leaf],
        }
    }
}

const CONDITION_KEYS: &[&str] = &["all", "any", "not", "fact", "op", "value"];

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ConditionVisitor)
    }
}

struct ConditionVisitor;

impl<'de> Visitor<'de> for ConditionVisitor {
    type Value = Condition;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a condition: {all: [...]}, {any: [...]}, {not: ...} or {fact, op, value}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Condition, A::Error> {
        let mut combinator: Option<Condition> = None;
        let mut fact = None;
        let mut op = None;
        let mut value = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "all" => combinator = Some(Condition::All(non_empty(map.next_value()?)?)),
                "any" => combinator = Some(Condition::Any(non_empty(map.next_value()?)?)),
                "not" => combinator = Some(Condition::Not(Box::new(map.next_value()?))),
                "fact" => fact = Some(map.next_value()?),
                "op" => op = Some(map.next_value()?),
                "value" => value = Some(map.next_value()?),
                other => return Err(de::Error::unknown_field(other, CONDITION_KEYS)),
            }
        }
        match (combinator, fact, op, value) {
            (Some(c), None, None, None) => Ok(c),
            (None, Some(fact), Some(op), Some(value)) => {
                Ok(Condition::Leaf(Leaf { fact, op, value }))
            }
            (Some(_), ..) => Err(de::Error::custom(format!(
                "{OWN_MESSAGE}条件要么是 all / any / not 之一，要么是 fact、op、value 叶子，不能混写"
            ))),
            _ => Err(de::Error::custom(format!(
                "{OWN_MESSAGE}条件叶子需要 fact、op、value 三个键（例如 {{ fact: 部分.名称, op: eq, value: true }}）"
            ))),
        }
    }
}

/// `all: []` would always hold and `any: []` never: a list of conditions has at least one.
fn non_empty<E: de::Error>(items: Vec<Condition>) -> Result<Vec<Condition>, E> {
    if items.is_empty() {
        Err(E::custom(format!(
            "{OWN_MESSAGE}all / any 的条件列表不能为空"
        )))
    } else {
        Ok(items)
    }
}

impl<'de> Deserialize<'de> for Operand {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OperandVisitor)
    }
}

struct OperandVisitor;

impl Visitor<'_> for OperandVisitor {
    type Value = Operand;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, true / false, or a threshold name")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Operand, E> {
        Ok(Operand::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Operand, E> {
        Ok(Operand::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Operand, E> {
        Ok(Operand::Number(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Operand, E> {
        if v.is_finite() {
            Ok(Operand::Number(v))
        } else {
            Err(E::custom(format!(
                "{OWN_MESSAGE}规则的值应为有限数字，实际是 {v}"
            )))
        }
    }
    fn visit_str<E>(self, v: &str) -> Result<Operand, E> {
        Ok(Operand::Threshold(v.to_string()))
    }
}
