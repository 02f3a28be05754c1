//! Unit tests. Expected values for BuildKit behaviour were checked against BuildKit's own lexer.

use std::collections::{BTreeMap, HashMap};

use proptest::prelude::*;

use super::pattern::{glob_to_regex, reverse_pattern};
use super::*;

type Pairs = Vec<(String, String)>;

fn env(pairs: &[(&str, &str)]) -> Pairs {
    pairs
        .iter()
        .map(|&(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// A small fixed environment for most tests.
fn base_env() -> Pairs {
    env(&[
        ("FOO", "foo"),
        ("ABC", "abc"),
        ("EMPTY", ""),
        ("SP", "a  b"),
        ("PAT", "#o"),
        ("PWD", "/home"),
    ])
}

fn word(input: &str) -> Result<String, String> {
    word_with(Lexer::new('\\'), input, &base_env())
}

fn word_with(lexer: Lexer, input: &str, env: &Pairs) -> Result<String, String> {
    lexer
        .process_word(input, env)
        .map(|p| p.value)
        .map_err(|e| e.to_string())
}

fn words(input: &str) -> Result<Vec<String>, String> {
    Lexer::new('\\')
        .process_words(input, &base_env())
        .map_err(|e| e.to_string())
}

fn err(input: &str) -> ShellError {
    match Lexer::new('\\').process_word(input, &base_env()) {
        Ok(p) => panic!("{input:?} should fail, gave {:?}", p.value),
        Err(e) => e,
    }
}

fn ok(s: &str) -> Result<String, String> {
    Ok(s.to_owned())
}

fn fails(msg: &str) -> Result<String, String> {
    Err(msg.to_owned())
}

// ---- plain text, quotes, escapes ----------------------------------------------------------------

#[test]
fn dollar_before_a_non_name_character_is_literal() {
    assert_eq!(word("$."), ok("$."));
    assert_eq!(word("a$"), ok("a$"));
    assert_eq!(word("$ x"), ok("$ x"));
    assert_eq!(word("$/"), ok("$/"));
    assert_eq!(word("\"$\""), ok("$"));
}

#[test]
fn special_and_positional_parameters_are_looked_up_and_unset() {
    let p = Lexer::new('\\')
        .process_word("$1$@$*$#$?$-$$$!$0", &base_env())
        .expect("expands");
    assert_eq!(p.value, "");
    assert_eq!(p.unmatched, ["1", "@", "*", "#", "?", "-", "$", "!", "0"]);
    // A digit run is one name; a special parameter is one character.
    assert_eq!(word("$123abc"), ok("abc"));
    assert_eq!(word("$0abc"), ok("abc"));
    assert_eq!(word("$@@@"), ok("@@"));
    assert_eq!(word("${999:-bbb}aaa"), ok("bbbaaa"));
    assert_eq!(word("${-:-d}"), ok("d"));
    assert_eq!(word("${#}"), ok(""));
    // Go's IsDigit covers every Nd digit, so an Arabic-Indic digit starts a digit run.
    let p = Lexer::new('\\')
        .process_word("$٣x", &base_env())
        .expect("expands");
    assert_eq!((p.value.as_str(), p.unmatched), ("x", vec!["٣".to_owned()]));
}

#[test]
fn names_use_go_unicode_classes() {
    let probe = |input: &str| {
        let p = Lexer::new('\\')
            .process_word(input, &base_env())
            .expect("expands");
        (p.value, p.unmatched)
    };
    assert_eq!(probe("$한국어"), (String::new(), vec!["한국어".to_owned()]));
    assert_eq!(probe("$a٣"), (String::new(), vec!["a٣".to_owned()]));
    // `²` is No, not Nd; a combining acute (Mn) is not a letter.
    assert_eq!(probe("$x²"), ("²".to_owned(), vec!["x".to_owned()]));
    assert_eq!(
        probe("$e\u{301}"),
        ("\u{301}".to_owned(), vec!["e".to_owned()])
    );
    let korean = env(&[("KOREAN", "한국어")]);
    assert_eq!(
        word_with(Lexer::new('\\'), "안녕$KOREAN", &korean),
        ok("안녕한국어")
    );
}

#[test]
fn single_quotes_are_literal() {
    assert_eq!(word("'$FOO'"), ok("$FOO"));
    assert_eq!(word("'a\\'"), ok("a\\"));
    assert_eq!(word("'\"x\"'"), ok("\"x\""));
    assert_eq!(
        word("'abc"),
        fails("unexpected end of statement while looking for matching single-quote")
    );
}

#[test]
fn double_quotes_expand_and_escape_only_quote_dollar_and_escape() {
    assert_eq!(word("\"\\a\\\"\\$\\\\\""), ok("\\a\"$\\"));
    assert_eq!(word("\"he'$FOO'\""), ok("he'foo'"));
    assert_eq!(word("\"he\\$FOO\""), ok("he$FOO"));
    assert_eq!(
        word("\"abc"),
        fails("unexpected end of statement while looking for matching double-quote")
    );
    // An escape right before the end is dropped, and the quote is still missing.
    assert_eq!(
        word("\"abc\\"),
        fails("unexpected end of statement while looking for matching double-quote")
    );
}

#[test]
fn escapes_outside_quotes() {
    assert_eq!(word("he\\$FOO"), ok("he$FOO"));
    assert_eq!(word("abc\\tdef"), ok("abctdef"));
    assert_eq!(word("he\\'llo"), ok("he'llo"));
    // An escape at the very end of the input disappears.
    assert_eq!(word("abc\\"), ok("abc"));
    assert_eq!(word("abc\\\\"), ok("abc\\"));
}

#[test]
fn backtick_escape_token() {
    let lexer = Lexer::new('`');
    assert_eq!(lexer.escape(), '`');
    let e = base_env();
    assert_eq!(word_with(lexer, "`$FOO", &e), ok("$FOO"));
    assert_eq!(word_with(lexer, "\"`\"`$FOO\"", &e), ok("\"$FOO"));
    assert_eq!(word_with(lexer, "a`", &e), ok("a"));
    assert_eq!(word_with(lexer, "`'x`'", &e), ok("'x'"));
    // A backslash is then an ordinary character, but patterns still escape with `\`.
    assert_eq!(word_with(lexer, "a\\b", &e), ok("a\\b"));
    assert_eq!(word_with(lexer, "${FOO#`*}", &e), ok("foo"));
}

#[test]
fn heredoc_marker_keeps_its_blanks() {
    assert_eq!(words("<< EOF"), Ok(vec!["<< EOF".to_owned()]));
    assert_eq!(
        words("<<\t EOF x"),
        Ok(vec!["<<\t EOF".to_owned(), "x".to_owned()])
    );
    assert_eq!(
        words("a < b"),
        Ok(vec!["a".to_owned(), "<".to_owned(), "b".to_owned()])
    );
    assert_eq!(word("<< EOF"), ok("<< EOF"));
}

#[test]
fn byte_order_mark_at_the_start_is_skipped() {
    assert_eq!(word("\u{FEFF}$ABC"), ok("abc"));
    assert_eq!(word("\u{FEFF}\u{FEFF}$ABC"), ok("\u{FEFF}abc"));
    assert_eq!(word("x\u{FEFF}"), ok("x\u{FEFF}"));
    // Patterns are read by a fresh scanner, which drops one at their start too.
    assert_eq!(word("${ABC#\u{FEFF}a}"), ok("bc"));
    assert_eq!(word("${ABC%c\u{FEFF}}"), ok("ab"));
}

// ---- ${…} syntax errors ---------------------------------------------------------------------------

#[test]
fn bad_substitutions() {
    for input in ["${}", "${:}", "${{}", "${:-x}", "he${}xx", "${{aaa}"] {
        assert_eq!(err(input).kind, ShellErrorKind::BadSubstitution, "{input}");
    }
    assert_eq!(err("${").kind, ShellErrorKind::MissingBrace);
    assert_eq!(err("${FOO:}").kind, ShellErrorKind::MissingBrace);
    assert_eq!(err("${aaa:-bbb ${foo}").kind, ShellErrorKind::MissingBrace);
    // An unclosed quote inside a modifier word is reported as the missing brace.
    assert_eq!(err("${FOO:-'x}").kind, ShellErrorKind::MissingBrace);
    assert_eq!(err("${FOO:-\"x}").kind, ShellErrorKind::MissingBrace);
    assert_eq!(err("${FOO/x").kind, ShellErrorKind::MissingSlash);
    assert_eq!(err("${FOO//x").kind, ShellErrorKind::MissingSlash);
    assert_eq!(err("${FOO/x/y").kind, ShellErrorKind::MissingBrace);
    assert_eq!(err("${FOO//}").kind, ShellErrorKind::MissingSlash);
}

#[test]
fn unclosed_name_reports_the_end_of_input_as_modifier() {
    let e = err("he${PWD");
    assert_eq!(
        e.kind,
        ShellErrorKind::UnsupportedModifier("\u{FFFD}".to_owned())
    );
    assert_eq!(
        e.to_string(),
        "unsupported modifier (\u{FFFD}) in substitution"
    );
    assert_eq!(e.range, 2..7);
}

#[test]
fn unsupported_modifiers() {
    let cases = [
        ("${FOO:=x}", ":="),
        ("${FOO=x}", "="),
        ("${FOO:#x}", ":#"),
        ("${FOO:##x}", ":#"),
        ("${FOO:%x}", ":%"),
        ("${FOO:%%}", ":%"),
        ("${FOO:/x}", ":/"),
        ("${FOO:x}", ":x"),
        ("${FOO:}x}", ":}"),
        ("${.}", "."),
        ("${#x}", "x"),
        ("${FOO^^}", "^"),
        ("${FOO:1:5}", ":1"),
    ];
    for (input, op) in cases {
        assert_eq!(
            err(input).kind,
            ShellErrorKind::UnsupportedModifier(op.to_owned()),
            "{input}"
        );
    }
}

#[test]
fn error_ranges_are_byte_ranges() {
    // "안녕" is 6 bytes.
    let e = err("안녕${}x");
    assert_eq!(e.range, 6..9);
    let e = err("안녕${:x}");
    assert_eq!(e.range, 6..9);
    let e = err("😀 ${FOO=x} tail");
    assert_eq!(e.range, 5..11);
    let e = err("é${FOO:#x}");
    assert_eq!(e.range, 2..9);
    let e = err("é${FOO:-x");
    assert_eq!((e.kind, e.range), (ShellErrorKind::MissingBrace, 2..10));
    let e = err("x 'y");
    assert_eq!(e.range, 2..4);
    let e = err("${NOPE?}");
    assert_eq!(e.range, 0..8);
    let e = err("${ABC#\\x} y");
    assert_eq!(e.range, 0..9);
}

#[test]
fn buildkit_message_wraps_with_go_quoting() {
    let input = "he${PWD";
    let e = err(input);
    assert_eq!(
        e.buildkit_message(input),
        "failed to process \"he${PWD\": unsupported modifier (\u{FFFD}) in substitution"
    );
    assert_eq!(go_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
    assert_eq!(go_quote("\t\n\u{7}\u{0}\u{7f}"), "\"\\t\\n\\a\\x00\\x7f\"");
    assert_eq!(go_quote("é한😀\u{301}"), "\"é한😀\u{301}\"");
    assert_eq!(
        go_quote("\u{a0}\u{ad}\u{2028}"),
        "\"\\u00a0\\u00ad\\u2028\""
    );
    assert_eq!(go_quote("\u{e0001}"), "\"\\U000e0001\"");
}

// ---- modifiers -----------------------------------------------------------------------------------

#[test]
fn default_alternative_and_required() {
    let e = env(&[("FOO", "xxx"), ("BAR", "")]);
    let lx = Lexer::new('\\');
    assert_eq!(
        word_with(lx, "${FOO-a} ${BAR-b} ${BAZ-c}", &e),
        ok("xxx  c")
    );
    assert_eq!(
        word_with(lx, "${FOO:-a} ${BAR:-b} ${BAZ:-c}", &e),
        ok("xxx b c")
    );
    assert_eq!(word_with(lx, "${FOO+a} ${BAR+b} ${BAZ+c}", &e), ok("a b "));
    assert_eq!(
        word_with(lx, "${FOO:+a} ${BAR:+b} ${BAZ:+c}", &e),
        ok("a  ")
    );
    assert_eq!(word_with(lx, "${FOO?a}${BAR?b}", &e), ok("xxx"));
    assert_eq!(word_with(lx, "${FOO:?a}", &e), ok("xxx"));
    assert_eq!(
        word_with(lx, "${BAZ?}", &e),
        fails("BAZ: is not allowed to be unset")
    );
    assert_eq!(
        word_with(lx, "${BAR:?}", &e),
        fails("BAR: is not allowed to be empty")
    );
    assert_eq!(
        word_with(lx, "${BAZ:?}", &e),
        fails("BAZ: is not allowed to be unset")
    );
    assert_eq!(word_with(lx, "${BAR:?bbb}", &e), fails("BAR: bbb"));
    // The message is expanded.
    let e2 = env(&[("VAR", ""), ("ARG", "x")]);
    assert_eq!(
        word_with(lx, "${VAR:?message here$ARG}", &e2),
        fails("VAR: message herex")
    );
    assert_eq!(word_with(lx, "${VAR?message here$ARG}", &e2), ok(""));
    // Nested defaults.
    assert_eq!(word("he${XXX:-${YYY:-yyy}}xx"), ok("heyyyxx"));
    assert_eq!(word("${aaa:-bbb}}"), ok("bbb}"));
    assert_eq!(word("${aaa:-bbb {foo}"), ok("bbb {foo"));
    assert_eq!(word("he${XXX:-\\${PWD}z}xx"), ok("he${PWDz}xx"));
}

#[test]
fn prefix_and_suffix_removal() {
    let lx = Lexer::new('\\');
    let xxyy = env(&[("FOO", "xxyy")]);
    for (input, want) in [
        ("${FOO#*x*y}", "y"),
        ("${FOO#*}", "xxyy"),
        ("${FOO#}", "xxyy"),
        ("${FOO##*x}", "yy"),
        ("${FOO##}", "xxyy"),
        ("${FOO%x}", "xxyy"),
        ("${FOO%}", "xxyy"),
        ("${FOO%y*}", "xxy"),
        ("${FOO%%y*}", "xx"),
        ("${FOO%%x*}", ""),
    ] {
        assert_eq!(word_with(lx, input, &xxyy), ok(want), "{input}");
    }
    let special = env(&[("FOO", "()[]{}^$.*?|\\x")]);
    assert_eq!(
        word_with(lx, "${FOO#()[]{\\}^$.\\*\\?|\\\\}", &special),
        ok("x")
    );
    let stars = env(&[("FOO", "a***yy*")]);
    assert_eq!(word_with(lx, "${FOO%%\\**\\*}", &stars), ok("a"));
    let q = env(&[("FOO", "???y")]);
    assert_eq!(word_with(lx, "${FOO#?\\?}", &q), ok("?y"));
    // A doubled operator can come from a variable.
    assert_eq!(word("${FOO#$PAT}"), ok("foo"));
    let e = env(&[("FOO", "xxyy"), ("BAR", "x")]);
    assert_eq!(word_with(lx, "${FOO#$BAR}", &e), ok("xyy"));
    // Invalid escapes; for `%` BuildKit names the reversed pattern.
    assert_eq!(
        word("${ABC#\\x}"),
        fails("invalid pattern (\\x) in substitution: invalid escape '\\x'")
    );
    assert_eq!(
        word("${ABC%ab\\x}"),
        fails("invalid pattern (\\xba) in substitution: invalid escape '\\x'")
    );
    assert_eq!(word("${ABC#\\}}"), ok("abc"));
    assert_eq!(err("${ABC#\\}").kind, ShellErrorKind::MissingBrace);
}

#[test]
fn replacement() {
    let lx = Lexer::new('\\');
    let e = env(&[("FOO", "/foo*/*/*.txt"), ("NEEDLE", "\\*/")]);
    assert_eq!(
        word_with(lx, "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", &e),
        ok("/foo.*/*.txt - /foo..*.txt")
    );
    let e = env(&[("FOO", "/tmp/tmp/bar.txt"), ("NEEDLE", "/tmp")]);
    assert_eq!(
        word_with(lx, "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", &e),
        ok("/tmp/bar.txt - /bar.txt")
    );
    let e = env(&[("FOO", "/tmp/foo.txt")]);
    assert_eq!(word_with(lx, "${FOO//\\//\\/}", &e), ok("\\/tmp\\/foo.txt"));
    let e = env(&[("FOO", "xxyy"), ("BAR", "")]);
    assert_eq!(word_with(lx, "${FOO/$BAR/ww}", &e), ok("wwxxyy"));
    assert_eq!(word_with(lx, "${FOO///}", &e), ok("xxyy"));
    assert_eq!(word("${ABC//*/x}"), ok("x"));
    assert_eq!(word("${ABC//?/x}"), ok("xxx"));
    assert_eq!(word("${ABC///x}"), ok("xaxbxcx"));
    assert_eq!(word("${ABC/*/x}"), ok("x"));
    assert_eq!(word("${ABC/\\//x}"), ok("abc"));
}

#[test]
fn replace_all_uses_go_template_expansion() {
    // `$0` is expanded by the lexer first unless escaped; escaped, Go's template sees it.
    assert_eq!(word("${FOO//o/[$0]}"), ok("f[][]"));
    assert_eq!(word("${FOO//o/[\\$0]}"), ok("f[\\o][\\o]"));
    assert_eq!(word("${FOO//o/<\\$\\$>}"), ok("f<\\$\\$><\\$\\$>"));
    assert_eq!(word("${FOO//o/\\${0}}"), ok("f\\${0\\${0}"));
    assert_eq!(word("${ABC//b/\\$00}"), ok("a\\c"));
    assert_eq!(word("${ABC//b/\\$1}"), ok("a\\c"));
    assert_eq!(word("${ABC//b/\\$x}"), ok("a\\c"));
    assert_eq!(word("${ABC//b/\\$}"), ok("a\\$c"));
    assert_eq!(word("${ABC//b/\\${0x}"), ok("a\\${0xc"));
    // A single replacement is spliced in literally.
    assert_eq!(word("${FOO/o/[\\$0]}"), ok("f[\\$0]o"));
}

#[test]
fn empty_and_odd_names() {
    // `${+x}`, `${/o/x}`, `${%x}` read an empty name and look it up.
    for input in ["${+x}", "${/o/x}", "${%x}"] {
        let p = Lexer::new('\\')
            .process_word(input, &base_env())
            .expect("expands");
        assert_eq!((p.value.as_str(), p.unmatched), ("", vec![String::new()]));
    }
}

#[test]
fn release_file_name_example() {
    let tpl =
        "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
    let lx = Lexer::new('\\');
    let mut e = env(&[
        ("VERSION", "v1.2.3"),
        ("TARGETOS", "linux"),
        ("TARGETARCH", "arm"),
        ("TARGETVARIANT", "v7"),
    ]);
    assert_eq!(
        word_with(lx, tpl, &e),
        ok("something-v1.2.3.linux-arm-v7.tar.gz")
    );
    e.push(("TARGETVARIANT".to_owned(), String::new()));
    assert_eq!(
        word_with(lx, tpl, &e),
        ok("something-v1.2.3.linux-arm.tar.gz")
    );
}

// ---- matches, options, words ---------------------------------------------------------------------

#[test]
fn matched_and_unmatched_in_first_seen_order() {
    let e = env(&[("B", "1"), ("A", "2")]);
    let p = Lexer::new('\\')
        .process_word("$Z ${B} $A ${Y:-$B} $Z $X", &e)
        .expect("expands");
    assert_eq!(p.matched, ["B", "A"]);
    assert_eq!(p.unmatched, ["Z", "Y", "X"]);
    let p = Lexer::new('\\').process_word("x", &e).expect("expands");
    assert!(p.matched.is_empty() && p.unmatched.is_empty());
}

#[test]
fn options() {
    let e = base_env();
    let mut sue = Lexer::new('\\');
    sue.skip_unset_env = true;
    assert_eq!(word_with(sue, "${NOPE:-x}", &e), ok("${NOPE:-x}"));
    assert_eq!(
        word_with(sue, "$NOPE ${NOPE} ${NOPE#x}", &e),
        ok("$NOPE ${NOPE} ${NOPE#x}")
    );
    assert_eq!(word_with(sue, "${FOO} $1", &e), ok("foo $1"));
    // `//` comes back with a single slash.
    assert_eq!(word_with(sue, "${NOPE//a/b}", &e), ok("${NOPE/a/b}"));

    let mut rq = Lexer::new('\\');
    rq.raw_quotes = true;
    assert_eq!(word_with(rq, "'a' \"b\"", &e), ok("'a' \"b\""));

    let mut re = Lexer::new('\\');
    re.raw_escapes = true;
    // In double quotes an escape before an ordinary character is doubled.
    assert_eq!(word_with(re, "a\\ b \"\\x\"", &e), ok("a\\ b \\\\x"));

    let mut spq = Lexer::new('\\');
    spq.skip_process_quotes = true;
    assert_eq!(word_with(spq, "'$FOO' \"$FOO\"", &e), ok("'foo' \"foo\""));
}

#[test]
fn word_splitting() {
    assert_eq!(
        words("hello there"),
        Ok(vec!["hello".to_owned(), "there".to_owned()])
    );
    assert_eq!(
        words("x ${SP} y"),
        Ok(vec!["x".into(), "a".into(), "b".into(), "y".into()])
    );
    assert_eq!(
        words("x \"${SP}\" y"),
        Ok(vec!["x".into(), "a  b".into(), "y".into()])
    );
    assert_eq!(words("a\\ b"), Ok(vec!["a b".to_owned()]));
    // Empty quotes make no word; Go's IsSpace splits at NBSP and U+3000 but not U+200B.
    assert_eq!(words("a \"\" b"), Ok(vec!["a".to_owned(), "b".to_owned()]));
    assert_eq!(
        words("a\u{a0}b\u{3000}c\u{200b}d"),
        Ok(vec!["a".into(), "b".into(), "c\u{200b}d".into()])
    );
    assert_eq!(
        words("x ${NOPE} y"),
        Ok(vec!["x".to_owned(), "y".to_owned()])
    );
}

#[test]
fn nested_word_drops_the_outer_word_so_far() {
    // BuildKit's shared word buffer: what precedes `${v:-…}` in the same word is lost.
    assert_eq!(words("a${X:-b}"), Ok(vec!["b".to_owned()]));
    assert_eq!(
        words("a\"${X:-b}\" c"),
        Ok(vec!["b".to_owned(), "c".to_owned()])
    );
    assert_eq!(
        words("p ab${FOO#f}"),
        Ok(vec!["p".to_owned(), "oo".to_owned()])
    );
    // process_word is unaffected.
    assert_eq!(word("a${X:-b}"), ok("ab"));
}

#[test]
fn env_implementations() {
    let mut map = HashMap::new();
    map.insert("A".to_owned(), "1".to_owned());
    assert_eq!(
        Lexer::new('\\').process_word("$A$a", &map).map(|p| p.value),
        Ok("1".into())
    );
    let tree: BTreeMap<String, String> = [("A".to_owned(), "2".to_owned())].into();
    assert_eq!(
        Lexer::new('\\').process_word("$A", &tree).map(|p| p.value),
        Ok("2".into())
    );
    // Later pairs win, as in BuildKit's EnvsFromSlice.
    let list = [("car", "hat"), ("car", "bike")];
    assert_eq!(Env::get(&list, "car"), Some("bike"));
    assert_eq!(Env::get(&list[..], "CAR"), None);
    let by_ref: &dyn Env = &&list;
    assert_eq!(by_ref.get("car"), Some("bike"));
    let owned = env(&[("A", "3")]);
    let slice: &[(String, String)] = &owned;
    assert_eq!(
        Lexer::new('\\').process_word("$A", &slice).map(|p| p.value),
        Ok("3".into())
    );
}

// ---- patterns ------------------------------------------------------------------------------------

#[test]
fn glob_conversion() {
    assert_eq!(glob_to_regex("*", true, true).as_deref(), Ok("^.*"));
    assert_eq!(glob_to_regex("*", false, false).as_deref(), Ok(".*?"));
    assert_eq!(glob_to_regex("?", true, true).as_deref(), Ok("^."));
    assert_eq!(glob_to_regex("\\*", true, true).as_deref(), Ok("^\\*"));
    assert_eq!(
        glob_to_regex("(()[]{\\}^$.\\*\\?|\\\\", true, true).as_deref(),
        Ok("^\\(\\(\\)\\[\\]\\{\\}\\^\\$\\.\\*\\?\\|\\\\")
    );
    assert_eq!(glob_to_regex("a\\/b", true, false).as_deref(), Ok("a/b"));
    assert_eq!(
        glob_to_regex("\\", true, true),
        Err("invalid escape '\\\u{FFFD}'".to_owned())
    );
    assert_eq!(
        glob_to_regex("\\x", true, true),
        Err("invalid escape '\\x'".to_owned())
    );
    assert!(glob_to_regex("\\\\\\", true, true).is_err());
}

#[test]
fn pattern_reversal_keeps_escapes() {
    for (pattern, reversed) in [
        ("a\\*c", "c\\*a"),
        ("\\\\\\ab", "b\\a\\\\"),
        ("ab\\", "\\ba"),
        ("👽\\🚀🖖", "🖖\\🚀👽"),
        ("\\\\b", "b\\\\"),
        ("", ""),
    ] {
        assert_eq!(reverse_pattern(pattern), reversed, "{pattern}");
    }
}

// ---- limits --------------------------------------------------------------------------------------

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = "${a:-".repeat(5000) + &"}".repeat(5000);
    assert_eq!(err(&deep).kind, ShellErrorKind::TooDeep);
    let scan = var_refs(&deep, '\\', RefMode::Builder);
    assert_eq!(scan.errors.len(), 1);
    // Scanning resumes after each give-up; only the `${` that went too deep is lost each time.
    assert!(scan.refs.len() > 4900, "{}", scan.refs.len());
    let sh = "$(".repeat(5000) + &"\"`${".repeat(2000);
    let scan = var_refs(&sh, '\\', RefMode::Shell);
    assert_eq!(scan.errors.len(), 1);
    assert_eq!(scan.errors[0].kind, ShellErrorKind::TooDeep);
    // Moderate nesting is fine.
    let ok_depth = "${a:-".repeat(150) + "x" + &"}".repeat(150);
    assert_eq!(word(&ok_depth), ok("x"));
}

// ---- reference scanner: builder rules ------------------------------------------------------------

fn refs(text: &str, mode: RefMode) -> Vec<(String, std::ops::Range<usize>)> {
    let scan = var_refs(text, '\\', mode);
    assert!(scan.errors.is_empty(), "{text:?}: {:?}", scan.errors);
    scan.refs.into_iter().map(|r| (r.name, r.range)).collect()
}

fn names(text: &str, mode: RefMode) -> Vec<String> {
    refs(text, mode).into_iter().map(|(n, _)| n).collect()
}

/// Every reference points at its own text.
fn check_ranges(text: &str, scan: &VarScan) {
    for r in &scan.refs {
        assert_eq!(&text[r.name_range.clone()], r.name, "{text:?}");
        assert!(text[r.range.clone()].starts_with('$'), "{text:?}: {r:?}");
        assert!(r.range.start < r.name_range.start && r.name_range.end <= r.range.end);
        if let Some(m) = &r.modifier {
            assert!(
                r.range.start <= m.range.start && m.range.end <= r.range.end,
                "{r:?}"
            );
        }
    }
    for e in &scan.errors {
        assert!(text.get(e.range.clone()).is_some(), "{text:?}: {e:?}");
    }
}

#[test]
fn builder_refs_with_multibyte_text() {
    let text = "안녕 $FOO 😀${BAR:-é$BAZ}e\u{301}$한국어";
    let scan = var_refs(text, '\\', RefMode::Builder);
    check_ranges(text, &scan);
    assert!(scan.errors.is_empty());
    let got: Vec<_> = scan
        .refs
        .iter()
        .map(|r| (r.name.as_str(), r.range.clone(), r.braced))
        .collect();
    assert_eq!(
        got,
        [
            ("FOO", 7..11, false),
            ("BAR", 16..30, true),
            ("BAZ", 25..29, false),
            ("한국어", 33..43, false),
        ]
    );
    let bar = &scan.refs[1];
    assert_eq!(bar.name_range, 18..21);
    let m = bar.modifier.as_ref().expect("modifier");
    assert_eq!(
        (m.kind, m.range.clone()),
        (ModifierKind::UseDefault { colon: true }, 21..23)
    );
    assert_eq!(&text[m.range.clone()], ":-");
}

#[test]
fn builder_refs_follow_the_lexer() {
    let b = RefMode::Builder;
    assert_eq!(names("'$A' \"$B\" \\$C $D", b), ["B", "D"]);
    assert_eq!(names("$1 $@ ${#} ${0:-$X} $$", b), ["X"]);
    assert_eq!(
        names("${A:+${B}} ${C#$D} ${E//$F/$G}", b),
        ["A", "B", "C", "D", "E", "F", "G"]
    );
    assert_eq!(names("$. $ ${A}x", b), ["A"]);
    // With a backtick escape, `\` is ordinary and `` ` `` protects.
    let scan = var_refs("`$A \\$B", '`', b);
    let got: Vec<_> = scan.refs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(got, ["B"]);
    // COPY heredoc bodies: BuildKit skips quote processing there.
    let mut heredoc = Lexer::new('\\');
    heredoc.skip_process_quotes = true;
    let scan = heredoc.var_refs("echo '$A' \"$B\"\n");
    let got: Vec<_> = scan.refs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(got, ["A", "B"]);
}

#[test]
fn builder_modifiers() {
    let kinds = |text: &str| -> Vec<(ModifierKind, String)> {
        let scan = var_refs(text, '\\', RefMode::Builder);
        check_ranges(text, &scan);
        scan.refs
            .iter()
            .filter_map(|r| r.modifier.as_ref())
            .map(|m| (m.kind, text[m.range.clone()].to_owned()))
            .collect()
    };
    use ModifierKind as M;
    assert_eq!(
        kinds("${a-x}${b:+x}${c?}${d#x}${e##x}${f%x}${g%%x}${h/x/y}${i//x/y}"),
        [
            (M::UseDefault { colon: false }, "-".to_owned()),
            (M::UseAlternative { colon: true }, ":+".to_owned()),
            (M::Required { colon: false }, "?".to_owned()),
            (M::RemovePrefix { longest: false }, "#".to_owned()),
            (M::RemovePrefix { longest: true }, "##".to_owned()),
            (M::RemoveSuffix { longest: false }, "%".to_owned()),
            (M::RemoveSuffix { longest: true }, "%%".to_owned()),
            (M::Replace { all: false }, "/".to_owned()),
            (M::Replace { all: true }, "//".to_owned()),
        ]
    );
    assert_eq!(kinds("${a}"), []);
    assert_eq!(
        kinds("${a:=x}"),
        [(M::AssignDefault { colon: true }, ":=".to_owned())]
    );
    assert_eq!(kinds("${a:#x}"), [(M::Other, ":#".to_owned())]);
}

#[test]
fn builder_scan_errors_and_recovery() {
    let text = "é${A:=x} $B ${} $C";
    let scan = var_refs(text, '\\', RefMode::Builder);
    check_ranges(text, &scan);
    // Only the error BuildKit stops at, but later references are still found.
    assert_eq!(scan.errors.len(), 1);
    assert_eq!(
        scan.errors[0].kind,
        ShellErrorKind::UnsupportedModifier(":=".to_owned())
    );
    // BuildKit notices the operator only after reading the word, so the range ends at `}`.
    assert_eq!(scan.errors[0].range, 2..9);
    let got: Vec<_> = scan.refs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(got, ["A", "B", "C"]);
    // A reference that breaks still has its name and reaches to the end.
    let scan = var_refs("x ${FOO:-y", '\\', RefMode::Builder);
    assert_eq!(scan.errors[0].kind, ShellErrorKind::MissingBrace);
    assert_eq!(scan.refs[0].range, 2..10);
    // Value-dependent problems are not reported; literal bad patterns are.
    assert!(
        var_refs("${A?} ${B:?msg}", '\\', RefMode::Builder)
            .errors
            .is_empty()
    );
    assert!(
        var_refs("${A#a$X}", '\\', RefMode::Builder)
            .errors
            .is_empty()
    );
    // Pattern words keep their escapes, so `\$X` is not expanded and `\$` is a bad escape.
    let scan = var_refs("${A#\\$X}", '\\', RefMode::Builder);
    assert_eq!(
        scan.errors[0].to_string(),
        "invalid pattern (\\$X) in substitution: invalid escape '\\$'"
    );
    assert_eq!(
        word("${ABC#\\$X}"),
        fails("invalid pattern (\\$X) in substitution: invalid escape '\\$'")
    );
    let scan = var_refs("${A%a\\x}", '\\', RefMode::Builder);
    assert_eq!(
        scan.errors[0].to_string(),
        "invalid pattern (\\xa) in substitution: invalid escape '\\x'"
    );
}

// ---- reference scanner: shell rules --------------------------------------------------------------

#[test]
fn shell_quoting() {
    let s = RefMode::Shell;
    assert_eq!(names("echo '$A' \"$B\" \\$C $D", s), ["B", "D"]);
    assert_eq!(names("echo \"it's $A\" '\"$B\"'", s), ["A"]);
    assert_eq!(names("echo $'it\\'s $A' $B", s), ["B"]);
    assert_eq!(names("echo \"\\$A \\\\$B\"", s), ["B"]);
    assert_eq!(
        names("echo $1 $10 $@ $# $$ ${#} ${10}", s),
        Vec::<String>::new()
    );
    // The shell's escape is always `\`, whatever the Dockerfile's escape token.
    let scan = var_refs("echo `echo $A` \\$B", '`', s);
    let got: Vec<_> = scan.refs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(got, ["A"]);
}

#[test]
fn shell_substitutions() {
    let s = RefMode::Shell;
    assert_eq!(
        names("x=$(echo \"$A\" $(cat $B)) `ls $C`", s),
        ["A", "B", "C"]
    );
    assert_eq!(names("echo $((A + $B * (2 + ${C})))", s), ["B", "C"]);
    assert_eq!(
        names("echo ${#A} ${A:-$B} ${A[$i]} ${!R}", s),
        ["A", "A", "B", "A", "i", "R"]
    );
    assert_eq!(names("echo \"${A:-'$B'}\" ${C:-'$D'}", s), ["A", "B", "C"]);
    // Things sh (or bash) accepts are no errors.
    for text in [
        "echo ${v:1:5} ${v^^} ${v,,} ${v/#a/b} ${v@Q} ${v:=x} ${v=x}",
        "Write-Host ${env:PATH} $env:TEMP ${c:\\x}",
        "echo ${.} ${a.b}",
        "echo $((1+2)) $(( (1+2) ))",
    ] {
        let scan = var_refs(text, '\\', s);
        assert!(scan.errors.is_empty(), "{text}: {:?}", scan.errors);
        check_ranges(text, &scan);
    }
    // PowerShell's `env:` is not a shell variable.
    assert_eq!(names("echo ${env:PATH} $env:TEMP $ENV:X $env", s), ["env"]);
}

#[test]
fn shell_modifiers() {
    let text = "${#A} ${B:-x} ${C//a/b} ${D:1:2} ${E}";
    let scan = var_refs(text, '\\', RefMode::Shell);
    check_ranges(text, &scan);
    let got: Vec<_> = scan
        .refs
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                r.modifier
                    .as_ref()
                    .map(|m| (m.kind, &text[m.range.clone()])),
            )
        })
        .collect();
    use ModifierKind as M;
    assert_eq!(
        got,
        [
            ("A", Some((M::Length, "#"))),
            ("B", Some((M::UseDefault { colon: true }, ":-"))),
            ("C", Some((M::Replace { all: true }, "//"))),
            ("D", Some((M::Other, ":"))),
            ("E", None),
        ]
    );
    assert_eq!(scan.refs[0].range, 0..5);
}

