//! Every diagnostic code, with its default severity and documentation URL.
//!
//! Build checks (BuildKit's 22 and our 5) come from [`crate::docs::rules`]. Hard errors —
//! what makes BuildKit fail the build — have codes of our own, listed here; their messages
//! use BuildKit's wording. `docs/rules.md` is the user-facing copy of this table.

use super::Severity;
use crate::docs::{self, RuleOrigin, RuleSeverity};

/// What kind of problem a code stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeKind {
    /// An error of BuildKit's parser (`syntax::ErrorCode`).
    ParseError,
    /// An error BuildKit raises while reading instructions or planning the build.
    HardError,
    /// One of BuildKit's build checks (`docker build --check`).
    BuildCheck,
    /// One of this project's rules.
    Ours,
}

/// One diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    pub code: &'static str,
    pub kind: CodeKind,
    pub severity: Severity,
    /// `""` when there is no page.
    pub url: &'static str,
    pub summary: &'static str,
}

const REF: &str = crate::docs::REFERENCE_URL;

/// Parser errors: the `Debug` names of `syntax::ErrorCode`.
static PARSE_ERRORS: [(&str, &str); 10] = [
    ("LineTooLong", "A physical line of 64 KiB or more."),
    (
        "InvalidEscape",
        "`# escape=` with something other than `\\` or a backtick.",
    ),
    ("DuplicateDirective", "A parser directive given twice."),
    (
        "NoInstructions",
        "The file has only comments and blank lines.",
    ),
    ("MissingValue", "`ENV KEY` or `LABEL KEY` with no value."),
    (
        "MissingEquals",
        "A word without `=` in the `key=value` form of ENV or LABEL.",
    ),
    (
        "JsonNotStrings",
        "A JSON array (exec form) with an element that is not a string.",
    ),
    (
        "UnterminatedHeredoc",
        "A heredoc whose terminator never comes.",
    ),
    ("InvalidHeredoc", "A heredoc word that does not lex."),
    ("InvalidUtf8", "The file is not valid UTF-8."),
];

/// BuildKit's hard errors, by our codes.
static HARD_ERRORS: [(&str, &str); 31] = [
    (
        "UnknownInstruction",
        "Not one of the 18 instructions (with a suggestion for typos).",
    ),
    (
        "UnknownFlag",
        "A flag the instruction does not have (with a suggestion for typos).",
    ),
    (
        "DuplicateFlag",
        "A flag given twice (only `--mount`, `--device` and `--exclude` repeat).",
    ),
    (
        "FlagMissingValue",
        "`--flag` without `=value`, or a bool flag with an empty `=`.",
    ),
    (
        "InvalidFlagValue",
        "A flag value BuildKit rejects: bool, duration, retries, chmod, checksum.",
    ),
    (
        "InvalidMount",
        "A `RUN --mount` value BuildKit rejects: CSV syntax, unknown key, type, sharing, option not allowed for the type, bad number, missing target.",
    ),
    (
        "InvalidNetwork",
        "`RUN --network` other than default, none, host.",
    ),
    (
        "InvalidSecurity",
        "`RUN --security` other than sandbox, insecure.",
    ),
    ("InvalidDevice", "A `RUN --device` value BuildKit rejects."),
    (
        "RequiresNewerFrontend",
        "Syntax newer than the frontend the `# syntax=` directive pins, or a labs-only feature without a labs frontend.",
    ),
    (
        "ArgumentCount",
        "Too few or too many arguments (FROM, COPY/ADD, WORKDIR, USER, …).",
    ),
    (
        "InvalidStageName",
        "A stage name that does not match `^[a-z][a-z0-9-_.]*$` after lower-casing, or a FROM whose second word is not AS.",
    ),
    ("BlankName", "An ENV, LABEL or ARG with an empty name."),
    ("ShellNotJson", "SHELL not in JSON form, or an empty list."),
    (
        "InvalidHealthcheck",
        "HEALTHCHECK with an unknown type, NONE with arguments, or CMD without a command.",
    ),
    (
        "InvalidOnbuild",
        "ONBUILD ONBUILD, ONBUILD FROM or ONBUILD MAINTAINER.",
    ),
    (
        "InvalidExpose",
        "An EXPOSE port, range, protocol or address BuildKit rejects.",
    ),
    ("InvalidStopSignal", "A STOPSIGNAL that is not a signal."),
    ("EmptyVolume", "A VOLUME that is an empty string."),
    (
        "HeredocAsDestination",
        "A heredoc used as the destination of COPY or ADD.",
    ),
    (
        "InvalidCheckDirective",
        "A `# check=` directive BuildKit cannot parse.",
    ),
    (
        "InvalidSubstitution",
        "A `$` substitution or quote BuildKit's word processor rejects.",
    ),
    ("BlankBaseName", "A FROM image that expands to nothing."),
    (
        "InvalidBaseName",
        "A FROM image that is not a valid image reference.",
    ),
    (
        "InvalidPlatform",
        "A FROM --platform that is empty or not a platform.",
    ),
    (
        "ForwardStageReference",
        "COPY --from or a mount's from= naming a stage defined later.",
    ),
    (
        "CircularDependency",
        "Stages that depend on each other (or a stage on itself) through COPY --from or mounts.",
    ),
    (
        "VariableInFrom",
        "A variable in COPY --from or a mount's from= (BuildKit does not expand them).",
    ),
    ("InvalidStageIndex", "COPY --from=<n> with no stage n."),
    (
        "NoBuildStage",
        "An instruction other than ARG before the first FROM, or a file without FROM.",
    ),
    (
        "TargetNotFound",
        "The configured target stage does not exist.",
    ),
];

