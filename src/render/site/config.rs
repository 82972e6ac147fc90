//! `content/site.yaml`: the site's title and language, with defaults when the file is absent.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::location::Pos;
use crate::yaml;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Shown in every page's header and title.
    #[serde(default = "default_title")]
    pub title: String,
    /// The `lang` of every page.
    #[serde(default = "default_lang")]
    pub lang: String,
    /// One line under the index page's title.
    #[serde(default)]
    pub description: Option<String>,
}

fn default_title() -> String {
    "合作评估框架".to_string()
}

fn default_lang() -> String {
    "zh-CN".to_string()
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: default_title(),
            lang: default_lang(),
            description: None,
        }
    }
}

/// Reads `path` when it exists; its problems name the file, line and column.
pub fn load_site_config(path: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
    if !path.exists() {
        return Ok(SiteConfig::default());
    }
    let text = yaml::read_text(path, 64 * 1024).map_err(|d| vec![d])?;
    if text.trim().is_empty() {
        return Ok(SiteConfig::default());
    }
    let config: SiteConfig = yaml::parse_typed(path, &text, 0).map_err(|d| vec![d])?;
    let mut problems = Vec::new();
    if config.title.trim().is_empty() {
        problems.push(Diagnostic::at(
            path,
            find(&text, "title:"),
            "站点标题 title 不能为空",
        ));
    }
    let lang_ok = !config.lang.is_empty()
        && config.lang.split('-').all(|part| {
            !part.is_empty() && part.len() <= 8 && part.chars().all(|c| c.is_ascii_alphanumeric())
        });
    if !lang_ok {
        let message = format!(
            "语言 lang 应为 BCP 47 语言标签（如 zh-CN），实际是「{}」",
            config.lang
        );
        problems.push(Diagnostic::at(path, find(&text, "lang:"), message));
    }
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems)
    }
}

fn find(text: &str, prefix: &str) -> Pos {
    text.lines()
        .position(|l| l.trim_start().starts_with(prefix))
        .map_or(Pos::new(1, 1), |i| Pos::new(i as u32 + 1, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = std::env::temp_dir().join(format!(
            "dealbook-site-{}-{}.yaml",
            std::process::id(),
            text.len()
        ));
        std::fs::write(&path, text).unwrap();
        let result = load_site_config(&path);
        std::fs::remove_file(&path).unwrap();
        result
    }

    #[test]
    fn defaults_when_absent_and_reads_fields() {
        assert_eq!(
            load_site_config(Path::new("/no/such/site.yaml")).unwrap(),
            SiteConfig::default()
        );
        let config = load("title: 评估框架\nlang: zh-Hans-CN\n").unwrap();
        assert_eq!(
            (config.title.as_str(), config.lang.as_str()),
            ("评估框架", "zh-Hans-CN")
        );
    }

    #[test]
    fn rejects_bad_values_and_misspelt_keys() {
        let errors = load("title: x\nlang: 中文\n").unwrap_err();
        assert_eq!(errors[0].pos, Some(Pos::new(2, 1)));
        let errors = load("titel: x\n").unwrap_err();
        assert_eq!(errors[0].hint.as_deref(), Some("是不是想写「title」？"));
    }
}