#[test]
fn shell_comments_and_heredocs() {
    let s = RefMode::Shell;
    assert_eq!(names("echo $A # don't $B", s), ["A"]);
    assert_eq!(names("echo a#$B", s), ["B"]);
    assert_eq!(names("echo $A\n# it's $B\necho $C", s), ["A", "C"]);
    assert_eq!(names("cat <<EOF\n$A 'x\nEOF\necho $B", s), ["A", "B"]);
    assert_eq!(names("cat <<'EOF' > f\n$A don't\nEOF\necho $B", s), ["B"]);
    assert_eq!(names("cat <<-\"E\"\n\t$A\n\tE\n$B", s), ["B"]);
    assert_eq!(names("cat <<<\"$A\"", s), ["A"]);
}

#[test]
fn shell_errors() {
    let kinds = |text: &str| -> Vec<(ShellErrorKind, std::ops::Range<usize>)> {
        let scan = var_refs(text, '\\', RefMode::Shell);
        check_ranges(text, &scan);
        scan.errors.into_iter().map(|e| (e.kind, e.range)).collect()
    };
    assert_eq!(
        kinds("é 'abc"),
        [(ShellErrorKind::UnterminatedSingleQuote, 3..7)]
    );
    assert_eq!(
        kinds("\"abc"),
        [(ShellErrorKind::UnterminatedDoubleQuote, 0..4)]
    );
    assert_eq!(kinds("x ${}"), [(ShellErrorKind::BadSubstitution, 2..5)]);
    assert_eq!(kinds("${A"), [(ShellErrorKind::MissingBrace, 0..3)]);
    assert_eq!(
        kinds("$(ls"),
        [(ShellErrorKind::UnterminatedCommandSubstitution, 0..4)]
    );
    assert_eq!(
        kinds("`ls"),
        [(ShellErrorKind::UnterminatedBackquote, 0..3)]
    );
    assert_eq!(
        kinds("$((1"),
        [(ShellErrorKind::UnterminatedArithmetic, 0..4)]
    );
}

