//! `cargo bench`: the engine, one proposal read from YAML,
//! one Markdown page, one report page and its links, the cheat card, one report PDF and the
//! search index of a thousand pages, with the font and the theme parsed once (as in a build).
//! Whole builds at scale, beside Hugo: `benches/scale.sh`. Reading a command line is the
//! binary's, out of a bench's reach: an ignored test times it (`src/bin/dealbook/cli.rs`).

use std::path::{Path, PathBuf};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use dealbook::content::{ContentDir, load_content};
use dealbook::judge::judge;
use dealbook::model::proposal_load::parse_proposal;
use dealbook::render::card::render_card;
use dealbook::render::pdf::fonts::{FontChoice, Fonts};
use dealbook::render::report::{Meeting, Provenance, ReportInput};
use dealbook::render::report_pdf::render_report_pdf;
use dealbook::render::search::{SearchDoc, write_search_index};
use dealbook::render::site::config::load_site_config;
use dealbook::render::site::links::PageLinks;
use dealbook::render::site::markdown::render_page;
use dealbook::render::site::theme::load_theme;
use dealbook::render::site::{Site, html_to_text};

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

fn benches(c: &mut Criterion) {
    let content = load_content(&ContentDir::new(content_dir())).expect("shipped content is valid");
    let fonts = Fonts::load(&FontChoice::Builtin).expect("built-in font");
    let (_, proposal) = &content.proposals[1];

    c.bench_function("judge one proposal", |b| {
        b.iter(|| judge(&content.framework, proposal))
    });
    c.bench_function("the framework for one vendor ({vendor} filled in)", |b| {
        b.iter(|| content.framework.for_vendor("火山引擎").directions.len())
    });
    c.bench_function("load the shipped content", |b| {
        b.iter(|| load_content(&ContentDir::new(content_dir())).map(|c| c.proposals.len()))
    });
    // One proposal, read from its YAML.
    let (path, _) = &content.proposals[1];
    let text = std::fs::read_to_string(path).expect("a shipped proposal");
    c.bench_function("one proposal from its YAML", |b| {
        b.iter(|| parse_proposal(path, &text, &content.framework).map(|p| p.facts.len()))
    });
    c.bench_function("cheat card PDF", |b| {
        b.iter(|| render_card(&content.framework, &fonts, proposal.date.value).map(|p| p.len()))
    });

    let judgement = judge(&content.framework, proposal);
    let provenance = Provenance::new(b"framework", b"proposal", proposal.date.value);
    let input = ReportInput {
        framework: &content.framework,
        proposal,
        judgement: &judgement,
        provenance: &provenance,
        since: None,
    };
    c.bench_function("one report PDF", |b| {
        b.iter(|| render_report_pdf(&input, &fonts).map(|p| p.len()))
    });

    let page = content
        .pages
        .iter()
        .max_by_key(|p| p.body.len())
        .expect("the shipped content has pages");
    c.bench_function("one Markdown page (the longest section) to HTML", |b| {
        b.iter(|| {
            render_page(&page.body, &mut std::collections::HashSet::new())
                .0
                .len()
        })
    });
    let config = load_site_config(&content_dir().join("site.yaml")).expect("site.yaml");
    let theme_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let theme = load_theme(&theme_dir).expect("the default theme");
    // Judged once, as in a build: the page is what is measured.
    let meeting = Meeting {
        name: "bench".into(),
        path,
        proposal,
        digest: [0; 32],
        provenance: provenance.clone(),
    };
    let site = Site::new(&content, &config, &theme, "cheat-card.pdf");
    let report_page = || {
        site.report_page(&meeting, &content.framework, &judgement, None)
            .map(|page| page.html)
    };
    c.bench_function("one report page (HTML)", |b| {
        b.iter(|| report_page().map(|html| html.len()))
    });
    let page = report_page().expect("the report page renders");
    c.bench_function("links and ids of one report page", |b| {
        b.iter(|| PageLinks::of(&page).links.len())
    });
    // A thousand reports' search text: 40 paragraphs each (800 characters), taken in turn
    // from the framework's own wording, as benches/gen_proposals.py writes meeting notes.
    let paragraphs: Vec<String> = content
        .pages
        .iter()
        .flat_map(|page| {
            let text = html_to_text(&render_page(&page.body, &mut Default::default()).0);
            text.lines().map(str::to_string).collect::<Vec<_>>()
        })
        .collect();
    let docs: Vec<SearchDoc> = (0..1000)
        .map(|i| SearchDoc {
            url: format!("reports/{i}.html"),
            title: format!("报告 {i}"),
            text: (0..40)
                .map(|k| paragraphs[(i * 7 + k) % paragraphs.len()].as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect();
    c.bench_function("search index of 1,000 reports", |b| {
        b.iter_batched(
            || docs.clone(),
            |docs| {
                let mut js = Vec::new();
                write_search_index(docs, &mut js).map(|()| js.len())
            },
            BatchSize::LargeInput,
        )
    });
    c.bench_function("open the built-in font", |b| {
        b.iter(|| Fonts::load(&FontChoice::Builtin).map(|f| f.source.len()))
    });
}

criterion_group! {
    name = render;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(render);
