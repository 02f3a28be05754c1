//! "Did you mean …?": BuildKit's `util/suggest`, a Levenshtein distance below 3.

/// Levenshtein distance in Unicode scalar values (what `agext/levenshtein` counts).
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// BuildKit's `suggest.Search`: the option closest to `value` at a distance below 3, or
/// `None` when `value` is itself one of the options (the error is then about something
/// else). Case-insensitive search returns the option in `value`'s case when `value` is all
/// upper or all lower case. Ties go to the earlier option (BuildKit iterates a map, so its
/// choice among ties is random; ours is stable).
pub fn search<'o>(
    value: &str,
    options: impl IntoIterator<Item = &'o str>,
    case_sensitive: bool,
) -> Option<String> {
    let folded;
    let val = if case_sensitive {
        value
    } else {
        folded = value.to_lowercase();
        folded.as_str()
    };
    let mut best: Option<String> = None;
    let mut min = 3;
    // The distance is at least the difference in length: a long value (a 5 MB "keyword")
    // is compared by length only, not in time proportional to its length per option.
    let val_len = val.chars().take(64).count();
    for opt in options {
        let opt_cmp = if case_sensitive {
            opt.to_string()
        } else {
            opt.to_lowercase()
        };
        if opt_cmp == val {
            return None;
        }
        if val_len.abs_diff(opt_cmp.chars().count()) >= min {
            continue;
        }
        let d = distance(val, &opt_cmp);
        if d < min {
            min = d;
            best = Some(if case_sensitive {
                opt.to_string()
            } else {
                match_case(&opt_cmp, value)
            });
        }
    }
    best
}

fn match_case(option: &str, original: &str) -> String {
    if original == original.to_lowercase() {
        option.to_lowercase()
    } else if original == original.to_uppercase() {
        option.to_uppercase()
    } else {
        option.to_string()
    }
}

/// `msg (did you mean x?)` when there is a suggestion.
pub(crate) fn with_suggestion(message: String, suggestion: Option<&str>) -> String {
    match suggestion {
        Some(s) => format!("{message} (did you mean {s}?)"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("coppy", "copy"), 1);
        assert_eq!(distance("form", "from"), 2);
        assert_eq!(distance("é", "e"), 1);
    }

    /// A 5 MB unknown "instruction" took 24 s (debug) to find no suggestion.
    #[test]
    fn long_values_are_rejected_by_length() {
        let long = "a".repeat(5 << 20);
        let started = std::time::Instant::now();
        assert_eq!(search(&long, ["ADD", "ARG", "RUN"], false), None);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(
            search("RUNN", ["ADD", "ARG", "RUN"], false),
            Some("RUN".into())
        );
    }

    #[test]
    fn search_like_buildkit() {
        let kws = ["ADD", "COPY", "FROM", "RUN"];
        assert_eq!(search("COPPY", kws, false).as_deref(), Some("COPY"));
        assert_eq!(search("coppy", kws, false).as_deref(), Some("copy"));
        assert_eq!(search("Coppy", kws, false).as_deref(), Some("copy"));
        assert_eq!(search("frobnicate", kws, false), None);
        assert_eq!(
            search("copy", kws, false),
            None,
            "an exact match means no suggestion"
        );
        assert_eq!(
            search("form", ["from", "chown"], true).as_deref(),
            Some("from")
        );
        assert_eq!(
            search("FROM", ["from"], true),
            None,
            "distance 4 case-sensitively"
        );
    }
}
