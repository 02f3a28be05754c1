use super::*;
use crate::syntax::parse;

fn model(text: &str) -> (Parse, Model) {
    model_with(text, &Options::default())
}

fn model_with(text: &str, options: &Options) -> (Parse, Model) {
    let p = parse(text);
    let m = Model::new(&p, options);
    (p, m)
}

/// `(name text, resolved definition's line or None, value)` for each use, in order.
fn uses(p: &Parse, m: &Model) -> Vec<(String, Option<u32>, Option<String>)> {
    let text = p.text();
    m.var_uses
        .iter()
        .map(|u| {
            let line = u.def.map(|d| {
                let def = &m.var_defs[d as usize];
                text[..usize::from(def.range.start())].matches('\n').count() as u32 + 1
            });
            (
                text[u.range].to_string(),
                line,
                u.value.as_ref().map(|v| v.to_string()),
            )
        })
        .collect()
}

#[test]
fn stages_and_bases() {
    let (_, m) = model(
        "ARG TAG=3.20\nFROM alpine:${TAG} AS Base\nFROM base AS b2\nFROM Base\nFROM scratch\nFROM ${NOPE}\n",
    );
    let bases: Vec<_> = m.stages.iter().map(|s| s.base.clone()).collect();
    assert_eq!(bases[0], Base::Image("alpine:3.20".into()));
    assert_eq!(bases[1], Base::Stage(0));
    // FROM looks up the expanded name exactly; stage names are stored lower-cased.
    assert_eq!(bases[2], Base::Image("Base".into()));
    assert_eq!(bases[3], Base::Scratch);
    assert!(matches!(&bases[4], Base::Unresolved(msg) if msg.contains("should not be blank")));
    assert_eq!(m.stages[0].name.as_deref(), Some("base"));
    assert_eq!(m.meta_args, [0]);
    assert_eq!(m.target, Some(4));
}

#[test]
fn copy_from_resolution_like_buildkit() {
    let text = "FROM a AS one\nCOPY --from=TWO /x /x\nFROM b AS two\nCOPY --from=0 /y /y\nRUN --mount=type=bind,from=one,target=/m true\nCOPY --from=alpine:3 /z /z\nRUN --mount=from=0,target=/n true\n";
    let (p, m) = model(text);
    let refs: Vec<_> = m
        .stage_refs
        .iter()
        .map(|r| (&p.text()[r.range], r.kind, r.target, r.by_index))
        .collect();
    assert_eq!(
        refs,
        [
            ("TWO", StageRefKind::CopyFrom, Some(1), false),
            ("0", StageRefKind::CopyFrom, Some(0), true),
            ("one", StageRefKind::MountFrom, Some(0), false),
            ("alpine:3", StageRefKind::CopyFrom, None, false),
            // A mount's `from` is looked up by name only: `0` is an image.
            ("0", StageRefKind::MountFrom, None, false),
        ]
    );
    assert_eq!(m.stages[1].deps, [0]);
    assert_eq!(
        m.stages[0].deps,
        [1],
        "a forward reference is still a dependency"
    );
    assert!(m.reachable[0] && m.reachable[1]);
}

#[test]
fn global_args_reach_from_and_redeclarations() {
    let text = "ARG V=1\nARG W=$V-2\nFROM alpine:$W\nRUN echo $V\nARG V\nRUN echo $V $W\n";
    let (p, m) = model(text);
    assert_eq!(
        uses(&p, &m),
        [
            ("V".into(), Some(1), Some("1".into())),
            ("W".into(), Some(2), Some("1-2".into())),
            // Not re-declared yet: the global is invisible inside the stage.
            ("V".into(), None, None),
            ("V".into(), Some(5), Some("1".into())),
            ("W".into(), None, None),
        ]
    );
    // The stage's `ARG V` and the global one are one variable.
    let global = 0;
    let stage_def = m
        .var_defs
        .iter()
        .position(|d| d.kind == DefKind::Arg)
        .map(|d| d as u32);
    assert_eq!(stage_def.map(|d| m.group(d)), Some(m.group(global)));
}

