//! The few Go standard-library and vendored parsers whose verdicts BuildKit's errors depend
//! on: `time.ParseDuration`, `strconv.Parse{Int,Uint,Bool}`, `moby/sys/signal.ParseSignal`,
//! `containerd/platforms.Parse`, `net.ParseIP`, `dchapes-mode.Parse`.

use crate::syntax::shell::go_quote;

/// `time.ParseDuration`, in nanoseconds; the error is Go's message.
pub fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", go_quote(orig));
    let mut s = orig.as_bytes();
    let mut neg = false;
    if let Some(&c) = s.first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            s = &s[1..];
        }
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut d: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        // [0-9]*
        let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
        let pre = digits > 0;
        let mut v: u64 = 0;
        for &c in &s[..digits] {
            v = v
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(c - b'0')))
                .filter(|&v| v <= 1 << 63)
                .ok_or_else(invalid)?;
        }
        s = &s[digits..];
        // (\.[0-9]*)?
        let mut f: u64 = 0;
        let mut scale: f64 = 1.0;
        let mut post = false;
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
            post = n > 0;
            let mut overflow = false;
            for &c in &s[..n] {
                if overflow {
                    continue;
                }
                if f > (i64::MAX as u64 - 9) / 10 {
                    overflow = true;
                    continue;
                }
                f = f * 10 + u64::from(c - b'0');
                scale *= 10.0;
            }
            s = &s[n..];
        }
        if !pre && !post {
            return Err(invalid());
        }
        let unit_len = s
            .iter()
            .take_while(|&&c| !(c == b'.' || c.is_ascii_digit()))
            .count();
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {}", go_quote(orig)));
        }
        let unit_bytes = &s[..unit_len];
        s = &s[unit_len..];
        let unit_str = String::from_utf8_lossy(unit_bytes);
        let unit: u64 = match &*unit_str {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    go_quote(&unit_str),
                    go_quote(orig)
                ));
            }
        };
        if v > (1u64 << 63) / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > 1 << 63 {
                return Err(invalid());
            }
        }
        d += v;
        if d > 1 << 63 {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((d as i64).wrapping_neg());
    }
    if d > (1 << 63) - 1 {
        return Err(invalid());
    }
    Ok(d as i64)
}

/// Why `strconv.ParseInt`/`ParseUint` failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumError {
    Syntax,
    Range,
}

impl NumError {
    /// Go's `*strconv.NumError` message.
    pub fn message(self, func: &str, s: &str) -> String {
        let reason = match self {
            NumError::Syntax => "invalid syntax",
            NumError::Range => "value out of range",
        };
        format!("strconv.{func}: parsing {}: {reason}", go_quote(s))
    }
}

/// `strconv.ParseUint(s, base, bits)` for an explicit base (no prefixes, no underscores).
pub fn parse_uint(s: &str, base: u32, bits: u32) -> Result<u64, NumError> {
    if s.is_empty() {
        return Err(NumError::Syntax);
    }
    let max: u64 = if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    let mut n: u64 = 0;
    let mut overflow = false;
    for c in s.chars() {
        let d = c.to_digit(base).ok_or(NumError::Syntax)?;
        match n
            .checked_mul(u64::from(base))
            .and_then(|n| n.checked_add(u64::from(d)))
        {
            Some(v) if v <= max => n = v,
            _ => overflow = true,
        }
    }
    if overflow {
        return Err(NumError::Range);
    }
    Ok(n)
}

/// `strconv.ParseInt(s, 10, bits)`.
pub fn parse_int(s: &str, bits: u32) -> Result<i64, NumError> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint(digits, 10, 64)?;
    let limit: u64 = 1u64 << (bits.min(64) - 1);
    if neg {
        if u > limit {
            return Err(NumError::Range);
        }
        Ok((u as i64).wrapping_neg())
    } else {
        if u >= limit {
            return Err(NumError::Range);
        }
        Ok(u as i64)
    }
}

/// `strconv.ParseBool`.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Signal names `signal.ParseSignal` knows on Linux (where buildkitd runs), without `SIG`.
const SIGNALS: [&str; 34] = [
    "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL",
    "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP",
    "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ",
];

