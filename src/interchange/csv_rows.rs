//! CSV records with the file's own line numbers, in bounded memory, and with
//! nothing dropped: every line of the file ends up in a record or in a
//! broken record naming its line.
//!
//! - Lines end with LF, CRLF (Excel on Windows) or a lone CR (old Mac
//!   Excel); line 1 is the header whatever the endings.
//! - A quoted cell may hold line breaks. But a quote that is never closed,
//!   or that only closes lines later in the middle of a cell (an unbalanced
//!   quote: `"张伟` with no closing quote), would swallow every row after it:
//!   instead, the row where it opened is reported broken, and the lines it
//!   spanned are read again as rows of their own.
//! - A cell holds at most [`MAX_CELL_BYTES`], a record [`MAX_ROW_BYTES`]
//!   and [`MAX_COLUMNS`] cells; a line beyond the record limit is read to its
//!   end without being kept (`/dev/zero`, 100 MB without a newline).

use std::collections::VecDeque;
use std::io::{self, BufRead};

use crate::domain::text::Msg;

/// The longest cell kept, in bytes.
pub const MAX_CELL_BYTES: usize = 64 * 1024;
/// The longest record (all its lines) kept, in bytes.
pub const MAX_ROW_BYTES: usize = 1024 * 1024;
/// The most cells a record may have.
pub const MAX_COLUMNS: usize = 1024;
/// The longest line skipped over (after its first [`MAX_ROW_BYTES`]) to
/// read on after it; a longer one ends the reading of the file.
pub const MAX_LINE_BYTES: u64 = 256 * 1024 * 1024;

/// A record of the file, or why a line of it is not one.
#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    /// Cells of a record starting on `line`.
    Cells { line: u64, cells: Vec<String> },
    /// The record starting on `line` cannot be read.
    Broken { line: u64, reason: Msg },
}

impl Record {
    pub fn line(&self) -> u64 {
        match self {
            Record::Cells { line, .. } | Record::Broken { line, .. } => *line,
        }
    }
}

/// One physical line, without its end.
struct Line {
    no: u64,
    bytes: Vec<u8>,
    /// The line was longer than [`MAX_ROW_BYTES`]; the rest was skipped.
    cut: bool,
}

/// Reads records from a UTF-8 byte stream.
pub struct CsvRows<R> {
    input: R,
    delimiter: u8,
    /// Lines read but not yet parsed (after a broken quote).
    again: VecDeque<Line>,
    lines_read: u64,
    /// The header's number of cells, once read.
    width: Option<usize>,
}

fn kib(n: usize) -> String {
    if n >= 1024 * 1024 {
        format!("{} MiB", n / (1024 * 1024))
    } else {
        format!("{} KiB", n / 1024)
    }
}

impl<R: BufRead> CsvRows<R> {
    pub fn new(input: R, delimiter: u8) -> CsvRows<R> {
        CsvRows {
            input,
            delimiter,
            again: VecDeque::new(),
            lines_read: 0,
            width: None,
        }
    }

    /// Lines of the file read so far.
    pub fn lines_read(&self) -> u64 {
        self.lines_read
    }

