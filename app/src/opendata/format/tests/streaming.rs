//! 200,000 rows in every format go to `io::sink()` with flat memory: counting this thread's
//! allocations shows that writing a row allocates nothing and the heap does not grow.
//!
//! The counting global allocator is `allocation-counter`'s (the workspace forbids unsafe
//! code, so the app cannot declare its own). It counts per thread, so the other tests of
//! the binary, running alongside, are not counted.

use std::io::{self, Write};

use super::common::{d, structure};
use crate::opendata::format::{DataWriter, Format, Value};

/// `io::sink()` that counts what it swallows.
struct CountingSink {
    inner: io::Sink,
    bytes: u64,
    writes: u64,
}

impl Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes += buf.len() as u64;
        self.writes += 1;
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

const ROWS: i64 = 200_000;

#[test]
fn two_hundred_thousand_rows_with_flat_memory() {
    // The counter is live: without it every measurement would read zero.
    let probe = allocation_counter::measure(|| {
        std::hint::black_box(vec![0_u8; 64]);
    });
    assert_eq!(
        probe.count_total, 1,
        "allocation-counter is not the global allocator"
    );

    let structure = structure();
    let mut row = vec![
        Value::Text("Выставочный зал «Кубань», ул. Красная & <Пушкина>".into()),
        Value::Text("=formula, \"quoted\"\nnext line".into()),
        Value::Integer(0),
        Value::Number(0.0),
        Value::Date(d(2024, 5, 1)),
        Value::Boolean(true),
        Value::Number(45.0355),
        Value::Null,
    ];
    for format in Format::ALL {
        let sink = CountingSink {
            inner: io::sink(),
            bytes: 0,
            writes: 0,
        };
        let mut writer = DataWriter::new(sink, &structure, format).expect("valid structure");
        // One warm-up row lets reusable buffers reach their working size.
        writer.write_row(&row).expect("row fits");

        let info = allocation_counter::measure(|| {
            for i in 1..ROWS {
                // Changing numbers in place: the caller allocates nothing either.
                row[2] = Value::Integer(i);
                row[3] = Value::Number(i as f64 / 8.0);
                row[5] = Value::Boolean(i % 2 == 0);
                writer.write_row(&row).expect("row fits");
            }
        });
        let allocations = info.count_total;
        let growth = info.bytes_max;

        assert_eq!(writer.rows_written(), ROWS as u64);
        let sink = writer.finish().expect("finish");
        assert!(
            sink.bytes > ROWS as u64 * 100,
            "{format}: only {} bytes written",
            sink.bytes
        );
        // Buffered: far fewer writes to the sink than rows.
        assert!(
            sink.writes < ROWS as u64 / 10,
            "{format}: {} writes for {ROWS} rows",
            sink.writes
        );
        // No per-row allocation (the original's margin, kept: a handful would not be per row).
        assert!(
            allocations < 50,
            "{format}: {allocations} allocations for {ROWS} rows"
        );
        assert!(growth < 64 * 1024, "{format}: heap grew by {growth} bytes");
    }
}
