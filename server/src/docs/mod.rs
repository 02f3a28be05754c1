//! Reference text in our own words: instructions, flags, mount options, directives,
//! predefined ARGs and lint rules, each with the Dockerfile frontend version that
//! introduced it.
//!
//! This is the project's single table of "what BuildKit accepts". Hover, completion,
//! signature help and the checks read it; nothing here parses or allocates. Facts come
//! from BuildKit's source (`frontend/dockerfile/instructions`, `linter/ruleset.go`) and
//! its git history; prose is ours and links to <https://docs.docker.com/reference/dockerfile/>.
//!
//! Versions are *frontend* versions (`# syntax=docker/dockerfile:1.N`), not Engine or
//! BuildKit versions.

mod args;
mod directives;
mod flags;
mod instructions;
mod mounts;
mod rules;
#[cfg(test)]
mod tests;

use std::fmt;

/// Where every instruction, flag and directive URL points.
pub const REFERENCE_URL: &str = "https://docs.docker.com/reference/dockerfile/";

/// A Dockerfile frontend version, `major.minor` (patch releases never add syntax).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FrontendVersion {
    pub major: u16,
    pub minor: u16,
}

impl FrontendVersion {
    pub const fn new(major: u16, minor: u16) -> Self {
        Self { major, minor }
    }
}

impl fmt::Display for FrontendVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// The newest stable frontend (`dockerfile/1.26.0`). Used when `# syntax=` is absent,
/// is `docker/dockerfile:1`, or names a version we do not know yet.
pub const LATEST_STABLE: FrontendVersion = FrontendVersion::new(1, 26);

/// Shorthand for the tables.
pub(crate) const fn v(major: u16, minor: u16) -> FrontendVersion {
    FrontendVersion::new(major, minor)
}

/// How BuildKit's flag parser (`instructions/bflag.go`) treats a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FlagKind {
    /// `--name=value`; the `=value` is mandatory; repeating the flag is an error.
    String,
    /// Bare `--name`, `--name=true` or `--name=false` (case-insensitive); `--name=` is an error.
    Bool,
    /// `--name=value` that may be repeated (`RUN --mount`, `RUN --device`, `--exclude`).
    MultiString,
}

/// One value of an enumerated flag or mount option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValueInfo {
    pub value: &'static str,
    pub doc: &'static str,
    pub since: FrontendVersion,
}

/// A flag of one instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagInfo {
    /// Without the leading `--`, exactly as BuildKit spells it. Flag names are
    /// case-sensitive in BuildKit (`--Link` is an unknown flag).
    pub name: &'static str,
    pub kind: FlagKind,
    /// First *stable* frontend that accepts the flag (for a labs-only flag: the first
    /// labs release).
    pub since: FrontendVersion,
    /// Only accepted with a `-labs` syntax (`docker/dockerfile:1-labs`). Today: `RUN --device`.
    pub labs_only: bool,
    /// First labs release (before 1.2: `-experimental` release) that accepted the flag,
    /// when that is earlier than `since`. `None` when it went straight to stable.
    pub labs_since: Option<FrontendVersion>,
    /// The value part for signature help, e.g. `<user>:<group>`.
    pub placeholder: &'static str,
    /// One short markdown paragraph.
    pub doc: &'static str,
    /// Enumerated values; empty when the value is free-form.
    pub values: &'static [ValueInfo],
    /// Deep link into the Dockerfile reference.
    pub url: &'static str,
}

impl FlagInfo {
    /// Whether a Dockerfile pinned to `version` (with `labs` when the syntax ends in
    /// `-labs`) can use this flag.
    pub fn available_in(&self, version: FrontendVersion, labs: bool) -> bool {
        if self.labs_only {
            return labs && version >= self.since;
        }
        version >= self.since || (labs && self.labs_since.is_some_and(|l| version >= l))
    }

    /// The enumerated value `value`, compared exactly (BuildKit compares these
    /// case-sensitively).
    pub fn value(&self, value: &str) -> Option<&'static ValueInfo> {
        self.values.iter().find(|v| v.value == value)
    }
}

