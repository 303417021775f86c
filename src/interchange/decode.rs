//! Text encodings of dispatch files as they arrive from the field: UTF-8
//! with or without a BOM, or GB18030/GBK as Excel on a Chinese Windows saves
//! a CSV. Recognised without being told, and decoded as a stream, so a file
//! of a gigabyte is never held in memory.

use std::io::{self, Read};

use encoding_rs::{Decoder, GB18030};

/// How much of the file is looked at to recognise the encoding.
const SNIFF_BYTES: usize = 256 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    /// GB18030, a superset of GBK and GB2312.
    Gb18030,
}

impl TextEncoding {
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 (BOM)",
            TextEncoding::Gb18030 => "GB18030",
        }
    }
}

/// Which encoding the start of a file is in. GBK text is practically never
/// valid UTF-8 (its first two-byte character already breaks it), while a
/// UTF-8 file with a stray bad byte still holds mostly well-formed
/// multi-byte characters: so the sample is UTF-8 when its well-formed
/// multi-byte characters far outnumber its invalid sequences, GB18030
/// otherwise. ASCII is the same in both. A UTF-8 sequence cut by the end of
/// the sample does not count as invalid.
pub fn detect(sample: &[u8]) -> TextEncoding {
    if sample.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return TextEncoding::Utf8Bom;
    }
    let (mut wide, mut invalid) = (0usize, 0usize);
    for chunk in sample.utf8_chunks() {
        wide += chunk.valid().chars().filter(|c| c.len_utf8() > 1).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    // The last chunk's invalid bytes may just be a character cut in two.
    if let Err(e) = std::str::from_utf8(sample)
        && e.error_len().is_none()
    {
        invalid = invalid.saturating_sub(1);
    }
    if invalid == 0 || wide >= 8 * invalid {
        TextEncoding::Utf8
    } else {
        TextEncoding::Gb18030
    }
}

/// Reads the start of `inner`, recognises its encoding, and returns a reader
/// of UTF-8 bytes (without any BOM). UTF-8 passes through untouched; an
/// invalid byte later in a UTF-8 file is left for the reader of each field
/// (which replaces it with U+FFFD).
pub fn utf8_reader<R: Read + 'static>(mut inner: R) -> io::Result<(TextEncoding, Box<dyn Read>)> {
    let mut sample = Vec::with_capacity(SNIFF_BYTES);
    (&mut inner)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut sample)?;
    let enc = detect(&sample);
    let reader: Box<dyn Read> = match enc {
        TextEncoding::Utf8 => Box::new(io::Cursor::new(sample).chain(inner)),
        TextEncoding::Utf8Bom => {
            sample.drain(..3);
            Box::new(io::Cursor::new(sample).chain(inner))
        }
        TextEncoding::Gb18030 => Box::new(DecodeReader::new(
            io::Cursor::new(sample).chain(inner),
            GB18030.new_decoder_without_bom_handling(),
        )),
    };
    Ok((enc, reader))
}

/// Decodes a byte stream to UTF-8 in chunks.
pub struct DecodeReader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    in_pos: usize,
    in_len: usize,
    output: Vec<u8>,
    out_pos: usize,
    out_len: usize,
    eof: bool,
    done: bool,
}

const CHUNK: usize = 64 * 1024;

impl<R: Read> DecodeReader<R> {
    pub fn new(inner: R, decoder: Decoder) -> DecodeReader<R> {
        DecodeReader {
            inner,
            decoder,
            input: vec![0; CHUNK],
            in_pos: 0,
            in_len: 0,
            // A GB18030 byte pair becomes at most 3 UTF-8 bytes, a four-byte
            // sequence 4; 2× the input plus slack always makes progress.
            output: vec![0; CHUNK * 2 + 16],
            out_pos: 0,
            out_len: 0,
            eof: false,
            done: false,
        }
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_pos < self.out_len {
                let n = buf.len().min(self.out_len - self.out_pos);
                buf[..n].copy_from_slice(&self.output[self.out_pos..self.out_pos + n]);
                self.out_pos += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            if self.in_pos == self.in_len && !self.eof {
                self.in_len = self.inner.read(&mut self.input)?;
                self.in_pos = 0;
                if self.in_len == 0 {
                    self.eof = true;
                }
            }
            let (result, read, written, _) = self.decoder.decode_to_utf8(
                &self.input[self.in_pos..self.in_len],
                &mut self.output,
                self.eof,
            );
            self.in_pos += read;
            self.out_pos = 0;
            self.out_len = written;
            // The call with `last` set that consumed everything finished the
            // decoder (its output, e.g. a U+FFFD for a cut sequence, is
            // still handed out above); calling it again would panic.
            if self.eof && result == encoding_rs::CoderResult::InputEmpty {
                self.done = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_a_stray_bad_byte_stays_utf8() {
        let mut text = "维修单号,报修时间,用户姓名,联系电话,故障描述,服务方式\n"
            .as_bytes()
            .to_vec();
        text.push(0xFF);
        text.extend_from_slice("W1,2026-11-26 09:30,张伟,13800138000,蓝屏,送修\n".as_bytes());
        assert_eq!(detect(&text), TextEncoding::Utf8);
        let (gbk, _, _) = encoding_rs::GBK.encode("维修单号,报修时间,用户姓名\n张伟");
        assert_eq!(detect(&gbk), TextEncoding::Gb18030);
    }

    fn decode_all(bytes: Vec<u8>) -> (TextEncoding, String) {
        let (enc, mut r) = utf8_reader(io::Cursor::new(bytes)).expect("read");
        let mut s = String::new();
        r.read_to_string(&mut s).expect("utf8");
        (enc, s)
    }

    #[test]
    fn recognises_the_three_forms() {
        let text = "维修单号,用户姓名\nA1,张伟\n";
        assert_eq!(
            decode_all(text.as_bytes().to_vec()),
            (TextEncoding::Utf8, text.to_string())
        );
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode_all(bom), (TextEncoding::Utf8Bom, text.to_string()));
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(
            decode_all(gbk.into_owned()),
            (TextEncoding::Gb18030, text.to_string())
        );
    }

    #[test]
    fn long_gbk_stream_decodes_across_chunks() {
        let line = "张伟,北京市海淀区中关村大街1号,笔记本无法开机\n";
        let text: String = line.repeat(20_000);
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let (enc, s) = decode_all(gbk.into_owned());
        assert_eq!(enc, TextEncoding::Gb18030);
        assert_eq!(s, text);
    }

    #[test]
    fn gbk_file_cut_inside_a_character_ends_with_a_replacement() {
        let (enc, s) = decode_all(vec![0x41, 0xD5, 0xC5, 0x0A, 0x81]);
        assert_eq!(enc, TextEncoding::Gb18030);
        assert_eq!(s, "A张\n\u{FFFD}");
    }

    #[test]
    fn cut_utf8_sequence_at_sample_end_is_still_utf8() {
        let bytes = "张".as_bytes();
        assert_eq!(detect(&bytes[..2]), TextEncoding::Utf8);
        assert_eq!(detect(&[0x41, 0xD5, 0xC5, 0x41]), TextEncoding::Gb18030);
    }
}
