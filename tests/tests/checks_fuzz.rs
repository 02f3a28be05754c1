//! Property: no input makes `checks::check` panic, every range it returns (diagnostics and
//! fix edits) lies on character boundaries of the text, fix edits do not overlap, and
//! applying a fix gives a text that checks again without panicking.

use dockerfile_lsp::checks::{self, Config};
use dockerfile_lsp::model::Model;
use dockerfile_lsp::syntax::{self, TextRange};
use proptest::prelude::*;

/// Pieces Dockerfiles are made of, including broken ones.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("FROM".to_string()),
        Just("from".to_string()),
        Just("FrOm".to_string()),
        Just("RUN".to_string()),
        Just("COPY".to_string()),
        Just("ADD".to_string()),
        Just("ENV".to_string()),
        Just("ARG".to_string()),
        Just("LABEL".to_string()),
        Just("EXPOSE".to_string()),
        Just("WORKDIR".to_string()),
        Just("CMD".to_string()),
        Just("ENTRYPOINT".to_string()),
        Just("HEALTHCHECK".to_string()),
        Just("ONBUILD".to_string()),
        Just("SHELL".to_string()),
        Just("STOPSIGNAL".to_string()),
        Just("VOLUME".to_string()),
        Just("USER".to_string()),
        Just("MAINTAINER".to_string()),
        Just("COPPY".to_string()),
        Just("AS".to_string()),
        Just("as".to_string()),
        Just("alpine:3.20".to_string()),
        Just("scratch".to_string()),
        Just("build".to_string()),
        Just("Build".to_string()),
        Just("--from=build".to_string()),
        Just("--from=$X".to_string()),
        Just("--from=0".to_string()),
        Just("--platform=$TARGETPLATFORM".to_string()),
        Just("--platform=linux/amd64".to_string()),
        Just("--mount=type=cache,target=/c".to_string()),
        Just("--mount=type=secret,id=x,env=Y,required".to_string()),
        Just("--mount=from=build,target=.".to_string()),
        Just("--mount=\"type=bind,x".to_string()),
        Just("--network=hots".to_string()),
        Just("--chmod=u+x".to_string()),
        Just("--link=yes".to_string()),
        Just("--interval=5x".to_string()),
        Just("--checksum=sha256:ab".to_string()),
        Just("--".to_string()),
        Just("NONE".to_string()),
        Just("CMD".to_string()),
        Just("a=b".to_string()),
        Just("=x".to_string()),
        Just("KEY_TOKEN=1".to_string()),
        Just("$VAR".to_string()),
        Just("${VAR:-x}".to_string()),
        Just("${VAR%%.*}".to_string()),
        Just("${".to_string()),
        Just("${}".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("[\"a\", 1]".to_string()),
        Just("[\"sh\", \"-c\"]".to_string()),
        Just("[".to_string()),
        Just("<<EOF".to_string()),
        Just("<<-'X'".to_string()),
        Just("EOF".to_string()),
        Just("\\".to_string()),
        Just("`".to_string()),
        Just("# check=skip=all".to_string()),
        Just("# check=skip=MaintainerDeprecated;error=true".to_string()),
        Just("# check=bogus".to_string()),
        Just("# syntax=docker/dockerfile:1.3".to_string()),
        Just("# escape=`".to_string()),
        Just("#".to_string()),
        Just("80/TCP".to_string()),
        Just("1.2.3.4:80:80".to_string()),
        Just("[::1]:1-2:3".to_string()),
        Just("SIGFOO".to_string()),
        Just("https://example.com/a.tgz".to_string()),
        Just(".".to_string()),
        Just("npm ci".to_string()),
        Just("apt-get update".to_string()),
        Just("&&".to_string()),
        Just("é".to_string()),
        Just("😀".to_string()),
        Just("\u{feff}".to_string()),
        Just("\r".to_string()),
        Just("\t".to_string()),
        "[a-z$={}:/.\\-\"' ]{0,6}",
    ]
}

fn line() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..7).prop_map(|p| p.join(" "))
}

fn dockerfile() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 0..14).prop_map(|l| l.join("\n"))
}

fn on_boundaries(text: &str, r: TextRange) -> bool {
    let (s, e) = (usize::from(r.start()), usize::from(r.end()));
    s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
}

fn run(text: &str, config: &Config) -> Vec<checks::Diagnostic> {
    let parse = syntax::parse(text);
    let model = Model::new(&parse, &config.model_options());
    checks::check(&parse, &model, config)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn check_never_panics(text in dockerfile(), experimental in any::<bool>()) {
        let config = Config { experimental, ..Config::default() };
        let diags = run(&text, &config);
        for d in &diags {
            prop_assert!(on_boundaries(&text, d.range), "{d:?}");
            for fix in &d.fixes {
                let mut edits = fix.edits.clone();
                edits.sort_by_key(|(r, _)| (r.start(), r.end()));
                for w in edits.windows(2) {
                    prop_assert!(w[0].0.end() <= w[1].0.start(), "overlapping edits in {fix:?}");
                }
                let mut fixed = text.clone();
                for (r, new) in edits.iter().rev() {
                    prop_assert!(on_boundaries(&text, *r), "{fix:?}");
                    fixed.replace_range(usize::from(r.start())..usize::from(r.end()), new);
                }
                run(&fixed, &config);
            }
        }
    }
}
