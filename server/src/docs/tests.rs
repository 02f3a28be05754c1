//! Keeps the tables honest against BuildKit (facts hard-coded from its source at
//! `73ed6825`, frontend 1.26.0) and against each other.

use std::collections::BTreeSet;

use super::*;

const DOCS: &str = "https://docs.docker.com/";
const REFERENCE: &str = "https://docs.docker.com/reference/dockerfile/";
const MOUNT_TYPE_NAMES: [&str; 5] = ["bind", "cache", "tmpfs", "secret", "ssh"];

fn set<'a>(items: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
    items.into_iter().collect()
}

fn sane(version: FrontendVersion) -> bool {
    version >= FrontendVersion::new(1, 0) && version <= LATEST_STABLE
}

#[test]
fn versions_order_and_print() {
    assert!(FrontendVersion::new(1, 9) < FrontendVersion::new(1, 10));
    assert!(FrontendVersion::new(1, 26) < FrontendVersion::new(2, 0));
    assert_eq!(LATEST_STABLE.to_string(), "1.26");
}

#[test]
fn all_eighteen_instructions() {
    let expected = [
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    ];
    let names: Vec<&str> = instructions().iter().map(|i| i.name).collect();
    assert_eq!(
        names, expected,
        "all 18, upper case, alphabetical, no duplicates"
    );
}

#[test]
fn instruction_entries_are_complete() {
    for i in instructions() {
        assert!(!i.summary.is_empty(), "{} summary", i.name);
        assert!(!i.summary.contains('\n'), "{} summary is one line", i.name);
        assert!(!i.doc.trim().is_empty(), "{} doc", i.name);
        assert!(
            i.doc.contains("```dockerfile"),
            "{} doc has an example",
            i.name
        );
        assert!(!i.signatures.is_empty(), "{} signatures", i.name);
        for sig in i.signatures {
            assert!(sig.starts_with(i.name), "{} signature {sig:?}", i.name);
        }
        assert!(i.url.starts_with(REFERENCE), "{} url {}", i.name, i.url);
        assert!(i.snippet.starts_with(i.name), "{} snippet", i.name);
        assert!(
            i.snippet.contains("${1"),
            "{} snippet has a tab stop",
            i.name
        );
    }
}

