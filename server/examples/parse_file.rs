//! Parses a file many times (for profiling): `cargo run --release --example parse_file -- PATH N`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("path");
    let n: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let text = std::fs::read_to_string(path).expect("readable");
    let mut count = 0;
    for _ in 0..n {
        count += dockerfile_lsp::syntax::parse(&text).entries().len();
    }
    println!("{count}");
}
