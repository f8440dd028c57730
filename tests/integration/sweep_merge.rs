//! `merge` joins only shards of one sweep: a shard of another sweep, or of the same sweep file
//! edited since, is refused as bad input (exit code 2) and nothing is written to `--out`.

use std::path::{Path, PathBuf};

use portsim::Error;
use portsim::commands::{self, SweepRequest};

use crate::util::portsim;

/// A tiny sweep: M/M/1 at two demand multiples, two replications each.
const SWEEP: &str = r#"
name = "tiny"
scenario = "mm1-rho50"
replications = 2
seed = 5

[[parameters]]
path = "demand_multiplier"
values = [0.5, 0.6]
"#;

/// Runs shard `shard` of the sweep `text` (saved as `file` in `dir`) into `dir/out`.
fn shard(dir: &Path, file: &str, text: &str, shard: &str, out: &str) -> PathBuf {
    let path = dir.join(file);
    std::fs::write(&path, text).expect("write");
    let req = SweepRequest {
        file: path.to_string_lossy().into_owned(),
        shard: Some(shard.into()),
        out: Some(dir.join(out)),
        threads: Some(1),
        quiet: true,
        no_charts: true,
        max_events: None,
    };
    commands::sweep(&req, &mut Vec::new()).expect("sweep")
}

fn refused(dirs: &[PathBuf], to: &Path) -> String {
    let e = commands::merge(dirs, to, true, &mut Vec::new()).expect_err("merge must refuse");
    assert!(matches!(e, Error::Usage(_)), "{e:?}");
    assert_eq!(e.exit_code(), 2);
    assert!(!to.exists(), "merge wrote to --out");
    e.to_string()
}

#[test]
fn merge_refuses_a_shard_of_another_sweep() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let a1 = shard(tmp.path(), "a.toml", SWEEP, "1/2", "a1");
    let a2 = shard(tmp.path(), "a.toml", SWEEP, "2/2", "a2");
    // Another sweep: same grid, another name and seed.
    let other = SWEEP
        .replace("\"tiny\"", "\"other\"")
        .replace("seed = 5", "seed = 6");
    let b2 = shard(tmp.path(), "b.toml", &other, "2/2", "b2");
    let to = tmp.path().join("merged");
    let msg = refused(&[a1.clone(), b2.clone()], &to);
    assert!(msg.contains("holds a different sweep"), "{msg}");
    // In either order.
    refused(&[b2.clone(), a1.clone()], &to);
    // The binary says so with exit code 2.
    portsim()
        .arg("merge")
        .args([&a1, &b2])
        .arg("--out")
        .arg(&to)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("holds a different sweep"));
    assert!(!to.exists());
    // The shards of one sweep do merge.
    commands::merge(&[a1, a2], &to, true, &mut Vec::new()).expect("merge");
    assert!(to.join("kpis.csv").exists());
}

#[test]
fn merge_refuses_a_shard_of_the_same_sweep_file_edited_in_between() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let first = shard(tmp.path(), "s.toml", SWEEP, "1/2", "s1");
    // The file is edited (a third replication) before the second shard runs.
    let edited = SWEEP.replace("replications = 2", "replications = 3");
    let second = shard(tmp.path(), "s.toml", &edited, "2/2", "s2");
    let msg = refused(&[first, second], &tmp.path().join("merged"));
    assert!(msg.contains("holds a different sweep"), "{msg}");
}