/// `signal.ParseSignal` on Linux: a non-zero number, or a signal name with or without `SIG`
/// in any case (`RTMIN+n` for n ≤ 15, `RTMAX-n` for n ≤ 14 included).
pub fn is_signal(raw: &str) -> bool {
    if let Ok(n) = parse_int(raw, 64) {
        return n != 0;
    }
    let upper = raw.to_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    if SIGNALS.contains(&name) || name == "RTMIN" || name == "RTMAX" {
        return true;
    }
    let offset = |prefix: &str, max: u32| {
        name.strip_prefix(prefix)
            .and_then(|n| n.parse::<u32>().ok().filter(|_| !n.starts_with('+')))
            .is_some_and(|n| (1..=max).contains(&n))
    };
    offset("RTMIN+", 15) || offset("RTMAX-", 14)
}

/// The parts of a platform `containerd/platforms.Parse` accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub arch: String,
}

fn known_os(os: &str) -> bool {
    matches!(
        os,
        "aix"
            | "android"
            | "darwin"
            | "dragonfly"
            | "freebsd"
            | "hurd"
            | "illumos"
            | "ios"
            | "js"
            | "linux"
            | "nacl"
            | "netbsd"
            | "openbsd"
            | "plan9"
            | "solaris"
            | "windows"
            | "zos"
    )
}

fn known_arch(arch: &str) -> bool {
    matches!(
        arch,
        "386"
            | "amd64"
            | "amd64p32"
            | "arm"
            | "armbe"
            | "arm64"
            | "arm64be"
            | "ppc64"
            | "ppc64le"
            | "loong64"
            | "mips"
            | "mipsle"
            | "mips64"
            | "mips64le"
            | "mips64p32"
            | "mips64p32le"
            | "ppc"
            | "riscv"
            | "riscv64"
            | "s390"
            | "s390x"
            | "sparc"
            | "sparc64"
            | "wasm"
    )
}

fn normalize_arch(arch: &str) -> String {
    let arch = arch.to_lowercase();
    match arch.as_str() {
        "i386" => "386".into(),
        "x86_64" | "x86-64" => "amd64".into(),
        "aarch64" => "arm64".into(),
        "armhf" | "armel" => "arm".into(),
        _ => arch,
    }
}

fn normalize_os(os: &str) -> String {
    let os = os.to_lowercase();
    if os == "macos" { "darwin".into() } else { os }
}

/// `platforms.Parse`; the error names the problem the way containerd does.
pub fn parse_platform(spec: &str) -> Result<Platform, String> {
    if spec.contains('*') {
        return Err(format!("{}: wildcards not yet supported", go_quote(spec)));
    }
    let parts: Vec<&str> = spec.splitn(4, '/').collect();
    let component_ok = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    };
    // The OS may carry `(version+features)`; only its name matters here.
    let os_part = parts[0];
    let os_name = os_part.split('(').next().unwrap_or("");
    let os_ok = !os_name.is_empty()
        && os_name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        && (os_name.len() == os_part.len() || os_part.ends_with(')'));
    if !os_ok {
        return Err(format!(
            "{} is an invalid OS component of {}",
            go_quote(os_part),
            go_quote(spec)
        ));
    }
    for p in &parts[1..] {
        if !component_ok(p) {
            return Err(format!(
                "{} is an invalid component of {}",
                go_quote(p),
                go_quote(spec)
            ));
        }
    }
    let os = normalize_os(os_name);
    match parts.len() {
        1 => {
            if known_os(&os) {
                return Ok(Platform {
                    os,
                    arch: "amd64".into(),
                });
            }
            let arch = normalize_arch(parts[0]);
            if known_arch(&arch) {
                return Ok(Platform {
                    os: "linux".into(),
                    arch,
                });
            }
            Err(format!(
                "{}: unknown operating system or architecture",
                go_quote(spec)
            ))
        }
        2 | 3 => Ok(Platform {
            os,
            arch: normalize_arch(parts[1]),
        }),
        _ => Err(format!(
            "{}: cannot parse platform specifier",
            go_quote(spec)
        )),
    }
}