#[test]
fn build_args_override() {
    let mut options = Options::default();
    options.build_args.insert("V".into(), "9".into());
    let (_, m) = model_with("ARG V=1\nFROM x\nARG V\nARG V2=$V\nENV E=$V2\n", &options);
    let last = m.entries.len() - 1;
    assert_eq!(shell_get(&m.entries[last].env, "V2"), Some("9"));
    assert_eq!(shell_get(&m.global_defaults, "V"), Some("1"));
}

fn shell_get<'a>(env: &'a EnvList, name: &str) -> Option<&'a str> {
    crate::syntax::shell::Env::get(env, name)
}

#[test]
fn env_uses_previous_values_arg_is_sequential() {
    let text = "FROM x\nENV A=1\nENV A=2 B=$A\nARG C=3 D=$C\nRUN echo $B $D\n";
    let (p, m) = model(text);
    let got = uses(&p, &m);
    assert_eq!(got[0], ("A".into(), Some(2), Some("1".into())));
    assert_eq!(got[1], ("C".into(), Some(4), Some("3".into())));
    assert_eq!(got[2], ("B".into(), Some(3), Some("1".into())));
    assert_eq!(got[3], ("D".into(), Some(4), Some("3".into())));
}

#[test]
fn env_order_moves_to_end() {
    let (_, m) = model("FROM x\nENV A=1 B=2\nENV A=1\nRUN true\n");
    let names: Vec<_> = m.entries[3].env.names().collect();
    assert_eq!(names, ["PATH", "B", "A"]);
}

#[test]
fn child_stage_inherits_args_and_env_runtime_sees_env_only() {
    let text = "FROM x AS base\nARG CHANNEL=stable\nENV HOME_DIR=/h\nFROM base\nRUN echo $CHANNEL\nCMD echo $CHANNEL $HOME_DIR\n";
    let (p, m) = model(text);
    let got = uses(&p, &m);
    assert_eq!(got[0], ("CHANNEL".into(), Some(2), Some("stable".into())));
    // CMD runs in the container: ARGs are gone, ENV stays.
    assert_eq!(got[1], ("CHANNEL".into(), None, None));
    assert_eq!(got[2], ("HOME_DIR".into(), Some(3), Some("/h".into())));
    assert_eq!(m.var_uses[1].context, UseContext::Runtime);
}

#[test]
fn heredoc_and_mount_references() {
    let text = "FROM x\nARG V=1\nRUN --mount=type=cache,target=/c/$V,id=${V} <<EOF\necho $V '$NOT'\nEOF\nCOPY <<'A' <<B /d/\n$QUOTED\nA\n$V\nB\n";
    let (p, m) = model(text);
    let names: Vec<_> = uses(&p, &m).into_iter().map(|(n, d, _)| (n, d)).collect();
    assert_eq!(
        names,
        [
            ("V".into(), Some(2)),
            ("V".into(), Some(2)),
            ("V".into(), Some(2)),
            ("V".into(), Some(2)),
        ]
    );
    let run = &m.entries[2];
    assert_eq!(run.mounts.len(), 1);
    assert_eq!(run.mounts[0].0.kind(), "cache");
}

#[test]
fn ranges_survive_continuations_and_unicode() {
    let text = "FROM x\nARG APP_HOME=/app\nRUN echo \"建置階段😀\" \\\n    $APP_HOME\n";
    let (p, m) = model(text);
    let u = &m.var_uses[0];
    assert_eq!(&p.text()[u.range], "APP_HOME");
    assert_eq!(&p.text()[u.full_range], "$APP_HOME");
    assert_eq!(&p.text()[m.var_defs[0].range], "APP_HOME");
    assert_eq!(
        m.var_defs[0].value_range.map(|r| &p.text()[r]),
        Some("/app")
    );
}