#[test]
fn instruction_properties() {
    let with = |pred: fn(&InstructionInfo) -> bool| {
        instructions()
            .iter()
            .filter(|i| pred(i))
            .map(|i| i.name)
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(
        with(|i| i.creates_layer),
        set(["ADD", "COPY", "RUN", "WORKDIR"])
    );
    assert_eq!(with(|i| !i.parses_flags), set(["ARG", "STOPSIGNAL"]));
    assert_eq!(with(|i| i.heredocs), set(["ADD", "COPY", "RUN"]));
    assert_eq!(
        with(|i| !i.onbuild_trigger),
        set(["FROM", "MAINTAINER", "ONBUILD"])
    );
    assert_eq!(with(|i| i.deprecated), set(["MAINTAINER"]));
}

#[test]
fn flag_sets_match_buildkit() {
    // instructions/parse.go and the commands_run*.go pre-hooks.
    let expected: [(&str, &[&str]); 5] = [
        ("FROM", &["platform"]),
        ("RUN", &["mount", "network", "security", "device"]),
        (
            "ADD",
            &[
                "chown",
                "chmod",
                "link",
                "keep-git-dir",
                "checksum",
                "unpack",
                "exclude",
            ],
        ),
        (
            "COPY",
            &["from", "chown", "chmod", "link", "parents", "exclude"],
        ),
        (
            "HEALTHCHECK",
            &[
                "interval",
                "timeout",
                "start-period",
                "start-interval",
                "retries",
            ],
        ),
    ];
    for i in instructions() {
        let want = expected
            .iter()
            .find(|(n, _)| *n == i.name)
            .map_or(&[][..], |(_, f)| *f);
        let got: Vec<&str> = i.flags.iter().map(|f| f.name).collect();
        assert_eq!(got, want, "flags of {}", i.name);
    }
}

#[test]
fn flag_entries_are_complete_and_unique() {
    for i in instructions() {
        let mut seen = BTreeSet::new();
        for f in i.flags {
            assert!(seen.insert(f.name), "{} --{} listed twice", i.name, f.name);
            assert!(
                !f.name.starts_with('-') && !f.name.is_empty(),
                "{} flag name {:?}",
                i.name,
                f.name
            );
            assert!(!f.doc.trim().is_empty(), "{} --{} doc", i.name, f.name);
            assert!(
                !f.placeholder.is_empty(),
                "{} --{} placeholder",
                i.name,
                f.name
            );
            assert!(
                f.url.starts_with(DOCS),
                "{} --{} url {}",
                i.name,
                f.name,
                f.url
            );
            assert!(
                f.url.starts_with(REFERENCE),
                "{} --{} url {}",
                i.name,
                f.name,
                f.url
            );
            assert!(sane(f.since), "{} --{} since {}", i.name, f.name, f.since);
            if let Some(labs) = f.labs_since {
                assert!(
                    labs < f.since && sane(labs),
                    "{} --{} labs_since",
                    i.name,
                    f.name
                );
            }
            for value in f.values {
                assert!(
                    !value.doc.is_empty() && sane(value.since),
                    "{} --{}={}",
                    i.name,
                    f.name,
                    value.value
                );
                assert!(
                    value.since >= f.since,
                    "{} --{}={} older than its flag",
                    i.name,
                    f.name,
                    value.value
                );
            }
            match f.kind {
                FlagKind::Bool => {
                    let values: Vec<&str> = f.values.iter().map(|v| v.value).collect();
                    assert_eq!(
                        values,
                        ["true", "false"],
                        "{} --{} bool values",
                        i.name,
                        f.name
                    );
                }
                FlagKind::String | FlagKind::MultiString => {}
            }
        }
    }
}

#[test]
fn flag_kinds_and_labs() {
    let mut multi = BTreeSet::new();
    let mut labs = BTreeSet::new();
    for i in instructions() {
        for f in i.flags {
            if f.kind == FlagKind::MultiString {
                multi.insert((i.name, f.name));
            }
            if f.labs_only {
                labs.insert((i.name, f.name));
            }
        }
    }
    let expected_multi: BTreeSet<_> = [
        ("ADD", "exclude"),
        ("COPY", "exclude"),
        ("RUN", "device"),
        ("RUN", "mount"),
    ]
    .into();
    assert_eq!(multi, expected_multi);
    assert_eq!(labs, [("RUN", "device")].into());
    for (instruction, name) in [
        ("ADD", "link"),
        ("ADD", "keep-git-dir"),
        ("ADD", "unpack"),
        ("COPY", "link"),
        ("COPY", "parents"),
    ] {
        assert_eq!(
            flag(instruction, name).map(|f| f.kind),
            Some(FlagKind::Bool),
            "{instruction} --{name}"
        );
    }
}

#[test]
fn flag_versions() {
    let expect = [
        ("FROM", "platform", (1, 0)),
        ("RUN", "mount", (1, 2)),
        ("RUN", "network", (1, 3)),
        ("RUN", "security", (1, 20)),
        ("RUN", "device", (1, 14)),
        ("ADD", "chown", (1, 0)),
        ("ADD", "chmod", (1, 2)),
        ("ADD", "link", (1, 4)),
        ("ADD", "keep-git-dir", (1, 6)),
        ("ADD", "checksum", (1, 6)),
        ("ADD", "unpack", (1, 17)),
        ("ADD", "exclude", (1, 19)),
        ("COPY", "from", (1, 0)),
        ("COPY", "chown", (1, 0)),
        ("COPY", "chmod", (1, 2)),
        ("COPY", "link", (1, 4)),
        ("COPY", "parents", (1, 20)),
        ("COPY", "exclude", (1, 19)),
        ("HEALTHCHECK", "start-interval", (1, 6)),
        ("HEALTHCHECK", "retries", (1, 0)),
    ];
    for (instruction, name, (major, minor)) in expect {
        let f = flag(instruction, name).unwrap_or_else(|| panic!("{instruction} --{name}"));
        assert_eq!(
            f.since,
            FrontendVersion::new(major, minor),
            "{instruction} --{name}"
        );
    }
}

#[test]
fn flag_availability() {
    let v = FrontendVersion::new;
    let parents = flag("COPY", "parents").expect("COPY --parents");
    assert!(!parents.available_in(v(1, 7), false));
    assert!(parents.available_in(v(1, 7), true));
    assert!(!parents.available_in(v(1, 6), true));
    assert!(parents.available_in(v(1, 20), false));
    let device = flag("RUN", "device").expect("RUN --device");
    assert!(!device.available_in(LATEST_STABLE, false));
    assert!(device.available_in(v(1, 14), true));
    assert!(!device.available_in(v(1, 13), true));
    let link = flag("COPY", "link").expect("COPY --link");
    assert!(!link.available_in(v(1, 3), true));
    assert!(link.available_in(v(1, 4), false));
}

#[test]
fn enumerated_flag_values() {
    let values = |i: &str, f: &str| -> Vec<&'static str> {
        flag(i, f)
            .map(|f| f.values.iter().map(|v| v.value).collect())
            .unwrap_or_default()
    };
    assert_eq!(values("RUN", "network"), ["default", "none", "host"]);
    assert_eq!(values("RUN", "security"), ["sandbox", "insecure"]);
    assert!(values("RUN", "mount").is_empty());
    assert_eq!(
        flag("RUN", "network")
            .and_then(|f| f.value("host"))
            .map(|v| v.since),
        Some(FrontendVersion::new(1, 3))
    );
    assert!(
        flag("RUN", "network")
            .and_then(|f| f.value("HOST"))
            .is_none()
    );
}

