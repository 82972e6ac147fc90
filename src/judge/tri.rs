//! Three-valued (Kleene) logic: a rule is true, false, or unknown when a fact it needs is.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    pub fn from_bool(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }

    /// `false AND unknown` is false; `true AND unknown` is unknown.
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }

    /// `true OR unknown` is true; `false OR unknown` is unknown.
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        }
    }

    pub fn negate(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }

    pub fn all(items: impl IntoIterator<Item = Tri>) -> Tri {
        items.into_iter().fold(Tri::True, Tri::and)
    }

    pub fn any(items: impl IntoIterator<Item = Tri>) -> Tri {
        items.into_iter().fold(Tri::False, Tri::or)
    }

    pub fn label(self) -> &'static str {
        match self {
            Tri::True => "是",
            Tri::False => "否",
            Tri::Unknown => "未知",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Tri::{self, *};

    #[test]
    fn and_follows_kleene() {
        let table = [
            (True, True, True),
            (True, False, False),
            (True, Unknown, Unknown),
            (False, Unknown, False),
            (Unknown, False, False),
            (Unknown, Unknown, Unknown),
            (False, False, False),
        ];
        for (a, b, expected) in table {
            assert_eq!(a.and(b), expected, "{a:?} AND {b:?}");
        }
    }

    #[test]
    fn or_follows_kleene() {
        let table = [
            (True, Unknown, True),
            (Unknown, True, True),
            (False, Unknown, Unknown),
            (False, False, False),
            (Unknown, Unknown, Unknown),
            (True, False, True),
        ];
        for (a, b, expected) in table {
            assert_eq!(a.or(b), expected, "{a:?} OR {b:?}");
        }
    }

    #[test]
    fn not_keeps_unknown() {
        assert_eq!(True.negate(), False);
        assert_eq!(False.negate(), True);
        assert_eq!(Unknown.negate(), Unknown);
    }

    #[test]
    fn empty_all_is_true_and_empty_any_is_false() {
        assert_eq!(Tri::all([]), True);
        assert_eq!(Tri::any([]), False);
        assert_eq!(Tri::all([True, Unknown, False]), False);
        assert_eq!(Tri::any([False, Unknown, True]), True);
    }
}