#[test]
fn image_config_of_a_stage() {
    let text = "FROM x AS a\nWORKDIR app\nWORKDIR ../srv\nUSER 1000\nCMD [\"run\"]\nENTRYPOINT [\"e\"]\nEXPOSE 80 53/UDP\nLABEL k=v k=w\nSHELL [\"bash\", \"-c\"]\nSTOPSIGNAL SIGTERM\nVOLUME /data\nFROM a\nENTRYPOINT e2\n";
    let (_, m) = model(text);
    let a = &m.stages[0].config;
    assert_eq!(a.working_dir.as_deref(), Some("/srv"));
    assert_eq!(a.user.as_deref(), Some("1000"));
    assert_eq!(
        a.cmd,
        Some(vec!["run".to_string()]),
        "CMD set in the stage survives ENTRYPOINT"
    );
    assert_eq!(a.exposed_ports, ["80/tcp", "53/udp"]);
    assert_eq!(a.labels, [("k".to_string(), "w".to_string())]);
    assert_eq!(a.stop_signal.as_deref(), Some("SIGTERM"));
    let child = &m.stages[1].config;
    assert_eq!(child.cmd, None, "ENTRYPOINT resets an inherited CMD");
    assert_eq!(
        child.entrypoint,
        Some(vec!["bash".to_string(), "-c".to_string(), "e2".to_string()])
    );
    assert_eq!(m.entries[2].workdir.as_deref(), Some("/app"));
    assert!(m.entries[2].workdir_set);
}

#[test]
fn onbuild_triggers_run_in_same_file_children() {
    let text = "FROM x AS base\nONBUILD ENV T=1\nONBUILD COPY --from=tools /t /t\nFROM x AS tools\nFROM base\nRUN echo $T\n";
    let (p, m) = model(text);
    let last = uses(&p, &m).pop();
    assert_eq!(last, Some(("T".into(), Some(2), Some("1".into()))));
    assert_eq!(m.stages[2].deps, [0, 1]);
    assert_eq!(
        m.stages[0].config.onbuild,
        ["ENV T=1", "COPY --from=tools /t /t"]
    );
    assert!(
        m.stage_refs
            .iter()
            .any(|r| r.onbuild && r.target == Some(1))
    );
}

#[test]
fn target_selection_and_reachability() {
    let text = "FROM a AS base\nFROM base AS app\nFROM a AS tools\n";
    let (_, m) = model(text);
    assert_eq!(m.reachable, [false, false, true]);
    let (_, m) = model_with(
        text,
        &Options {
            target: Some("APP".into()),
            ..Options::default()
        },
    );
    assert_eq!(m.reachable, [true, true, false]);
    let (_, m) = model_with(
        text,
        &Options {
            target: Some("nope".into()),
            ..Options::default()
        },
    );
    assert_eq!(m.target_missing.as_deref(), Some("nope"));
}

#[test]
fn shadowing_definitions_are_one_variable() {
    let text = "FROM x AS a\nARG X=1\nENV X=2\nFROM a\nENV X=3\nRUN echo $X\nFROM x\nENV X=4\n";
    let (_, m) = model(text);
    let groups: Vec<_> = (0..m.var_defs.len() as u32).map(|d| m.group(d)).collect();
    assert_eq!(groups[0], groups[1]);
    assert_eq!(groups[1], groups[2]);
    assert_ne!(
        groups[2], groups[3],
        "an unrelated stage's ENV X is another variable"
    );
    assert_eq!(m.uses_of_group(0).count(), 1);
}

#[test]
fn predefined_and_proxy_args() {
    let text =
        "FROM --platform=$BUILDPLATFORM x\nARG TARGETARCH\nRUN echo $TARGETARCH $HTTP_PROXY\n";
    let (p, m) = model(text);
    let got = uses(&p, &m);
    assert_eq!(
        got[0],
        ("BUILDPLATFORM".into(), None, Some("linux/amd64".into()))
    );
    assert!(m.var_uses[0].predefined);
    assert_eq!(got[1].2.as_deref(), Some("amd64"));
    assert!(m.var_uses[2].predefined);
}

#[test]
fn orphans_and_empty_files() {
    let (_, m) = model("RUN x\nARG A\nFROM y\n");
    assert_eq!(m.orphans, [0]);
    let (_, m) = model("");
    assert!(m.stages.is_empty() && m.target.is_none());
}

/// The parts of two models that must agree.
fn assert_same_model(a: &Model, b: &Model, text: &str) {
    assert_eq!(a.stages, b.stages, "stages of {text:?}");
    assert_eq!(a.var_defs, b.var_defs, "defs of {text:?}");
    assert_eq!(a.var_uses, b.var_uses, "uses of {text:?}");
    assert_eq!(a.stage_refs, b.stage_refs, "stage refs of {text:?}");
    assert_eq!(a.entries, b.entries, "entries of {text:?}");
    assert_eq!(a.reachable, b.reachable);
    assert_eq!(a.target, b.target);
    let groups = |m: &Model| {
        (0..m.var_defs.len() as u32)
            .map(|d| m.group(d))
            .collect::<Vec<_>>()
    };
    assert_eq!(groups(a), groups(b), "groups of {text:?}");
}