/// Hard errors that only make sense as a warning: BuildKit accepts the input silently.
static QUIRKS: [(&str, &str); 2] = [
    (
        "IgnoredFlag",
        "A `--flag` on ARG or STOPSIGNAL: BuildKit never checks flags there and silently ignores them.",
    ),
    (
        "InvalidCopySource",
        "COPY of a URL or Git repository, or ADD --checksum on an unsupported source.",
    ),
];

pub(crate) fn severity_of(s: RuleSeverity) -> Severity {
    match s {
        RuleSeverity::Error => Severity::Error,
        RuleSeverity::Warning => Severity::Warning,
        RuleSeverity::Information => Severity::Info,
        RuleSeverity::Hint => Severity::Hint,
    }
}

/// The code `code`, if it exists.
pub fn lookup(code: &str) -> Option<CodeInfo> {
    all().into_iter().find(|c| c.code == code)
}

/// Every code: parse errors, hard errors, BuildKit's build checks, ours.
pub fn all() -> Vec<CodeInfo> {
    let mut out = Vec::new();
    for &(code, summary) in &PARSE_ERRORS {
        out.push(CodeInfo {
            code,
            kind: CodeKind::ParseError,
            severity: Severity::Error,
            url: REF,
            summary,
        });
    }
    for &(code, summary) in &HARD_ERRORS {
        out.push(CodeInfo {
            code,
            kind: CodeKind::HardError,
            severity: Severity::Error,
            url: REF,
            summary,
        });
    }
    for &(code, summary) in &QUIRKS {
        out.push(CodeInfo {
            code,
            kind: CodeKind::HardError,
            severity: if code == "IgnoredFlag" {
                Severity::Warning
            } else {
                Severity::Error
            },
            url: REF,
            summary,
        });
    }
    for rule in docs::rules() {
        out.push(CodeInfo {
            code: rule.code,
            kind: match rule.origin {
                RuleOrigin::BuildKit => CodeKind::BuildCheck,
                RuleOrigin::Ours => CodeKind::Ours,
            },
            severity: severity_of(rule.default_severity),
            url: rule.url,
            summary: rule.summary,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_parse_errors_match_the_parser() {
        let all = all();
        let mut codes: Vec<_> = all.iter().map(|c| c.code).collect();
        codes.sort_unstable();
        let n = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), n, "duplicate codes");
        assert_eq!(
            all.iter()
                .filter(|c| c.kind == CodeKind::BuildCheck)
                .count(),
            22
        );
        assert_eq!(all.iter().filter(|c| c.kind == CodeKind::Ours).count(), 5);
        use crate::syntax::ErrorCode as E;
        for e in [
            E::LineTooLong,
            E::InvalidEscape,
            E::DuplicateDirective,
            E::NoInstructions,
            E::MissingValue,
            E::MissingEquals,
            E::JsonNotStrings,
            E::UnterminatedHeredoc,
            E::InvalidHeredoc,
            E::InvalidUtf8,
        ] {
            assert!(lookup(&format!("{e:?}")).is_some(), "{e:?}");
        }
    }
}