/// One of the 18 Dockerfile instructions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstructionInfo {
    /// Upper case, e.g. `COPY`. Keywords are case-insensitive in Dockerfiles.
    pub name: &'static str,
    /// One line.
    pub summary: &'static str,
    /// Markdown, a few paragraphs with a short example.
    pub doc: &'static str,
    /// The accepted forms, e.g. `COPY [--from=<name>] <src>... <dest>`.
    pub signatures: &'static [&'static str],
    /// Exactly BuildKit's flag set for this instruction.
    pub flags: &'static [FlagInfo],
    pub url: &'static str,
    /// RUN, COPY, ADD and WORKDIR produce filesystem changes; the rest only touch config.
    pub creates_layer: bool,
    /// LSP snippet body for completion.
    pub snippet: &'static str,
    /// False for ARG and STOPSIGNAL: BuildKit never runs the flag parser on them, so a
    /// `--x` there is silently kept as an argument instead of being an unknown flag.
    pub parses_flags: bool,
    /// RUN, COPY and ADD (also inside ONBUILD) recognise `<<EOF` heredocs.
    pub heredocs: bool,
    /// May follow `ONBUILD` (everything except ONBUILD, FROM and MAINTAINER).
    pub onbuild_trigger: bool,
    /// MAINTAINER.
    pub deprecated: bool,
}

impl InstructionInfo {
    /// The flag `name` (with or without the leading `--`), compared exactly as BuildKit does.
    pub fn flag(&self, name: &str) -> Option<&'static FlagInfo> {
        let name = name.strip_prefix("--").unwrap_or(name);
        self.flags.iter().find(|f| f.name == name)
    }
}

/// A key of `RUN --mount=…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MountOption {
    /// Canonical key, e.g. `target`.
    pub name: &'static str,
    /// Other spellings BuildKit accepts for the same key, e.g. `dst`, `destination`.
    pub aliases: &'static [&'static str],
    /// The mount types this key is documented for (what completion offers).
    pub types: &'static [&'static str],
    /// The mount types for which BuildKit fails the build when the key is present.
    /// Types in neither list accept the key and ignore it.
    pub invalid_for: &'static [&'static str],
    /// Can be written without `=value` (`ro`, `rw`, `required`).
    pub bare_allowed: bool,
    pub doc: &'static str,
    /// Enumerated values; empty when the value is free-form.
    pub values: &'static [ValueInfo],
    pub since: FrontendVersion,
}

impl MountOption {
    /// Whether `key` names this option (canonical name or alias, ASCII case-insensitive,
    /// as BuildKit lowercases mount keys).
    pub fn matches(&self, key: &str) -> bool {
        self.name.eq_ignore_ascii_case(key)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(key))
    }

    /// Whether the option is documented for mount type `ty`.
    pub fn applies_to(&self, ty: &str) -> bool {
        self.types.iter().any(|t| t.eq_ignore_ascii_case(ty))
    }

    /// Whether BuildKit rejects the option for mount type `ty`.
    pub fn rejected_for(&self, ty: &str) -> bool {
        self.invalid_for.iter().any(|t| t.eq_ignore_ascii_case(ty))
    }
}

/// A value of `RUN --mount=type=…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MountType {
    pub name: &'static str,
    pub doc: &'static str,
    /// Keys the reference calls mandatory for this type (canonical names).
    pub required: &'static [&'static str],
    pub url: &'static str,
}

/// A parser directive (`# name=value` at the top of the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirectiveInfo {
    pub name: &'static str,
    pub doc: &'static str,
    pub url: &'static str,
    pub since: FrontendVersion,
}

/// The families of ARGs that exist without an `ARG` instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PredefinedArgKind {
    /// Automatic platform ARGs (`TARGETPLATFORM`, …, plus `TARGETSTAGE`): defined in the
    /// global scope, so a stage must re-declare them (`ARG TARGETARCH`) to use them.
    Platform,
    /// `HTTP_PROXY` and friends: usable without declaration, kept out of history and
    /// the cache key unless declared.
    Proxy,
    /// `BUILDKIT_*` build args that configure the frontend itself.
    BuildKit,
    /// `SOURCE_DATE_EPOCH`, for reproducible timestamps.
    SourceDateEpoch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PredefinedArg {
    /// Case-sensitive, as all ARG names are.
    pub name: &'static str,
    pub doc: &'static str,
    pub kind: PredefinedArgKind,
    pub url: &'static str,
}

/// Who defines a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleOrigin {
    /// One of BuildKit's build checks (`linter/ruleset.go`).
    BuildKit,
    /// One of this project's own rules.
    Ours,
}