#[test]
fn lookups() {
    assert_eq!(instruction("copy").map(|i| i.name), Some("COPY"));
    assert_eq!(
        instruction("HealthCheck").map(|i| i.name),
        Some("HEALTHCHECK")
    );
    assert!(instruction("COPYY").is_none());
    assert!(instruction("").is_none());
    assert_eq!(flag("run", "mount").map(|f| f.name), Some("mount"));
    assert_eq!(flag("RUN", "--mount").map(|f| f.name), Some("mount"));
    assert!(
        flag("RUN", "Mount").is_none(),
        "flag names are case-sensitive in BuildKit"
    );
    assert!(flag("COPY", "unpack").is_none());
    assert!(flag("ENV", "from").is_none());
    assert!(flag("NOPE", "from").is_none());
    assert_eq!(
        instruction("ADD")
            .and_then(|i| i.flag("--checksum"))
            .map(|f| f.name),
        Some("checksum")
    );
}

#[test]
fn mount_keys_match_buildkit() {
    // parseMount's allKeys in instructions/commands_runmount.go.
    let buildkit = set([
        "type",
        "from",
        "source",
        "target",
        "readonly",
        "id",
        "sharing",
        "required",
        "size",
        "mode",
        "uid",
        "gid",
        "src",
        "dst",
        "destination",
        "ro",
        "rw",
        "readwrite",
        "env",
    ]);
    let mut ours = BTreeSet::new();
    for o in mount_options() {
        assert!(ours.insert(o.name), "{} twice", o.name);
        for a in o.aliases {
            assert!(ours.insert(a), "{a} twice");
        }
    }
    assert_eq!(ours, buildkit);
    assert_eq!(mount_options().len(), 14);
}

#[test]
fn mount_aliases_resolve() {
    let canonical = |k: &str| mount_option(k).map(|o| o.name);
    assert_eq!(canonical("src"), Some("source"));
    assert_eq!(canonical("source"), Some("source"));
    assert_eq!(canonical("dst"), Some("target"));
    assert_eq!(canonical("destination"), Some("target"));
    assert_eq!(canonical("target"), Some("target"));
    assert_eq!(canonical("ro"), Some("readonly"));
    assert_eq!(canonical("rw"), Some("readwrite"));
    assert_eq!(canonical("readwrite"), Some("readwrite"));
    assert_eq!(
        canonical("TYPE"),
        Some("type"),
        "BuildKit lowercases mount keys"
    );
    assert_eq!(canonical("Dst"), Some("target"));
    assert_eq!(canonical("targets"), None);
    assert_eq!(canonical(""), None);
}

