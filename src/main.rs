fn main() -> std::process::ExitCode {
    // Like other Unix tools, end quietly when the reader of our output goes
    // away (`repairdesk ticket list | head`), instead of failing on a write.
    #[cfg(unix)]
    // SAFETY: called before any thread starts; restores the default action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    repairdesk::cli::main()
}
