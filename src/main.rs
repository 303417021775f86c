fn main() -> std::process::ExitCode {
    repairdesk::cli::main()
}