#[test]
fn mount_options_per_type() {
    let bare: BTreeSet<_> = mount_options()
        .iter()
        .filter(|o| o.bare_allowed)
        .map(|o| o.name)
        .collect();
    assert_eq!(bare, set(["readonly", "readwrite", "required"]));

    // Spec §2.1: which keys each type documents.
    let expected: [(&str, &[&str]); 5] = [
        ("bind", &["type", "target", "source", "from", "readwrite"]),
        (
            "cache",
            &[
                "type", "id", "target", "readonly", "sharing", "from", "source", "mode", "uid",
                "gid",
            ],
        ),
        ("tmpfs", &["type", "target", "size"]),
        (
            "secret",
            &[
                "type", "id", "target", "env", "required", "mode", "uid", "gid",
            ],
        ),
        (
            "ssh",
            &["type", "id", "target", "required", "mode", "uid", "gid"],
        ),
    ];
    for (ty, keys) in expected {
        let got: BTreeSet<_> = mount_options()
            .iter()
            .filter(|o| o.applies_to(ty))
            .map(|o| o.name)
            .collect();
        assert_eq!(got, set(keys.iter().copied()), "keys of type={ty}");
    }

    for o in mount_options() {
        assert!(!o.doc.trim().is_empty(), "{} doc", o.name);
        assert!(sane(o.since), "{} since", o.name);
        for ty in o.types.iter().chain(o.invalid_for) {
            assert!(
                MOUNT_TYPE_NAMES.contains(ty),
                "{}: unknown type {ty}",
                o.name
            );
        }
        for ty in o.invalid_for {
            assert!(
                !o.types.contains(ty),
                "{} both documented and rejected for {ty}",
                o.name
            );
        }
        if o.bare_allowed {
            let values: Vec<_> = o.values.iter().map(|v| v.value).collect();
            assert_eq!(values, ["true", "false"], "{} bool values", o.name);
        }
    }
    // Errors in parseMount / dispatchSSH.
    let rejected = |k: &str| {
        mount_option(k)
            .map(|o| set(o.invalid_for.iter().copied()))
            .unwrap_or_default()
    };
    assert_eq!(rejected("mode"), set(["bind", "tmpfs"]));
    assert_eq!(rejected("sharing"), set(["bind", "tmpfs", "secret", "ssh"]));
    assert_eq!(rejected("required"), set(["bind", "cache", "tmpfs"]));
    assert_eq!(rejected("size"), set(["bind", "cache", "secret", "ssh"]));
    assert_eq!(rejected("from"), set(["secret"]));
    assert!(mount_option("src").is_some_and(|o| o.rejected_for("SSH")));

    assert_eq!(
        mount_option("env").map(|o| o.since),
        Some(FrontendVersion::new(1, 10))
    );
    assert_eq!(
        mount_option("size").map(|o| o.since),
        Some(FrontendVersion::new(1, 4))
    );
    assert_eq!(
        mount_option("id").map(|o| o.since),
        Some(FrontendVersion::new(1, 2))
    );
}

#[test]
fn mount_types_and_values() {
    let names: Vec<_> = mount_types().iter().map(|t| t.name).collect();
    assert_eq!(names, MOUNT_TYPE_NAMES);
    for t in mount_types() {
        assert!(!t.doc.trim().is_empty(), "{} doc", t.name);
        assert!(t.url.starts_with(REFERENCE), "{} url", t.name);
        for key in t.required {
            assert!(
                mount_option(key).is_some_and(|o| o.name == *key),
                "{}: required {key}",
                t.name
            );
        }
    }
    assert_eq!(mount_type("CACHE").map(|t| t.name), Some("cache"));
    let values = |k: &str| -> Vec<&str> {
        mount_option(k)
            .map(|o| o.values.iter().map(|v| v.value).collect())
            .unwrap_or_default()
    };
    assert_eq!(values("type"), MOUNT_TYPE_NAMES);
    assert_eq!(values("sharing"), ["shared", "private", "locked"]);
}

#[test]
fn directives_table() {
    let names: Vec<_> = directives().iter().map(|d| d.name).collect();
    assert_eq!(names, ["syntax", "escape", "check"]);
    for d in directives() {
        assert!(
            !d.doc.trim().is_empty() && d.url.starts_with(REFERENCE) && sane(d.since),
            "{}",
            d.name
        );
    }
    assert_eq!(
        directive("CHECK").map(|d| d.since),
        Some(FrontendVersion::new(1, 8))
    );
    assert!(directive("shell").is_none());
}

