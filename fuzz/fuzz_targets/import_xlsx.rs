//! Dispatch workbooks: any bytes named .xlsx are imported or refused with a
//! message naming the file; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    common::import_bytes("dispatch.xlsx", data);
});
