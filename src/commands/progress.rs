//! Progress on stderr while simulations run.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

/// Progress on stderr: a bar when stderr is a terminal, a plain line per 10 % otherwise,
/// nothing when quiet.
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
    plain: bool,
    total: usize,
    label: String,
    last_decile: AtomicUsize,
}

impl Progress {
    /// Progress over `total` runs (or points), labelled.
    pub fn new(total: usize, label: &str, quiet: bool) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let bar = (!quiet && terminal).then(|| {
            let b = ProgressBar::new(total as u64);
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} {msg} [{bar:30}] {pos}/{len} runs, {rate}, eta {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                // (indicatif's own `{per_sec}` prints four decimals: "171.4065/s")
                .with_key(
                    "rate",
                    |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{:.1}/s", s.per_sec());
                    },
                )
                .progress_chars("=> "),
            );
            b.set_message(label.to_string());
            b
        });
        Progress {
            bar,
            plain: !quiet && !terminal,
            total,
            label: label.to_string(),
            last_decile: AtomicUsize::new(0),
        }
    }

    /// `done` runs (or points) of `total` are finished; called from worker threads.
    pub fn set(&self, done: usize) {
        if let Some(b) = &self.bar {
            b.set_position(done as u64);
        } else if self.plain && self.total > 0 {
            let decile = done * 10 / self.total;
            let prev = self.last_decile.fetch_max(decile, Ordering::Relaxed);
            if decile > prev {
                // The share done, not the decile crossed: 1 of 4 is 25 %, not 20 %.
                let percent = done * 100 / self.total;
                // Progress is a courtesy: a closed stderr (`2>&1 | head`) must not stop the run.
                let _ = writeln!(
                    std::io::stderr(),
                    "{}: {percent}% ({done}/{})",
                    self.label,
                    self.total
                );
            }
        }
    }

    /// Replaces the bar's label (terminal only).
    pub fn note(&self, message: String) {
        if let Some(b) = &self.bar {
            b.set_message(message);
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