    /// The next physical line, at most [`MAX_ROW_BYTES`] of it kept.
    fn physical_line(&mut self) -> io::Result<Option<Line>> {
        if let Some(l) = self.again.pop_front() {
            return Ok(Some(l));
        }
        let mut bytes = Vec::new();
        let mut cut = false;
        let mut any = false;
        let mut length = 0u64;
        // The header is not skipped over: a file whose first line is over
        // the limit (`/dev/zero`) is refused at once.
        let header = self.width.is_none();
        loop {
            let buf = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                if !any {
                    return Ok(None);
                }
                break;
            }
            any = true;
            let end = memchr::memchr2(b'\n', b'\r', buf);
            let take = end.unwrap_or(buf.len());
            let room = MAX_ROW_BYTES.saturating_sub(bytes.len());
            if take > room {
                cut = true;
            }
            bytes.extend_from_slice(&buf[..take.min(room)]);
            length += take as u64;
            if cut && header {
                // Left unread: the file is refused.
                break;
            }
            if cut && length > MAX_LINE_BYTES {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "line {} is longer than {}; the rest of the file was not read",
                        self.lines_read + 1,
                        kib(MAX_LINE_BYTES as usize)
                    ),
                ));
            }
            match end {
                None => self.input.consume(take),
                Some(i) => {
                    let cr = buf[i] == b'\r';
                    self.input.consume(i + 1);
                    if cr {
                        // CRLF is one line end.
                        let next = self.input.fill_buf()?;
                        if next.first() == Some(&b'\n') {
                            self.input.consume(1);
                        }
                    }
                    break;
                }
            }
        }
        self.lines_read += 1;
        Ok(Some(Line {
            no: self.lines_read,
            bytes,
            cut,
        }))
    }

    /// The header: the first record. A header that cannot be read is the
    /// whole file's problem (line 1).
    pub fn header(&mut self) -> io::Result<Result<Vec<String>, Msg>> {
        match self.next_record()? {
            None => Ok(Ok(Vec::new())),
            Some(Record::Cells { cells, .. }) => {
                self.width = Some(cells.len());
                Ok(Ok(cells))
            }
            Some(Record::Broken { reason, .. }) => Ok(Err(reason)),
        }
    }

    /// Skips empty lines (no record: Excel's trailing rows, padding) at
    /// memory speed.
    fn skip_empty_lines(&mut self) -> io::Result<()> {
        if !self.again.is_empty() || self.width.is_none() {
            return Ok(());
        }
        loop {
            let buf = self.input.fill_buf()?;
            let mut i = 0;
            let mut lines = 0;
            while i < buf.len() {
                match buf[i] {
                    b'\n' => i += 1,
                    b'\r' if i + 1 < buf.len() => i += if buf[i + 1] == b'\n' { 2 } else { 1 },
                    _ => break,
                }
                lines += 1;
            }
            if i == 0 {
                return Ok(());
            }
            self.input.consume(i);
            self.lines_read += lines;
        }
    }

    /// The next record, or `None` at the end of the file.
    pub fn next_record(&mut self) -> io::Result<Option<Record>> {
        self.skip_empty_lines()?;
        let Some(first) = self.physical_line()? else {
            return Ok(None);
        };
        let start = first.no;
        let mut p = Parser::new(self.delimiter);
        let mut lines = vec![first];
        let mut kept = 0usize;
        loop {
            let line = lines.last().expect("one line at least");
            kept += line.bytes.len();
            p.feed(&line.bytes);
            if !p.in_quotes {
                break;
            }
            if kept > MAX_ROW_BYTES || line.cut {
                p.overflow = true;
                break;
            }
            match self.physical_line()? {
                None => {
                    p.at_eof = true;
                    break;
                }
                Some(next) => {
                    p.line_break();
                    lines.push(next);
                }
            }
        }
        p.end_field();
        let spans = lines.len() > 1 || p.in_quotes;
        let too_wide = self.width.is_some_and(|w| p.fields.len() > w);
        let unbalanced = p.in_quotes || p.junk_after_quote || (lines.len() > 1 && too_wide);
        if spans && unbalanced {
            let opened = p.quote_line.map_or(start, |i| lines[i].no);
            let reason = if p.at_eof {
                Msg::new(
                    format!(
                        "第 {opened} 行开始的引号没有结束，一直延续到文件末尾；本行未导入，其后各行单独读取"
                    ),
                    format!(
                        "the quote opened on line {opened} is never closed: it runs to the end of the file; this row was not imported, the lines after it are read on their own"
                    ),
                )
            } else if p.overflow {
                Msg::new(
                    format!(
                        "第 {opened} 行开始的引号在 {} 内没有结束；本行未导入，其后各行单独读取",
                        kib(MAX_ROW_BYTES)
                    ),
                    format!(
                        "the quote opened on line {opened} is not closed within the limit of {} for a row; this row was not imported, the lines after it are read on their own",
                        kib(MAX_ROW_BYTES)
                    ),
                )
            } else {
                let closed = lines.last().map_or(start, |l| l.no);
                Msg::new(
                    format!(
                        "第 {opened} 行开始的引号在第 {closed} 行的单元格中间才结束（引号不成对）；本行未导入，其后各行单独读取"
                    ),
                    format!(
                        "the quote opened on line {opened} only closes in the middle of a cell on line {closed} (unbalanced quote); this row was not imported, the lines after it are read on their own"
                    ),
                )
            };
            // The lines the quote swallowed are rows of their own.
            for l in lines.drain(1..).rev() {
                self.again.push_front(l);
            }
            return Ok(Some(Record::Broken {
                line: start,
                reason,
            }));
        }
        if let Some(l) = lines.iter().find(|l| l.cut) {
            return Ok(Some(Record::Broken {
                line: start,
                reason: Msg::new(
                    format!("第 {} 行超过 {} 的长度上限", l.no, kib(MAX_ROW_BYTES)),
                    format!(
                        "line {} is longer than the limit of {} for a row",
                        l.no,
                        kib(MAX_ROW_BYTES)
                    ),
                ),
            }));
        }
        if p.columns > MAX_COLUMNS {
            return Ok(Some(Record::Broken {
                line: start,
                reason: Msg::new(
                    format!("有 {} 列，超过 {MAX_COLUMNS} 列的上限", p.columns),
                    format!("{} cells, more than the limit of {MAX_COLUMNS}", p.columns),
                ),
            }));
        }
        if let Some(col) = p.long_cell {
            return Ok(Some(Record::Broken {
                line: start,
                reason: Msg::new(
                    format!("第 {col} 列的单元格超过 {} 的上限", kib(MAX_CELL_BYTES)),
                    format!(
                        "the cell in column {col} is longer than the limit of {} for a cell",
                        kib(MAX_CELL_BYTES)
                    ),
                ),
            }));
        }
        let cells = p.fields.iter().map(|f| text(f)).collect();
        Ok(Some(Record::Cells { line: start, cells }))
    }
}

