//! The server's settings: configuration section `dockerfile`.
//!
//! ```json
//! { "rules": { "<Code>": "off|hint|info|warning|error" },
//!   "buildArgs": { "NAME": "value" }, "target": "", "context": "",
//!   "cache": { "baseline": "disk|git", "inlayHints": true, "codeLens": true },
//!   "formatting": { "reindentContinuations": false } }
//! ```
//!
//! Every key is optional and unknown keys are ignored. A value of the wrong type is reported
//! (as a warning to log) and replaced by its default; settings are never fatal. The rules
//! mirror the VS Code extension's `toServerSettings`, so both ends agree on what is valid.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::checks::{self, Level, Severity};

/// The section name clients know our settings by.
pub const SECTION: &str = "dockerfile";

/// Parsed settings. Analysis receives them as an `Arc<Config>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    /// Severity overrides by rule code.
    pub rules: BTreeMap<String, RuleLevel>,
    /// `--build-arg` values the analysis assumes.
    pub build_args: BTreeMap<String, String>,
    /// The stage to build (`--target`); `None` means the last stage.
    pub target: Option<String>,
    /// The build context directory as the user wrote it; `None` means the Dockerfile's folder.
    pub context: Option<String>,
    /// The workspace folders of `initialize` (not a setting): a relative `context` starts
    /// at the one holding the Dockerfile.
    pub workspace_folders: Vec<PathBuf>,
    pub cache: CacheConfig,
    pub formatting: FormattingConfig,
}

/// What a rule is reported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    Hint,
    Info,
    Warning,
    Error,
}

impl RuleLevel {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "off" => RuleLevel::Off,
            "hint" => RuleLevel::Hint,
            "info" => RuleLevel::Info,
            "warning" => RuleLevel::Warning,
            "error" => RuleLevel::Error,
            _ => return None,
        })
    }

    /// The same setting for `checks::Config`.
    pub fn level(self) -> Level {
        match self {
            RuleLevel::Off => Level::Off,
            RuleLevel::Hint => Level::Hint,
            RuleLevel::Info => Level::Info,
            RuleLevel::Warning => Level::Warning,
            RuleLevel::Error => Level::Error,
        }
    }

    /// The severity to report with, or `None` for `off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleLevel::Off => None,
            RuleLevel::Hint => Some(Severity::Hint),
            RuleLevel::Info => Some(Severity::Info),
            RuleLevel::Warning => Some(Severity::Warning),
            RuleLevel::Error => Some(Severity::Error),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheConfig {
    pub baseline: Baseline,
    pub inlay_hints: bool,
    pub code_lens: bool,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self {
            baseline: Baseline::Disk,
            inlay_hints: true,
            code_lens: true,
        }
    }
}

/// What the cache model compares the open Dockerfile against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Baseline {
    /// The file as last saved.
    #[default]
    Disk,
    /// The file as committed (`HEAD`).
    Git,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FormattingConfig {
    /// `formatting.reindentContinuations`: the formatter indents continuation lines (and
    /// on-type formatting indents a new one). Off by default because BuildKit keeps a
    /// continuation line's leading whitespace in the instruction: re-indenting a `RUN` changes
    /// its command string, so its build cache misses (see `ide::formatting`).
    pub reindent_continuations: bool,
}

impl Config {
    /// The build context of the Dockerfile at `path`: the `context` setting (absolute, or
    /// relative to the workspace folder holding the file, as VS Code shows it), else the
    /// file's own folder. One rule for the checks (CopyIgnoredFile) and the cache insight.
    pub fn context_dir(&self, path: &Path) -> Option<PathBuf> {
        let dir = path.parent()?.to_path_buf();
        let Some(setting) = &self.context else {
            return Some(dir);
        };
        let setting = Path::new(setting);
        if setting.is_absolute() {
            return Some(setting.to_path_buf());
        }
        let root = self
            .workspace_folders
            .iter()
            .filter(|f| path.starts_with(f))
            .max_by_key(|f| f.as_os_str().len())
            .or(self.workspace_folders.first())
            .cloned()
            .unwrap_or(dir);
        Some(root.join(setting))
    }

    /// Parses the settings object. `warnings` names each value that was ignored, and why.
    pub fn from_value(value: &Value) -> (Config, Vec<String>) {
        let mut p = Parser::default();
        let config = p.config(value);
        (config, p.warnings)
    }

