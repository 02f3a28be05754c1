//! Runs the cache evaluation pass many times on one file, for profiling:
//! `cargo run --release --example cache_profile -- PATH N`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("path");
    let n: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let text = std::fs::read_to_string(path).expect("readable");
    let options = dockerfile_lsp::cache::CacheOptions::default();
    let parse = dockerfile_lsp::syntax::parse(&text);
    let model = dockerfile_lsp::model::Model::new(&parse, &options.build);
    let mut count = 0;
    let start = std::time::Instant::now();
    for _ in 0..n {
        let an = dockerfile_lsp::cache::CacheAnalysis::new(&parse, &model, &options);
        count += an.steps().len();
    }
    println!("{count} in {:?} per iteration", start.elapsed() / n as u32);
}