#[test]
fn shell_refs_with_multibyte_text() {
    let text = "echo 안녕 \"😀$FOO\"e\u{301}${BAR:-한}";
    let scan = var_refs(text, '\\', RefMode::Shell);
    check_ranges(text, &scan);
    assert!(scan.errors.is_empty());
    let got: Vec<_> = scan
        .refs
        .iter()
        .map(|r| (r.name.as_str(), r.range.clone()))
        .collect();
    assert_eq!(got, [("FOO", 17..21), ("BAR", 25..36)]);
    // sh names are ASCII: `$한` is a literal dollar.
    assert!(var_refs("echo $한", '\\', RefMode::Shell).refs.is_empty());
}

#[test]
fn modifier_frontend_versions() {
    use ModifierKind as M;
    let v = |major, minor, patch| {
        FrontendSupport::Since(FrontendVersion {
            major,
            minor,
            patch,
        })
    };
    assert_eq!(
        M::UseDefault { colon: true }.min_frontend_version(),
        FrontendSupport::Always
    );
    assert_eq!(
        M::UseAlternative { colon: true }.min_frontend_version(),
        FrontendSupport::Always
    );
    assert_eq!(
        M::UseDefault { colon: false }.min_frontend_version(),
        v(1, 6, 0)
    );
    assert_eq!(
        M::UseAlternative { colon: false }.min_frontend_version(),
        v(1, 6, 0)
    );
    assert_eq!(
        M::Required { colon: true }.min_frontend_version(),
        v(1, 1, 6)
    );
    for k in [
        M::RemovePrefix { longest: false },
        M::RemoveSuffix { longest: true },
        M::Replace { all: true },
    ] {
        assert_eq!(k.min_frontend_version(), v(1, 7, 0));
    }
    for k in [M::AssignDefault { colon: true }, M::Length, M::Other] {
        assert_eq!(k.min_frontend_version(), FrontendSupport::Never);
    }
    let scan = var_refs("${A-x}", '\\', RefMode::Builder);
    let m = scan.refs[0].modifier.as_ref().expect("modifier");
    assert_eq!(m.min_frontend_version(), v(1, 6, 0));
    assert!(v(1, 6, 0) != FrontendSupport::Always);
    assert!(
        FrontendVersion {
            major: 1,
            minor: 6,
            patch: 0
        } < FrontendVersion {
            major: 1,
            minor: 7,
            patch: 0
        }
    );
}