    /// The settings inside `initializationOptions`: the bare object, or one wrapped in
    /// `{"dockerfile": {...}}` (Helix sends its whole `config` table). `None` when the
    /// options hold no settings.
    pub fn from_initialization_options(options: Option<&Value>) -> Option<(Config, Vec<String>)> {
        let value = match options? {
            Value::Null => return None,
            Value::Object(map) => match map.get(SECTION) {
                Some(inner @ Value::Object(_)) => inner,
                _ => options?,
            },
            other => other,
        };
        Some(Config::from_value(value))
    }

    /// What the checks need from the settings (the caller adds the ignore file).
    pub fn checks_config(&self) -> checks::Config {
        checks::Config {
            rules: self
                .rules
                .iter()
                .map(|(code, level)| (code.clone(), level.level()))
                .collect(),
            build_args: self.build_args.clone(),
            target: self.target.clone(),
            ..checks::Config::default()
        }
    }
}

#[derive(Default)]
struct Parser {
    warnings: Vec<String>,
}

impl Parser {
    fn warn(&mut self, key: &str, expected: &str, got: &Value) {
        self.warnings.push(format!(
            "{SECTION}.{key}: expected {expected}, got {}; ignored",
            kind(got)
        ));
    }

    fn config(&mut self, value: &Value) -> Config {
        let mut config = Config::default();
        let Some(map) = self.object("", value) else {
            return config;
        };
        if let Some(rules) = map.get("rules").and_then(|v| self.object("rules", v)) {
            for (code, level) in rules {
                match level.as_str().and_then(RuleLevel::parse) {
                    Some(level) => {
                        config.rules.insert(code.clone(), level);
                    }
                    None => self.warn(
                        &format!("rules.{code}"),
                        "one of off|hint|info|warning|error",
                        level,
                    ),
                }
            }
        }
        if let Some(args) = map
            .get("buildArgs")
            .and_then(|v| self.object("buildArgs", v))
        {
            for (name, value) in args {
                // `--build-arg N=1` is a string to Docker; accept unquoted numbers and booleans.
                let value = match value {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    other => {
                        self.warn(&format!("buildArgs.{name}"), "a string", other);
                        continue;
                    }
                };
                config.build_args.insert(name.clone(), value);
            }
        }
        config.target = self.non_empty_string(map, "target");
        config.context = self.non_empty_string(map, "context");
        if let Some(cache) = map.get("cache").and_then(|v| self.object("cache", v)) {
            match cache.get("baseline") {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if s == "disk" => config.cache.baseline = Baseline::Disk,
                Some(Value::String(s)) if s == "git" => config.cache.baseline = Baseline::Git,
                Some(other) => self.warn("cache.baseline", "\"disk\" or \"git\"", other),
            }
            if let Some(b) = self.bool(cache, "cache.inlayHints", "inlayHints") {
                config.cache.inlay_hints = b;
            }
            if let Some(b) = self.bool(cache, "cache.codeLens", "codeLens") {
                config.cache.code_lens = b;
            }
        }
        if let Some(formatting) = map
            .get("formatting")
            .and_then(|v| self.object("formatting", v))
        {
            let key = "reindentContinuations";
            if let Some(b) = self.bool(formatting, "formatting.reindentContinuations", key) {
                config.formatting.reindent_continuations = b;
            }
        }
        config
    }

    /// An object, or `None` (with a warning unless the value is `null`).
    fn object<'v>(&mut self, key: &str, value: &'v Value) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            Value::Null => None,
            other => {
                let key = if key.is_empty() { "(settings)" } else { key };
                self.warn(key, "an object", other);
                None
            }
        }
    }

    fn non_empty_string(&mut self, map: &Map<String, Value>, key: &str) -> Option<String> {
        match map.get(key)? {
            Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Value::Null => None,
            other => {
                self.warn(key, "a string", other);
                None
            }
        }
    }

    fn bool(&mut self, map: &Map<String, Value>, path: &str, key: &str) -> Option<bool> {
        match map.get(key)? {
            Value::Bool(b) => Some(*b),
            Value::Null => None,
            other => {
                self.warn(path, "true or false", other);
                None
            }
        }
    }
}

fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn full_object() {
        let (config, warnings) = Config::from_value(&json!({
            "rules": {"StageNameCasing": "error", "MissingValue": "off", "X": "hint"},
            "buildArgs": {"A": "1", "B": 2, "C": true},
            "target": " build ",
            "context": "..",
            "cache": {"baseline": "git", "inlayHints": false, "codeLens": false},
            "formatting": {"reindentContinuations": true},
        }));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(config.rules["StageNameCasing"], RuleLevel::Error);
        assert_eq!(config.rules["MissingValue"], RuleLevel::Off);
        assert_eq!(config.rules["X"], RuleLevel::Hint);
        assert_eq!(config.build_args["B"], "2");
        assert_eq!(config.build_args["C"], "true");
        assert_eq!(config.target.as_deref(), Some("build"));
        assert_eq!(config.context.as_deref(), Some(".."));
        assert_eq!(
            config.cache,
            CacheConfig {
                baseline: Baseline::Git,
                inlay_hints: false,
                code_lens: false
            }
        );
        assert!(config.formatting.reindent_continuations);
    }

    #[test]
    fn defaults() {
        for value in [json!({}), json!(null), json!({"unknown": [1, 2]})] {
            let (config, warnings) = Config::from_value(&value);
            assert_eq!(config, Config::default());
            assert!(warnings.is_empty());
        }
        let config = Config::default();
        assert!(config.cache.inlay_hints && config.cache.code_lens);
        assert_eq!(config.cache.baseline, Baseline::Disk);
        assert!(!config.formatting.reindent_continuations);
        assert_eq!(config.target, None);
    }

    #[test]
    fn wrong_types_are_ignored_with_a_warning() {
        let (config, warnings) = Config::from_value(&json!({
            "rules": {"A": "loud", "B": 3, "C": "warning"},
            "buildArgs": ["x"],
            "target": 5,
            "context": "",
            "cache": {"baseline": "cloud", "inlayHints": "yes", "codeLens": null},
            "formatting": 1,
        }));
        assert_eq!(config.rules.len(), 1);
        assert_eq!(config.rules["C"], RuleLevel::Warning);
        assert!(config.build_args.is_empty());
        assert_eq!(config.target, None);
        assert_eq!(config.context, None);
        assert_eq!(config.cache, CacheConfig::default());
        assert_eq!(warnings.len(), 7, "{warnings:#?}");
        assert!(warnings[0].starts_with("dockerfile.rules.A: expected one of"));
        let (config, warnings) = Config::from_value(&json!("nope"));
        assert_eq!(config, Config::default());
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn initialization_options_bare_or_wrapped() {
        let bare = json!({"target": "a"});
        let wrapped = json!({"dockerfile": {"target": "a"}, "other-server": {}});
        for options in [&bare, &wrapped] {
            let (config, _) =
                Config::from_initialization_options(Some(options)).expect("settings found");
            assert_eq!(config.target.as_deref(), Some("a"));
        }
        assert!(Config::from_initialization_options(None).is_none());
        assert!(Config::from_initialization_options(Some(&Value::Null)).is_none());
    }

    #[test]
    fn rule_overrides_reach_the_checks() {
        let (config, _) = Config::from_value(&json!({
            "rules": {"Gone": "off", "Soft": "hint"},
            "buildArgs": {"A": "1"},
            "target": "t",
        }));
        let c = config.checks_config();
        assert_eq!(c.rules["Gone"], Level::Off);
        assert_eq!(c.rules["Soft"], Level::Hint);
        assert_eq!(c.build_args["A"], "1");
        assert_eq!(c.target.as_deref(), Some("t"));
        assert_eq!(RuleLevel::Warning.severity(), Some(Severity::Warning));
    }

    #[test]
    fn a_relative_context_starts_at_the_workspace_folder_holding_the_file() {
        let dockerfile = Path::new("/ws/app/docker/Dockerfile");
        let mut config = Config::default();
        assert_eq!(
            config.context_dir(dockerfile),
            Some(PathBuf::from("/ws/app/docker"))
        );
        config.context = Some(".".into());
        // No workspace folder: the Dockerfile's folder.
        assert_eq!(
            config.context_dir(dockerfile),
            Some(PathBuf::from("/ws/app/docker/."))
        );
        config.workspace_folders = vec![
            PathBuf::from("/other"),
            PathBuf::from("/ws"),
            PathBuf::from("/ws/app"),
        ];
        assert_eq!(
            config.context_dir(dockerfile),
            Some(PathBuf::from("/ws/app/."))
        );
        config.context = Some("/abs/ctx".into());
        assert_eq!(
            config.context_dir(dockerfile),
            Some(PathBuf::from("/abs/ctx"))
        );
    }
}
