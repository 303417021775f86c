//! Standard output and error without panics. `crate::outln!` panics when stdout
//! fails (`> /dev/full`, a closed pipe) — after a change was committed, that
//! made a script believe the change failed and record it twice. Here a
//! failed write is remembered instead, and [`super::main`] reports it once,
//! with exit status [`super::exit::OUTPUT_FAILED`] when the command's change
//! was recorded.

use std::io::Write;
use std::sync::Mutex;

/// The first error writing to stdout, if any.
static STDOUT_ERROR: Mutex<Option<String>> = Mutex::new(None);

/// Writes to stdout; a failure is remembered, never a panic.
pub fn stdout(args: std::fmt::Arguments) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args) {
        remember(e);
    }
}

/// Writes to stderr; a failure is ignored (there is nowhere left to say it).
pub fn stderr(args: std::fmt::Arguments) {
    let _ = std::io::stderr().lock().write_fmt(args);
}

fn remember(e: std::io::Error) {
    if let Ok(mut slot) = STDOUT_ERROR.lock()
        && slot.is_none()
    {
        *slot = Some(e.to_string());
    }
}

/// Flushes stdout; returns the first error of this run's output, if any.
pub fn finish() -> Option<String> {
    if let Err(e) = std::io::stdout().lock().flush() {
        remember(e);
    }
    STDOUT_ERROR.lock().ok().and_then(|s| s.clone())
}

/// `crate::outln!` to stdout without panicking.
#[macro_export]
macro_rules! outln {
    () => { $crate::cli::out::stdout(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cli::out::stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `print!` to stdout without panicking.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::out::stdout(format_args!($($arg)*)) };
}

/// `crate::errln!` without panicking.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::out::stderr(format_args!("{}\n", format_args!($($arg)*))) };
}