#[test]
fn predefined_args_table() {
    let mut seen = BTreeSet::new();
    for a in predefined_args() {
        assert!(seen.insert(a.name), "{} twice", a.name);
        assert!(
            !a.doc.trim().is_empty() && a.url.starts_with(DOCS),
            "{}",
            a.name
        );
    }
    let of = |kind: PredefinedArgKind| -> BTreeSet<&str> {
        predefined_args()
            .iter()
            .filter(|a| a.kind == kind)
            .map(|a| a.name)
            .collect()
    };
    assert_eq!(
        of(PredefinedArgKind::Platform),
        set([
            "TARGETPLATFORM",
            "TARGETOS",
            "TARGETARCH",
            "TARGETVARIANT",
            "TARGETOSVERSION",
            "BUILDPLATFORM",
            "BUILDOS",
            "BUILDARCH",
            "BUILDVARIANT",
            "BUILDOSVERSION",
            "TARGETSTAGE",
        ])
    );
    assert_eq!(
        of(PredefinedArgKind::Proxy),
        set([
            "HTTP_PROXY",
            "http_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "FTP_PROXY",
            "ftp_proxy",
            "NO_PROXY",
            "no_proxy",
            "ALL_PROXY",
            "all_proxy",
        ])
    );
    assert_eq!(
        of(PredefinedArgKind::BuildKit),
        set([
            "BUILDKIT_BUILD_NAME",
            "BUILDKIT_CACHE_MOUNT_NS",
            "BUILDKIT_CONTEXT_KEEP_GIT_DIR",
            "BUILDKIT_INLINE_CACHE",
            "BUILDKIT_MULTI_PLATFORM",
            "BUILDKIT_SANDBOX_HOSTNAME",
            "BUILDKIT_SYNTAX",
            "BUILDKIT_DOCKERFILE_CHECK",
            "BUILDKIT_SBOM_SCAN_CONTEXT",
            "BUILDKIT_SBOM_SCAN_STAGE",
        ])
    );
    assert_eq!(
        of(PredefinedArgKind::SourceDateEpoch),
        set(["SOURCE_DATE_EPOCH"])
    );
    assert!(predefined_arg("http_proxy").is_some());
    assert!(
        predefined_arg("Http_Proxy").is_none(),
        "ARG names are case-sensitive"
    );
}

/// `linter/ruleset.go`, in file order, with the URL of each rule.
const BUILDKIT_RULES: [(&str, &str); 22] = [
    (
        "StageNameCasing",
        "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/",
    ),
    (
        "FromAsCasing",
        "https://docs.docker.com/go/dockerfile/rule/from-as-casing/",
    ),
    (
        "NoEmptyContinuation",
        "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/",
    ),
    (
        "ConsistentInstructionCasing",
        "https://docs.docker.com/go/dockerfile/rule/consistent-instruction-casing/",
    ),
    (
        "DuplicateStageName",
        "https://docs.docker.com/go/dockerfile/rule/duplicate-stage-name/",
    ),
    (
        "ReservedStageName",
        "https://docs.docker.com/go/dockerfile/rule/reserved-stage-name/",
    ),
    (
        "JSONArgsRecommended",
        "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/",
    ),
    (
        "MaintainerDeprecated",
        "https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/",
    ),
    (
        "UndefinedArgInFrom",
        "https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/",
    ),
    (
        "WorkdirRelativePath",
        "https://docs.docker.com/go/dockerfile/rule/workdir-relative-path/",
    ),
    (
        "UndefinedVar",
        "https://docs.docker.com/go/dockerfile/rule/undefined-var/",
    ),
    (
        "MultipleInstructionsDisallowed",
        "https://docs.docker.com/go/dockerfile/rule/multiple-instructions-disallowed/",
    ),
    (
        "LegacyKeyValueFormat",
        "https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/",
    ),
    ("InvalidBaseImagePlatform", ""),
    (
        "RedundantTargetPlatform",
        "https://docs.docker.com/go/dockerfile/rule/redundant-target-platform/",
    ),
    (
        "SecretsUsedInArgOrEnv",
        "https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/",
    ),
    (
        "InvalidDefaultArgInFrom",
        "https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/",
    ),
    (
        "FromPlatformFlagConstDisallowed",
        "https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/",
    ),
    (
        "CopyIgnoredFile",
        "https://docs.docker.com/go/dockerfile/rule/copy-ignored-file/",
    ),
    (
        "InvalidDefinitionDescription",
        "https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/",
    ),
    (
        "ExposeProtoCasing",
        "https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/",
    ),
    (
        "ExposeInvalidFormat",
        "https://docs.docker.com/go/dockerfile/rule/expose-invalid-format/",
    ),
];

const OUR_RULES: [&str; 5] = [
    "CopyBeforeDependencyInstall",
    "AptUpdateAlone",
    "RemoteAddWithoutChecksum",
    "UnpinnedBaseImage",
    "SecretInBuildArg",
];

