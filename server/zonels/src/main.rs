fn main() {
    std::process::exit(zonels::cli::main());
}
