//! Parses (and with `MODEL=1` analyses) a file many times, for profiling:
//! `cargo run --release --example parse_file -- PATH N`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("path");
    let n: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let text = std::fs::read_to_string(path).expect("readable");
    let with_model = std::env::var_os("MODEL").is_some();
    if std::env::var_os("MODEL_ONLY").is_some() {
        let parse = dockerfile_lsp::syntax::parse(&text);
        let start = std::time::Instant::now();
        let mut uses = 0;
        for _ in 0..n {
            uses += dockerfile_lsp::model::Model::new(&parse, &Default::default())
                .var_uses
                .len();
        }
        println!(
            "model: {uses} uses, {:?} per iteration",
            start.elapsed() / n as u32
        );
        return;
    }
    let mut count = 0;
    let start = std::time::Instant::now();
    for _ in 0..n {
        let parse = dockerfile_lsp::syntax::parse(&text);
        count += parse.entry_count();
        if with_model {
            let model = dockerfile_lsp::model::Model::new(&parse, &Default::default());
            count += model.var_uses.len();
        }
    }
    println!("{count} in {:?} per iteration", start.elapsed() / n as u32);
}
