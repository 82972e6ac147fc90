//! Tera's wording, pinned on real errors, and what we make of it.

use std::collections::BTreeMap;

use ::tera::{Context, Tera};

use super::*;
use crate::translate::english_left;

/// Tera's words: none is left once a message is translated.
#[rustfmt::skip]
const ENGLISH: &[&str] = &[
    "error", "Field", "Variable", "is not defined", "Available", "fields", "variables",
    "Unknown", "filter", "function", "component", "template", "test", "note", "called from",
];

/// Templates with a misspelt field, a misspelt variable, and a component that reads a field
/// its value lacks.
fn rendering() -> (Tera, Context) {
    let mut tera = Tera::default();
    tera.add_raw_templates(vec![
        (
            "c.html",
            "{% component card(v) %}\n{{ v.nope }}{% endcomponent card %}",
        ),
        ("p.html", "a\n  {{ <card v={data}/> }}"),
        ("q.html", "{{ data.vendr }}"),
        ("r.html", "{{ reprot }}"),
    ])
    .expect("the templates parse");
    let data = BTreeMap::from([("vendor", 1), ("date", 2)]);
    let mut context = Context::new();
    context.insert("data", &data);
    context.insert("report", &1);
    (tera, context)
}

/// One template using an unknown filter, function, component, template and test.
fn unknown_names() -> ::tera::Error {
    let text = "{{ x | uper }}\n{{ get_env(name=\"x\") }}\n{{ <verdic v={data}/> }}\n\
                {% include \"nope.html\" %}{{ x is nub }}";
    Tera::default()
        .add_raw_templates(vec![("u.html", text)])
        .expect_err("the names are unknown")
}

#[test]
fn tera_still_words_what_we_match() {
    let (tera, context) = rendering();
    let error = tera.render("q.html", &context).expect_err("vendr");
    let report = located(&error).expect("a rendering error with its place");
    assert_eq!(report.filename(), "q.html");
    assert_eq!(
        report.message(),
        "Field `vendr` is not defined. Available fields: date, vendor"
    );
    // Tera counts columns from 0 in its span and from 1 where it writes the place.
    assert_eq!(position(report), Pos::new(1, 9));
    assert!(error.to_string().contains(" --> q.html:1:9\n"), "{error}");
    let error = tera.render("r.html", &context).expect_err("reprot");
    let message = located(&error).expect("located").message();
    assert!(
        message.starts_with("Variable `reprot` is not defined. Available variables: "),
        "{message}"
    );
    let error = tera.render("p.html", &context).expect_err("nope");
    assert!(
        error
            .to_string()
            .contains("\n\nnote: called from p.html:2:6\n"),
        "{error}"
    );

    let all = error_chain(&unknown_names());
    let found = reports(&all);
    assert_eq!(found.len(), 5, "{all}");
    for (report, start, spot) in [
        (
            &found[0],
            "error: Unknown filter `uper`\n",
            " --> u.html:1:8\n",
        ),
        (
            &found[1],
            "error: Unknown function `get_env`\n",
            " --> u.html:2:4\n",
        ),
        (
            &found[2],
            "error: Unknown component `verdic`\n",
            " --> u.html:3:4\n",
        ),
        (
            &found[3],
            "error: Unknown template `nope.html`\n",
            " --> u.html:4:12\n",
        ),
        (
            &found[4],
            "error: Unknown test `nub`\n",
            " --> u.html:4:34\n",
        ),
    ] {
        assert!(report.starts_with(start), "{report}");
        assert!(report.contains(spot), "{report}");
    }

    let error = Tera::default()
        .add_raw_template("s.html", "<h1>{{ page.title </h1>")
        .expect_err("unclosed");
    assert!(matches!(error.kind(), ErrorKind::SyntaxError(_)));
    let report = located(&error).expect("a syntax error with its place");
    assert_eq!(
        (report.filename(), position(report)),
        ("s.html", Pos::new(1, 19))
    );
}

#[test]
fn what_we_make_of_it_has_none_of_its_english() {
    let (tera, context) = rendering();
    let mut shown = Vec::new();
    for template in ["p.html", "q.html", "r.html"] {
        let error = tera.render(template, &context).expect_err(template);
        let (message, undefined) = render_failure(located(&error).expect("located").message());
        assert!(undefined.is_some(), "{message}");
        let callers: Vec<String> = called_from(&error.to_string())
            .map(|(name, pos)| format!("{name}:{pos}"))
            .collect();
        shown.push(format!("{message}（调用自 {}）", callers.join("，")));
    }
    assert_eq!(
        shown[0],
        "模板渲染失败：字段「nope」不存在（调用自 p.html:2:6）"
    );
    for report in reports(&error_chain(&unknown_names())) {
        let read = reference_problem(&report);
        assert!(read.place.is_some() && read.unknown.is_some(), "{report}");
        shown.push(read.message);
    }
    assert_eq!(shown[4], "模板有错误：未知的函数「get_env」");
    for text in shown {
        assert_eq!(english_left(&text, ENGLISH), [""; 0], "{text}");
    }
}

/// Every name the suggestions offer is one Tera knows.
#[test]
fn suggested_names_are_known_to_tera() {
    let uses = FILTERS
        .iter()
        .map(|f| format!("{{{{ x | {f} }}}}"))
        .chain(TESTS.iter().map(|t| format!("{{{{ x is {t} }}}}")))
        .chain(FUNCTIONS.iter().map(|f| format!("{{{{ {f}() }}}}")));
    for template in uses {
        let error = Tera::default()
            .add_raw_template("t.html", &template)
            .err()
            .map(|e| error_chain(&e));
        let unknown = error.as_deref().is_some_and(|e| e.contains("Unknown"));
        assert!(!unknown, "{template}: {error:?}");
    }
    // And the check itself can fail.
    let error = Tera::default().add_raw_template("t.html", "{{ x | nope }}");
    assert!(error.is_err_and(|e| error_chain(&e).contains("Unknown filter `nope`")));
}

#[test]
fn reports_are_split_at_each_error_and_places_read_from_the_right() {
    let text = "error: Unknown filter `a`\n --> page.html:1:4\n\nerror: Unknown template `x\n\ny`\n --> odd:name.html:12:30";
    let all = reports(text);
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(
        all[1].contains("`x\n\ny`"),
        "a blank line inside a report stays in it"
    );
    assert_eq!(
        place(" odd:name.html:12:30"),
        Some(("odd:name.html", Pos::new(12, 30)))
    );
    assert_eq!(place("page.html:x:1"), None);
    let notes = "error: Field `x`\n\nnote: called from components.html:9:2\n |\n\nnote: called from report.html:15:35";
    let callers: Vec<_> = called_from(notes).collect();
    assert_eq!(
        callers,
        [
            ("components.html", Pos::new(9, 2)),
            ("report.html", Pos::new(15, 35))
        ]
    );
}

#[test]
fn undefined_names_are_read_with_the_names_there_are() {
    assert_eq!(
        undefined_name("Field `vendr` is not defined. Available fields: date, vendor"),
        Some(("字段", "vendr", vec!["date", "vendor"]))
    );
    assert_eq!(
        undefined_name("Variable `reprot` is not defined. Available variables: report"),
        Some(("变量", "reprot", vec!["report"]))
    );
    assert_eq!(
        undefined_name("Variable `x` is not defined."),
        Some(("变量", "x", vec![]))
    );
    assert_eq!(
        undefined_name("Variable `x` exists but its value is undefined"),
        None
    );
    assert_eq!(undefined_name("Division by zero"), None);
}