/// A cell as text; bytes that are not UTF-8 become U+FFFD (a ticket number
/// holding one is then refused by the dispatch rules).
fn text(f: &[u8]) -> String {
    match std::str::from_utf8(f) {
        Ok(s) => s.to_string(),
        Err(_) => String::from_utf8_lossy(f).into_owned(),
    }
}

/// The state of one record being read, line by line.
struct Parser {
    delimiter: u8,
    fields: Vec<Vec<u8>>,
    current: Vec<u8>,
    /// Cells seen, also beyond [`MAX_COLUMNS`] (those are not kept).
    columns: usize,
    at_field_start: bool,
    in_quotes: bool,
    /// A quote just closed the quoted part of the cell.
    after_quote: bool,
    /// Text followed a closing quote inside the cell (`"ab"c`).
    junk_after_quote: bool,
    /// Index (in the record's lines) of the line where the open quote began.
    quote_line: Option<usize>,
    line_index: usize,
    /// 1-based column of the first cell cut at [`MAX_CELL_BYTES`].
    long_cell: Option<usize>,
    overflow: bool,
    at_eof: bool,
}

impl Parser {
    fn new(delimiter: u8) -> Parser {
        Parser {
            delimiter,
            fields: Vec::new(),
            current: Vec::new(),
            columns: 0,
            at_field_start: true,
            in_quotes: false,
            after_quote: false,
            junk_after_quote: false,
            quote_line: None,
            line_index: 0,
            long_cell: None,
            overflow: false,
            at_eof: false,
        }
    }

    fn push(&mut self, b: u8) {
        if self.current.len() < MAX_CELL_BYTES {
            self.current.push(b);
        } else if self.long_cell.is_none() {
            self.long_cell = Some(self.columns + 1);
        }
    }

    fn end_field(&mut self) {
        let cell = std::mem::take(&mut self.current);
        if self.columns < MAX_COLUMNS {
            self.fields.push(cell);
        }
        self.columns += 1;
        self.at_field_start = true;
        self.after_quote = false;
    }

    /// A line break inside a quoted cell.
    fn line_break(&mut self) {
        self.push(b'\n');
        self.line_index += 1;
    }