/// The severity a rule is reported with unless configured otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleSeverity {
    Error,
    Warning,
    Information,
    Hint,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// BuildKit's rule name (as used in `# check=skip=`), or our stable code. Case-sensitive.
    pub code: &'static str,
    pub origin: RuleOrigin,
    /// BuildKit rules: the first frontend release that ships the rule. Our rules: the
    /// oldest frontend on which the suggested fix works (so both can be gated alike).
    pub since: FrontendVersion,
    /// Off unless enabled with `# check=experimental=<rule>|all`.
    pub experimental: bool,
    /// The rule was experimental in frontends older than this (not experimental today).
    pub experimental_until: Option<FrontendVersion>,
    /// BuildKit's `Deprecated` flag: a deprecated rule is never reported. No rule has it
    /// set at BuildKit HEAD (see the note on `ExposeInvalidFormat`).
    pub deprecated: bool,
    /// The rule flags syntax that is itself deprecated; clients may render the range
    /// with the LSP `Deprecated` tag (MaintainerDeprecated).
    pub flags_deprecated_syntax: bool,
    pub default_severity: RuleSeverity,
    /// One line.
    pub summary: &'static str,
    /// Markdown: what it flags, why it matters, how to fix it.
    pub doc: &'static str,
    /// BuildKit: `https://docs.docker.com/go/dockerfile/rule/<kebab-name>/`, or `""` when
    /// BuildKit has none (InvalidBaseImagePlatform). Ours: `""` for now.
    pub url: &'static str,
}

impl RuleInfo {
    /// Whether the rule is experimental (off by default) in frontend `version`.
    pub fn experimental_in(&self, version: FrontendVersion) -> bool {
        self.experimental || self.experimental_until.is_some_and(|until| version < until)
    }
}

/// All 18 instructions, in alphabetical order.
pub fn instructions() -> &'static [InstructionInfo] {
    &instructions::INSTRUCTIONS
}

/// The instruction `name`, ASCII case-insensitive (`from`, `FROM` and `From` all match).
pub fn instruction(name: &str) -> Option<&'static InstructionInfo> {
    instructions::INSTRUCTIONS
        .iter()
        .find(|i| i.name.eq_ignore_ascii_case(name))
}

/// The flag `flag` of `instruction`. The instruction is matched case-insensitively; the
/// flag (with or without `--`) exactly, as BuildKit does.
pub fn flag(instruction: &str, flag: &str) -> Option<&'static FlagInfo> {
    self::instruction(instruction)?.flag(flag)
}

/// The five mount types, `bind` (the default) first.
pub fn mount_types() -> &'static [MountType] {
    &mounts::MOUNT_TYPES
}

/// The mount type `name`, ASCII case-insensitive (BuildKit lowercases it).
pub fn mount_type(name: &str) -> Option<&'static MountType> {
    mounts::MOUNT_TYPES
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(name))
}

/// Every `RUN --mount` key, one entry per canonical name.
pub fn mount_options() -> &'static [MountOption] {
    &mounts::MOUNT_OPTIONS
}

/// The mount key `name`; aliases (`src`, `dst`, `ro`, …) resolve to their option.
/// ASCII case-insensitive, as BuildKit lowercases keys.
pub fn mount_option(name: &str) -> Option<&'static MountOption> {
    mounts::MOUNT_OPTIONS.iter().find(|o| o.matches(name))
}

/// `syntax`, `escape`, `check`.
pub fn directives() -> &'static [DirectiveInfo] {
    &directives::DIRECTIVES
}

/// The directive `name`, ASCII case-insensitive (directive keys are).
pub fn directive(name: &str) -> Option<&'static DirectiveInfo> {
    directives::DIRECTIVES
        .iter()
        .find(|d| d.name.eq_ignore_ascii_case(name))
}

/// ARGs that exist without an `ARG` instruction.
pub fn predefined_args() -> &'static [PredefinedArg] {
    &args::PREDEFINED_ARGS
}

/// The predefined ARG `name`, case-sensitive (`http_proxy` and `HTTP_PROXY` are two entries).
pub fn predefined_arg(name: &str) -> Option<&'static PredefinedArg> {
    args::PREDEFINED_ARGS.iter().find(|a| a.name == name)
}

/// BuildKit's 22 build checks (in `ruleset.go` order), then our own rules.
pub fn rules() -> &'static [RuleInfo] {
    &rules::RULES
}

/// The rule `code`, compared exactly (BuildKit matches `# check=skip=` names exactly).
pub fn rule(code: &str) -> Option<&'static RuleInfo> {
    rules::RULES.iter().find(|r| r.code == code)
}
