//! `cargo bench`: the engine, the cheat card and one report PDF, with the font parsed once
//! (as in a build). Whole-build figures: `benches/build.sh`.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use dealbook::content::{ContentDir, load_content};
use dealbook::judge::judge;
use dealbook::render::card::render_card;
use dealbook::render::pdf::fonts::{FontChoice, Fonts};
use dealbook::render::report::{Provenance, ReportInput};
use dealbook::render::report_pdf::render_report_pdf;

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
    c.bench_function("load the shipped content", |b| {
        b.iter(|| load_content(&ContentDir::new(content_dir())).map(|c| c.proposals.len()))
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
    };
    c.bench_function("one report PDF", |b| {
        b.iter(|| render_report_pdf(&input, &fonts).map(|p| p.len()))
    });
    c.bench_function("parse the built-in font", |b| {
        b.iter(|| Fonts::load(&FontChoice::Builtin).map(|f| f.source.len()))
    });
}

criterion_group! {
    name = render;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(render);