// ---- never panic ---------------------------------------------------------------------------------

fn all_modes(input: &str) {
    let e = base_env();
    for escape in ['\\', '`'] {
        let mut lx = Lexer::new(escape);
        let _ = lx.process_word(input, &e);
        let _ = lx.process_words(input, &e);
        lx.raw_quotes = true;
        lx.raw_escapes = true;
        lx.skip_unset_env = true;
        let _ = lx.process_word(input, &e);
        lx.skip_process_quotes = true;
        let _ = lx.process_words(input, &e);
        for mode in [RefMode::Builder, RefMode::Shell] {
            let scan = var_refs(input, escape, mode);
            check_ranges(input, &scan);
        }
    }
}

/// The builder scan reports exactly the variables the lexer looks up.
fn scan_agrees_with_lexer(input: &str) {
    let empty: Pairs = Vec::new();
    let Ok(p) = Lexer::new('\\').process_word(input, &empty) else {
        return;
    };
    let mut looked_up: Vec<String> = p
        .unmatched
        .into_iter()
        .filter(|n| {
            n.chars()
                .next()
                .is_some_and(|c| c == '_' || super::gochar::is_letter(c))
        })
        .collect();
    let scan = var_refs(input, '\\', RefMode::Builder);
    assert!(scan.errors.is_empty(), "{input:?}: {:?}", scan.errors);
    let mut found: Vec<String> = scan.refs.into_iter().map(|r| r.name).collect();
    found.dedup();
    looked_up.sort();
    found.sort();
    found.dedup();
    assert_eq!(looked_up, found, "{input:?}");
}

proptest! {
    #[test]
    fn builder_scan_matches_lexer_lookups(
        input in "([$\\{\\}:#%/\\\\'\"<?*+=@ aXé_0-9-]|\u{FEFF}|한){0,40}"
    ) {
        scan_agrees_with_lexer(&input);
    }

    #[test]
    fn arbitrary_text_never_panics(input in any::<String>()) {
        all_modes(&input);
    }

    #[test]
    fn shell_like_text_never_panics(
        input in "([$\\{\\}:#%/\\\\'\"`<()\\[\\]?*+=@!^,;| \t\nabéX0-9_-]|\u{FEFF}|한|😀|\u{301}){0,60}"
    ) {
        all_modes(&input);
    }
}
