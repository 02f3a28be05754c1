//! Shell-word processing and variable expansion, as BuildKit's `frontend/dockerfile/shell` does it.
//!
//! Interim subset (word splitting with an environment lookup) until the full lexer lands.

use std::collections::HashMap;
use std::fmt;

pub trait Env {
    fn get(&self, name: &str) -> Option<&str>;
}

impl Env for HashMap<String, String> {
    fn get(&self, name: &str) -> Option<&str> {
        HashMap::get(self, name).map(String::as_str)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellError {
    pub message: String,
}

impl fmt::Display for ShellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Debug, Clone)]
pub struct Lexer {
    pub escape: char,
    pub raw_quotes: bool,
    pub raw_escapes: bool,
    pub skip_process_quotes: bool,
    pub skip_unset_env: bool,
}

impl Lexer {
    pub fn new(escape: char) -> Lexer {
        Lexer {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_process_quotes: false,
            skip_unset_env: false,
        }
    }

    pub fn process_words(&self, text: &str, env: &dyn Env) -> Result<Vec<String>, ShellError> {
        let chars: Vec<char> = text.chars().collect();
        let mut w = Word {
            lex: self,
            env,
            chars,
            pos: 0,
        };
        let (_, words) = w.stop_on(None, self.raw_escapes)?;
        Ok(words)
    }
}

fn err(message: &str) -> ShellError {
    ShellError {
        message: message.to_string(),
    }
}

struct Word<'a> {
    lex: &'a Lexer,
    env: &'a dyn Env,
    chars: Vec<char>,
    pos: usize,
}

#[derive(Default)]
struct Words {
    buf: String,
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, c: char) {
        if c.is_whitespace() {
            if self.in_word && !self.buf.is_empty() {
                self.words.push(std::mem::take(&mut self.buf));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(c);
        }
    }
    fn add_raw_char(&mut self, c: char) {
        self.buf.push(c);
        self.in_word = true;
    }
    fn finish(mut self) -> Vec<String> {
        if !self.buf.is_empty() {
            self.words.push(self.buf);
        }
        self.words
    }
}

impl Word<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }
    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<String>), ShellError> {
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(ch) = self.peek() {
            if Some(ch) == stop {
                self.next();
                return Ok((result, words.finish()));
            }
            let special = match ch {
                '$' => Some(self.dollar()?),
                '<' => Some(self.possible_heredoc()),
                '\'' if !self.lex.skip_process_quotes => Some(self.single_quote()?),
                '"' if !self.lex.skip_process_quotes => Some(self.double_quote(raw_escapes)?),
                _ => None,
            };
            if let Some(tmp) = special {
                result.push_str(&tmp);
                if ch == '$' {
                    tmp.chars().for_each(|c| words.add_char(c));
                } else {
                    words.buf.push_str(&tmp);
                    words.in_word = true;
                }
                continue;
            }
            let mut ch = self.next().unwrap_or_default();
            if ch == self.lex.escape {
                if raw_escapes {
                    words.add_raw_char(ch);
                    result.push(ch);
                }
                match self.next() {
                    None => break,
                    Some(c) => ch = c,
                }
                words.add_raw_char(ch);
            } else {
                words.add_char(ch);
            }
            result.push(ch);
        }
        if let Some(stop) = stop {
            return Err(err(&format!(
                "unexpected end of statement while looking for matching {stop}"
            )));
        }
        Ok((result, words.finish()))
    }

    fn single_quote(&mut self) -> Result<String, ShellError> {
        let mut out = String::new();
        let q = self.next().unwrap_or('\'');
        if self.lex.raw_quotes {
            out.push(q);
        }
        loop {
            match self.next() {
                None => {
                    return Err(err(
                        "unexpected end of statement while looking for matching single-quote",
                    ));
                }
                Some('\'') => {
                    if self.lex.raw_quotes {
                        out.push('\'');
                    }
                    return Ok(out);
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn double_quote(&mut self, raw_escapes: bool) -> Result<String, ShellError> {
        let mut out = String::new();
        let q = self.next().unwrap_or('"');
        if self.lex.raw_quotes {
            out.push(q);
        }
        loop {
            match self.peek() {
                None => {
                    return Err(err(
                        "unexpected end of statement while looking for matching double-quote",
                    ));
                }
                Some('"') => {
                    self.next();
                    if self.lex.raw_quotes {
                        out.push('"');
                    }
                    return Ok(out);
                }
                Some('$') => out.push_str(&self.dollar()?),
                Some(_) => {
                    let mut c = self.next().unwrap_or_default();
                    if c == self.lex.escape {
                        if raw_escapes {
                            out.push(c);
                        }
                        match self.peek() {
                            None => continue,
                            Some(n) if n == '"' || n == '$' || n == self.lex.escape => {
                                c = n;
                                self.next();
                            }
                            _ => {}
                        }
                    }
                    out.push(c);
                }
            }
        }
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && c.is_ascii_digit() {
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    name.push(d);
                    self.next();
                }
                return name;
            }
            if name.is_empty() && matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return c.to_string();
            }
            if !c.is_alphanumeric() && c != '_' {
                break;
            }
            name.push(c);
            self.next();
        }
        name
    }

    fn dollar(&mut self) -> Result<String, ShellError> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".into());
            }
            return Ok(match self.env.get(&name) {
                Some(v) => v.to_string(),
                None if self.lex.skip_unset_env => format!("${name}"),
                None => String::new(),
            });
        }
        self.next();
        match self.peek() {
            None => return Err(err("syntax error: missing '}'")),
            Some('{' | '}' | ':') => return Err(err("syntax error: bad substitution")),
            _ => {}
        }
        let name = self.name();
        let mut ch = self.next();
        let mut chs: String = ch.map(String::from).unwrap_or_default();
        let value = self.env.get(&name).map(str::to_string);
        match ch {
            Some('}') => Ok(match value {
                Some(v) => v,
                None if self.lex.skip_unset_env => format!("${{{name}}}"),
                None => String::new(),
            }),
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                let colon = ch == Some(':');
                if colon {
                    ch = self.next();
                    chs.extend(ch);
                }
                let raw = matches!(ch, Some('#' | '%'));
                if colon && raw {
                    return Err(err(&format!(
                        "unsupported modifier ({chs}) in substitution"
                    )));
                }
                let word = match self.stop_on(Some('}'), raw) {
                    Ok((w, _)) => w,
                    Err(e) if self.peek().is_none() => {
                        let _ = e;
                        return Err(err("syntax error: missing '}'"));
                    }
                    Err(e) => return Err(e),
                };
                if value.is_none() && self.lex.skip_unset_env {
                    return Ok(format!("${{{name}{chs}{word}}}"));
                }
                Err(err(
                    "interim lexer: expansion with modifiers is not supported",
                ))
            }
            Some('/') => {
                if self.peek() == Some('/') {
                    self.next();
                }
                let pattern = self.stop_on(Some('/'), true)?.0;
                let replacement = self.stop_on(Some('}'), true)?.0;
                if value.is_none() && self.lex.skip_unset_env {
                    return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
                }
                Err(err("interim lexer: pattern substitution is not supported"))
            }
            _ => Err(err(&format!(
                "unsupported modifier ({chs}) in substitution"
            ))),
        }
    }

    fn possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".into();
        }
        self.next();
        let mut out = String::from("<<");
        while let Some(c) = self.peek().filter(|c| matches!(c, '\t' | '\r' | ' ')) {
            out.push(c);
            self.next();
        }
        out
    }
}