    fn feed(&mut self, line: &[u8]) {
        let mut i = 0;
        while i < line.len() {
            let b = line[i];
            if self.in_quotes {
                if b == b'"' {
                    if line.get(i + 1) == Some(&b'"') {
                        self.push(b'"');
                        i += 1;
                    } else {
                        self.in_quotes = false;
                        self.after_quote = true;
                    }
                } else {
                    self.push(b);
                }
            } else if b == self.delimiter {
                self.end_field();
                i += 1;
                continue;
            } else if b == b'"' && self.at_field_start {
                self.in_quotes = true;
                self.quote_line = Some(self.line_index);
            } else {
                if self.after_quote {
                    self.junk_after_quote = true;
                }
                self.push(b);
            }
            self.at_field_start = false;
            i += 1;
        }
        if !self.in_quotes && self.line_index > 0 && !self.junk_after_quote {
            // A quote that spanned lines and closed cleanly.
            self.quote_line = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Vec<Record> {
        let mut r = CsvRows::new(io::Cursor::new(text.as_bytes().to_vec()), b',');
        let _ = r.header().expect("io");
        std::iter::from_fn(|| r.next_record().expect("io")).collect()
    }

    fn cells(line: u64, c: &[&str]) -> Record {
        Record::Cells {
            line,
            cells: c.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn line_numbers_are_the_files_whatever_the_endings() {
        for end in ["\n", "\r\n", "\r"] {
            let text = ["a,b", "1,2", "\"x", "y\",3", "4,5"].join(end);
            assert_eq!(
                records(&text),
                vec![
                    cells(2, &["1", "2"]),
                    cells(3, &["x\ny", "3"]),
                    cells(5, &["4", "5"])
                ],
                "line end {end:?}"
            );
        }
    }

    #[test]
    fn empty_lines_count_as_lines() {
        let r = records("a,b\n\n\r\n\r1,2\n\n3,4");
        assert_eq!(r, vec![cells(5, &["1", "2"]), cells(7, &["3", "4"])]);
    }

    #[test]
    fn a_quote_running_to_the_end_breaks_one_row_only() {
        let r = records("a,b\n1,2\n\"3,4\n5,6\n7,8\n");
        assert_eq!(r.len(), 4);
        assert_eq!(r[0], cells(2, &["1", "2"]));
        let Record::Broken { line: 3, reason } = &r[1] else {
            panic!("{r:?}")
        };
        assert!(reason.en.contains("end of the file"), "{}", reason.en);
        assert_eq!(r[2], cells(4, &["5", "6"]));
        assert_eq!(r[3], cells(5, &["7", "8"]));
    }

    #[test]
    fn a_quote_closing_in_the_middle_of_a_later_cell_is_unbalanced() {
        let r = records("a,b\n\"1,2\n3,4\n\"5\",6\n");
        assert!(matches!(&r[0], Record::Broken { line: 2, .. }), "{r:?}");
        assert_eq!(r[1], cells(3, &["3", "4"]));
        assert_eq!(r[2], cells(4, &["5", "6"]));
        assert_eq!(r.len(), 3);
    }

    #[test]
    fn over_long_cells_lines_and_rows_are_broken_records() {
        let big = "x".repeat(MAX_CELL_BYTES + 1);
        let r = records(&format!("a,b\n1,{big}\n2,3\n"));
        assert!(
            matches!(&r[0], Record::Broken { line: 2, reason } if reason.en.contains("column 2"))
        );
        assert_eq!(r[1], cells(3, &["2", "3"]));
        let huge = "y".repeat(MAX_ROW_BYTES + 10);
        let r = records(&format!("a,b\n{huge}\n2,3\n"));
        assert!(
            matches!(&r[0], Record::Broken { line: 2, reason } if reason.en.contains("line 2"))
        );
        assert_eq!(r[1], cells(3, &["2", "3"]));
        let wide = ",".repeat(MAX_COLUMNS + 5);
        let r = records(&format!("a,b\n{wide}\n"));
        assert!(matches!(&r[0], Record::Broken { line: 2, .. }));
    }
}