/// `net.ParseIP` (no zones, no leading-zero octets).
pub fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

/// `dchapes-mode.Parse` of a symbolic mode (`u+x`, `a=rwX,go-w`): whether it parses.
pub fn is_symbolic_mode(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() {
        return false;
    }
    let mut i = 0;
    loop {
        // who*
        while i < b.len() && matches!(b[i], b'a' | b'u' | b'g' | b'o') {
            i += 1;
        }
        if i >= b.len() {
            return false;
        }
        // (op perm*)+
        loop {
            if !matches!(b[i], b'+' | b'-' | b'=') {
                return false;
            }
            i += 1;
            while i < b.len()
                && matches!(
                    b[i],
                    b'r' | b's' | b't' | b'w' | b'X' | b'x' | b'u' | b'g' | b'o'
                )
            {
                i += 1;
            }
            if i >= b.len() {
                return true;
            }
            if b[i] == b',' {
                i += 1;
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Ok(30_000_000_000));
        assert_eq!(parse_duration("1m30s"), Ok(90_000_000_000));
        assert_eq!(parse_duration("1.5h"), Ok(5_400_000_000_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("500us"), Ok(500_000));
        assert_eq!(parse_duration("-1s"), Ok(-1_000_000_000));
        assert_eq!(
            parse_duration("5"),
            Err("time: missing unit in duration \"5\"".into())
        );
        assert_eq!(
            parse_duration("5x"),
            Err("time: unknown unit \"x\" in duration \"5x\"".into())
        );
        assert_eq!(
            parse_duration(""),
            Err("time: invalid duration \"\"".into())
        );
        assert_eq!(
            parse_duration("s"),
            Err("time: invalid duration \"s\"".into())
        );
        assert_eq!(
            parse_duration(".s"),
            Err("time: invalid duration \".s\"".into())
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_int("-3", 32), Ok(-3));
        assert_eq!(parse_int("2147483648", 32), Err(NumError::Range));
        assert_eq!(parse_int("x", 32), Err(NumError::Syntax));
        assert_eq!(parse_uint("755", 8, 32), Ok(0o755));
        assert_eq!(parse_uint("8", 8, 32), Err(NumError::Syntax));
        assert_eq!(parse_uint("-1", 10, 32), Err(NumError::Syntax));
        assert_eq!(
            NumError::Syntax.message("ParseInt", "x"),
            "strconv.ParseInt: parsing \"x\": invalid syntax"
        );
    }

    #[test]
    fn signals() {
        for ok in [
            "SIGTERM",
            "term",
            "9",
            "-1",
            "SIGRTMIN+3",
            "RTMAX-14",
            "sigkill",
        ] {
            assert!(is_signal(ok), "{ok}");
        }
        for bad in ["0", "SIGFOO", "", "RTMIN+16", "RTMAX-0", "SIG"] {
            assert!(!is_signal(bad), "{bad}");
        }
    }

    #[test]
    fn platforms() {
        assert_eq!(
            parse_platform("linux/arm/v7").map(|p| p.arch),
            Ok("arm".to_string())
        );
        assert_eq!(
            parse_platform("linux").map(|p| p.os),
            Ok("linux".to_string())
        );
        assert_eq!(
            parse_platform("arm64").map(|p| p.os),
            Ok("linux".to_string())
        );
        assert!(parse_platform("foo").is_err());
        assert!(parse_platform("linux/amd64/v2/x").is_err());
        assert!(parse_platform("linux//amd64").is_err());
        assert_eq!(
            parse_platform("Linux/x86_64").map(|p| (p.os, p.arch)),
            Ok(("linux".to_string(), "amd64".to_string()))
        );
    }

    #[test]
    fn modes() {
        for ok in ["u+x", "a=rwX,go-w", "+x", "=", "u=g", "go-w+x"] {
            assert!(is_symbolic_mode(ok), "{ok}");
        }
        for bad in ["", "u", "x", "u+x,", "u+q", "z+x"] {
            assert!(!is_symbolic_mode(bad), "{bad}");
        }
    }
}
