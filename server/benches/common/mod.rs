//! A deterministic synthetic multi-stage Dockerfile of exactly N lines, shaped like the one
//! `shared/tools/lspbench.py --emit N` prints (stages, ENV/ARG, long RUNs, heredocs,
//! COPY --from), so micro-benchmarks and the end-to-end benchmark see the same kind of file.

#![allow(dead_code)]

fn chunk(stage: usize, i: usize) -> Vec<String> {
    let app = format!("/opt/app{stage}");
    match i % 10 {
        0 => vec![format!(
            "# step {i}: configure component {i} of stage{stage}"
        )],
        1 => vec![format!(
            "ENV VAR_{i}=value_{i} REF_{i}=${{APP_HOME}}/ref_{i}"
        )],
        2 => vec![
            "RUN set -eux \\".to_string(),
            format!("    && mkdir -p {app}/part{i} \\"),
            format!("    && echo \"${{APP_VERSION}}-{i}\" > {app}/part{i}/version \\"),
            format!("    && chmod -R 755 {app}/part{i}"),
        ],
        3 => vec![format!(
            "COPY --chown=1000:1000 files/file{i}.txt {app}/files/"
        )],
        4 if stage > 0 => vec![format!(
            "COPY --from=stage{s} /opt/app{s}/ {app}/from{i}/",
            s = i % stage
        )],
        4 => vec![format!("COPY config/c{i}.conf {app}/conf/")],
        5 => vec![format!("WORKDIR {app}/w{i}")],
        6 => vec![format!(
            "LABEL com.example.step{i}=\"value {i}\" com.example.stage=\"stage{stage}\""
        )],
        7 => vec![
            format!("ARG OPT_{i}=default{i}"),
            format!("RUN echo \"opt=${{OPT_{i}:-none}} home=${{APP_HOME}}\" > /tmp/opt_{i}.txt"),
        ],
        8 => vec![
            "RUN <<EOF".to_string(),
            "set -eux".to_string(),
            format!("echo \"heredoc step {i} in stage{stage}\""),
            format!("touch {app}/heredoc_{i}"),
            "EOF".to_string(),
        ],
        _ => vec![String::new()],
    }
}

pub fn synthetic_dockerfile(n_lines: usize) -> String {
    let mut lines: Vec<String> = vec![
        "# syntax=docker/dockerfile:1".into(),
        format!("# Synthetic Dockerfile ({n_lines} lines)"),
        "ARG BASE_IMAGE=debian:bookworm-slim".into(),
        "ARG APP_VERSION=1.0.0".into(),
        String::new(),
    ];
    let stages = (n_lines / 200).clamp(3, 50);
    let per_stage = n_lines.saturating_sub(lines.len()) / stages;
    let mut counter = 0;
    for k in 0..stages {
        let budget = if k + 1 < stages {
            per_stage
        } else {
            n_lines.saturating_sub(lines.len())
        };
        let mut head = vec![
            format!("FROM ${{BASE_IMAGE}} AS stage{k}"),
            "ARG APP_VERSION".into(),
            format!("ENV APP_HOME=/opt/app{k} \\"),
            format!("    PATH=/opt/app{k}/bin:${{PATH}}"),
            "WORKDIR ${APP_HOME}".into(),
        ];
        if k > 0 {
            head.push(format!(
                "COPY --from=stage{} /opt/app{}/ /opt/app{k}/prev/",
                k - 1,
                k - 1
            ));
        }
        let tail = vec![
            format!("EXPOSE {}", 8000 + k),
            format!(
                "HEALTHCHECK --interval=30s --timeout=5s CMD curl -f http://localhost:{}/ || exit 1",
                8000 + k
            ),
            format!(
                "CMD [\"/opt/app{k}/bin/start\", \"--port\", \"{}\"]",
                8000 + k
            ),
            String::new(),
        ];
        let room = budget as isize - head.len() as isize - tail.len() as isize;
        let mut body = Vec::new();
        loop {
            let c = chunk(k, counter);
            if (body.len() + c.len()) as isize > room {
                break;
            }
            body.extend(c);
            counter += 1;
        }
        while (body.len() as isize) < room {
            body.push(format!("# filler {}", body.len()));
        }
        lines.extend(head);
        lines.extend(body);
        lines.extend(tail);
    }
    lines.truncate(n_lines);
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// The offset just after the text of the first `ENV VAR_` line at or after the middle of the
/// file: where lspbench types.
pub fn edit_offset(text: &str) -> usize {
    let middle = text.len() / 2;
    let from = text[middle..].find('\n').map_or(middle, |i| middle + i + 1);
    let line_start = text[from..]
        .find("\nENV VAR_")
        .map_or(from, |i| from + i + 1);
    line_start + text[line_start..].find('\n').unwrap_or(0)
}