#[test]
fn buildkit_rules_match_ruleset() {
    let ours: Vec<(&str, &str)> = rules()
        .iter()
        .filter(|r| r.origin == RuleOrigin::BuildKit)
        .map(|r| (r.code, r.url))
        .collect();
    assert_eq!(ours, BUILDKIT_RULES);
}

#[test]
fn our_rules() {
    let codes: Vec<&str> = rules()
        .iter()
        .filter(|r| r.origin == RuleOrigin::Ours)
        .map(|r| r.code)
        .collect();
    assert_eq!(codes, OUR_RULES);
    for code in OUR_RULES {
        assert_eq!(rule(code).map(|r| r.url), Some(""), "{code}");
    }
    assert_eq!(
        rule("UnpinnedBaseImage").map(|r| r.default_severity),
        Some(RuleSeverity::Information)
    );
}

#[test]
fn rule_entries() {
    let mut seen = BTreeSet::new();
    for r in rules() {
        assert!(seen.insert(r.code), "{} twice", r.code);
        assert!(
            !r.summary.is_empty() && !r.summary.contains('\n'),
            "{} summary",
            r.code
        );
        assert!(r.doc.contains("**Fix:**"), "{} doc says how to fix", r.code);
        assert!(sane(r.since), "{} since", r.code);
        assert!(
            r.url.is_empty() || r.url.starts_with(DOCS),
            "{} url",
            r.code
        );
        assert!(
            !r.deprecated,
            "{}: no rule is deprecated at BuildKit HEAD",
            r.code
        );
        if let Some(until) = r.experimental_until {
            assert!(
                r.since < until && sane(until),
                "{} experimental_until",
                r.code
            );
        }
        if r.origin == RuleOrigin::BuildKit {
            assert_eq!(
                r.default_severity,
                RuleSeverity::Warning,
                "{}: BuildKit only warns",
                r.code
            );
        }
    }
    let experimental: Vec<_> = rules()
        .iter()
        .filter(|r| r.experimental)
        .map(|r| r.code)
        .collect();
    assert_eq!(experimental, ["InvalidDefinitionDescription"]);
    let tagged: Vec<_> = rules()
        .iter()
        .filter(|r| r.flags_deprecated_syntax)
        .map(|r| r.code)
        .collect();
    assert_eq!(tagged, ["MaintainerDeprecated"]);
}

#[test]
fn rule_versions_and_lookup() {
    let since = |c: &str| rule(c).map(|r| r.since);
    let v = FrontendVersion::new;
    assert_eq!(since("StageNameCasing"), Some(v(1, 8)));
    assert_eq!(since("SecretsUsedInArgOrEnv"), Some(v(1, 9)));
    assert_eq!(since("InvalidDefinitionDescription"), Some(v(1, 11)));
    assert_eq!(since("ExposeInvalidFormat"), Some(v(1, 18)));
    assert!(
        rule("stagenamecasing").is_none(),
        "rule names are case-sensitive"
    );
    let copy_ignored = rule("CopyIgnoredFile").expect("CopyIgnoredFile");
    assert!(copy_ignored.experimental_in(v(1, 20)));
    assert!(!copy_ignored.experimental_in(v(1, 21)));
    assert!(rule("InvalidDefinitionDescription").is_some_and(|r| r.experimental_in(LATEST_STABLE)));
}

#[test]
fn docs_link_rather_than_embed_html() {
    let mut texts: Vec<(&str, &str)> = Vec::new();
    for i in instructions() {
        texts.push((i.name, i.doc));
        texts.extend(i.flags.iter().map(|f| (f.name, f.doc)));
    }
    texts.extend(mount_options().iter().map(|o| (o.name, o.doc)));
    texts.extend(mount_types().iter().map(|t| (t.name, t.doc)));
    texts.extend(directives().iter().map(|d| (d.name, d.doc)));
    texts.extend(predefined_args().iter().map(|a| (a.name, a.doc)));
    texts.extend(rules().iter().map(|r| (r.code, r.doc)));
    for (name, text) in texts {
        assert!(
            !text.contains("[!NOTE]") && !text.contains("<a "),
            "{name}: Docker docs markup"
        );
        assert!(
            !text.contains("  \n") && !text.ends_with('\n'),
            "{name}: stray whitespace"
        );
        assert_eq!(
            text.matches("```").count() % 2,
            0,
            "{name}: unbalanced code fence"
        );
    }
}
