//! `RUN --mount=…` values, split the way BuildKit splits them: a CSV record
//! (`go-csvvalue`) of `key=value` fields, keys case-insensitive.

use std::ops::Range;

use smol_str::SmolStr;

/// One field of a mount value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountField {
    /// Lower-cased key (`src`, `dst`… are kept as written; see [`MountField::canonical_key`]).
    pub key: SmolStr,
    /// `None` for a bare key such as `ro` or `required`.
    pub value: Option<SmolStr>,
    /// Byte ranges in the mount value text (quotes included when the field was quoted).
    pub range: Range<usize>,
    pub key_range: Range<usize>,
    pub value_range: Option<Range<usize>>,
}

impl MountField {
    /// The key with aliases resolved: `src`→`source`, `dst`/`destination`→`target`,
    /// `ro`→`readonly`, `rw`→`readwrite`.
    pub fn canonical_key(&self) -> &str {
        match self.key.as_str() {
            "src" => "source",
            "dst" | "destination" => "target",
            "ro" => "readonly",
            "rw" => "readwrite",
            other => other,
        }
    }
}

/// A parsed `--mount` value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mount {
    pub fields: Vec<MountField>,
    /// A CSV syntax error (BuildKit: "failed to parse csv mounts: …"), with its offset.
    pub csv_error: Option<(String, usize)>,
}

impl Mount {
    pub fn parse(value: &str) -> Mount {
        let mut mount = Mount::default();
        match csv_fields(value) {
            Ok(fields) => {
                for (text, range) in fields {
                    let (key, value_part) = match text.split_once('=') {
                        Some((k, v)) => (k, Some(v)),
                        None => (text.as_str(), None),
                    };
                    // Offsets inside the field are only exact when it was not quoted.
                    let quoted = value.as_bytes().get(range.start) == Some(&b'"');
                    let key_range = if quoted {
                        range.clone()
                    } else {
                        range.start..range.start + key.len()
                    };
                    let value_range = value_part.map(|_| {
                        if quoted {
                            range.clone()
                        } else {
                            range.start + key.len() + 1..range.end
                        }
                    });
                    mount.fields.push(MountField {
                        key: SmolStr::new(key.to_lowercase()),
                        value: value_part.map(SmolStr::new),
                        range,
                        key_range,
                        value_range,
                    });
                }
            }
            Err(error) => mount.csv_error = Some(error),
        }
        mount
    }

    /// The value of the last field with this (canonical) key.
    pub fn get(&self, key: &str) -> Option<&MountField> {
        self.fields.iter().rev().find(|f| f.canonical_key() == key)
    }

    /// The mount type BuildKit ends up with: `bind` unless a `type=` says otherwise.
    pub fn kind(&self) -> SmolStr {
        self.get("type")
            .and_then(|f| f.value.as_ref())
            .map_or(SmolStr::new_static("bind"), |v| {
                SmolStr::new(v.to_lowercase())
            })
    }
}

/// A CSV field's text and its byte range in the line.
type CsvField = (String, Range<usize>);

/// `go-csvvalue` `Fields`: one CSV record with `,` separators and `"` quoting. An error
/// carries its message and offset.
fn csv_fields(line: &str) -> Result<Vec<CsvField>, (String, usize)> {
    let line = line
        .strip_suffix('\n')
        .map_or(line, |l| l.strip_suffix('\r').unwrap_or(l));
    if line.is_empty() {
        return Err(("EOF".to_string(), 0));
    }
    let bytes = line.as_bytes();
    let mut fields = Vec::new();
    let mut pos = 0;
    loop {
        if pos >= bytes.len() || bytes[pos] != b'"' {
            let end = line[pos..].find(',').map_or(line.len(), |i| pos + i);
            if let Some(j) = line[pos..end].find('"') {
                return Err(("bare \" in non-quoted-field".to_string(), pos + j));
            }
            fields.push((line[pos..end].to_string(), pos..end));
            if end == line.len() {
                return Ok(fields);
            }
            pos = end + 1;
            continue;
        }
        let start = pos;
        pos += 1;
        let mut text = String::new();
        loop {
            let Some(i) = line[pos..].find('"') else {
                return Err(("extraneous or missing \" in quoted-field".to_string(), pos));
            };
            text.push_str(&line[pos..pos + i]);
            pos += i + 1;
            match bytes.get(pos) {
                Some(b'"') => {
                    text.push('"');
                    pos += 1;
                }
                Some(b',') => {
                    fields.push((text, start..pos));
                    pos += 1;
                    break;
                }
                None => {
                    fields.push((text, start..pos));
                    return Ok(fields);
                }
                Some(_) => {
                    return Err((
                        "extraneous or missing \" in quoted-field".to_string(),
                        pos - 1,
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_ranges() {
        let v = "type=cache,Target=/root/.cache,ro,from=build";
        let m = Mount::parse(v);
        let keys: Vec<_> = m.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["type", "target", "ro", "from"]);
        assert_eq!(m.kind(), "cache");
        let from = m.get("from").expect("from");
        assert_eq!(&v[from.value_range.clone().expect("value")], "build");
        assert_eq!(m.get("readonly").map(|f| f.value.is_none()), Some(true));
        assert_eq!(Mount::parse("target=/x").kind(), "bind");
    }

    #[test]
    fn csv_quoting() {
        let m = Mount::parse(r#""source=a,b",target=/x"#);
        assert_eq!(m.fields[0].value.as_deref(), Some("a,b"));
        assert_eq!(m.fields[1].range, 13..22);
        assert!(Mount::parse(r#"a"b"#).csv_error.is_some());
        assert!(Mount::parse(r#""ab"c"#).csv_error.is_some());
        assert!(Mount::parse("").csv_error.is_some());
        let trailing = Mount::parse("type=bind,");
        assert_eq!(trailing.fields.len(), 2);
        assert_eq!(trailing.fields[1].key, "");
    }
}