#[test]
fn update_reuses_unchanged_stages_and_equals_a_fresh_analysis() {
    let text = "ARG B=alpine\nFROM $B AS one\nENV A=1\nRUN echo $A\nFROM one AS two\nRUN echo $A\nFROM x\nCOPY --from=two /a /b\nRUN --mount=type=cache,target=/c true\n";
    let old_parse = parse(text);
    let old = Model::new(&old_parse, &Options::default());
    for (start, end, insert) in [
        (29, 30, "2"),
        (0, 0, "# c\n"),
        (47, 47, "ENV C=3\n"),
        (61, 61, "x"),
    ] {
        let edit = crate::syntax::TextEdit {
            range: TextRange::new((start as u32).into(), (end as u32).into()),
            insert: insert.to_string(),
        };
        let new_text = edit.apply(text);
        let new_parse = old_parse.reparse(&new_text, &edit);
        let updated = old.update(&new_parse, &Options::default());
        assert_same_model(
            &updated,
            &Model::new(&new_parse, &Options::default()),
            &new_text,
        );
    }
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1500))]

        #[test]
        fn update_after_any_edit_equals_a_fresh_analysis(
            lines in proptest::collection::vec(
                prop_oneof![
                    Just("ARG V=1"), Just("FROM alpine AS base"), Just("FROM base AS b"),
                    Just("FROM scratch"), Just("ENV A=$V B=2"), Just("ARG V"), Just("RUN echo $A $V"),
                    Just("COPY --from=b /x /y"), Just("ONBUILD ENV O=1"), Just("WORKDIR /w"),
                    Just("RUN <<EOF"), Just("echo $A"), Just("EOF"), Just("# c"), Just(""),
                    Just("USER u"), Just("CMD echo $A"),
                ],
                0..20,
            ),
            at in 0usize..300, len in 0usize..12,
            insert in prop_oneof![
                Just(String::new()), Just("\n".to_string()), Just("x".to_string()),
                Just("ENV Z=9\n".to_string()), Just("FROM y AS c\n".to_string()),
                Just("$V".to_string()), "[ -~\n]{0,6}",
            ],
        ) {
            let text = lines.join("\n");
            let start = at.min(text.len());
            let end = (start + len).min(text.len());
            let edit = crate::syntax::TextEdit {
                range: TextRange::new((start as u32).into(), (end as u32).into()),
                insert,
            };
            let new_text = edit.apply(&text);
            let old_parse = parse(&text);
            let old = Model::new(&old_parse, &Options::default());
            let new_parse = old_parse.reparse(&new_text, &edit);
            let updated = old.update(&new_parse, &Options::default());
            assert_same_model(&updated, &Model::new(&new_parse, &Options::default()), &new_text);
        }
    }
}

#[test]
fn labels_keep_buildkit_order() {
    let (_, m) = model("FROM a\nLABEL x=0 y=0\nLABEL a=1 b=2 x=9 a=3\n");
    let labels: Vec<(&str, &str)> = m.stages[0]
        .config
        .labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(labels, [("y", "0"), ("b", "2"), ("x", "9"), ("a", "3")]);
}

/// One line of 50 000 distinct ENV, ARG or LABEL keys is analysed in linear time (each
/// key used to rescan all the others: minutes for a 5 MB line).
#[test]
fn one_instruction_with_many_keys_is_linear() {
    for keyword in ["ENV", "ARG", "LABEL"] {
        let pairs: String = (0..50_000).map(|i| format!("k{i}=v ")).collect();
        let text = format!("FROM a\n{keyword} {pairs}\nRUN echo $k0 $k49999\n");
        let started = std::time::Instant::now();
        let (_, m) = model(&text);
        assert!(!m.entries.is_empty());
        let took = started.elapsed();
        assert!(
            took < std::time::Duration::from_secs(20),
            "{keyword}: {took:?}"
        );
    }
}
