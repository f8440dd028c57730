//! The documented Slurm recipe (`scripts/slurm/`), driven with the array variables set by hand
//! as `sbatch` would set them: the shards merge to the bytes of one sweep; a merge before every
//! task has run names the shard to rerun and writes nothing; a task rerun alone (`sbatch
//! --array=3`, which reports an array of one) still runs its own shard; `--cpus-per-task` left
//! out (an empty `--threads`) falls back to one thread per core.

use std::path::Path;
use std::process::Command;

/// A small sweep: M/M/1 at five demand multiples, two replications.
const SWEEP: &str = r#"
name = "cluster"
scenario = "mm1-rho50"
replications = 2
seed = 11

[[parameters]]
path = "demand_multiplier"
values = [0.5, 0.6, 0.7, 0.8, 0.9]
"#;

/// Runs a script of `scripts/slurm/` with `portsim` on the PATH and the given environment.
fn script(name: &str, args: &[&Path], env: &[(&str, &str)]) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("portsim");
    let path = format!(
        "{}:{}",
        bin.parent().expect("bin dir").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("bash");
    cmd.arg(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scripts/slurm")
            .join(name),
    )
    .args(args)
    .env("PATH", path)
    .env_remove("SLURM_ARRAY_TASK_ID")
    .env_remove("SLURM_ARRAY_TASK_COUNT")
    .env_remove("SLURM_CPUS_PER_TASK");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("bash runs")
}

#[test]
fn the_slurm_recipe_merges_reruns_one_task_and_names_what_is_missing() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let sweep = tmp.path().join("sweep.toml");
    std::fs::write(&sweep, SWEEP).expect("write");
    let results = tmp.path().join("results");
    // The array 1-4: task 3 fails (it is not run), task 1 has no --cpus-per-task.
    for (task, cpus) in [("1", ""), ("2", "2"), ("4", "1")] {
        let mut env = vec![
            ("SLURM_ARRAY_TASK_ID", task),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ];
        if !cpus.is_empty() {
            env.push(("SLURM_CPUS_PER_TASK", cpus));
        }
        let o = script("sweep-array.sh", &[&sweep, &results], &env);
        assert!(
            o.status.success(),
            "task {task}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // The merge (afterany) runs: shard 3 is missing, named, and nothing is written.
    let o = script("merge.sh", &[&results], &[]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("rerun shard 3/4"), "{stderr}");
    assert!(
        !results.join("all").exists(),
        "a partial merge was left behind"
    );
    // Task 3 rerun alone: Slurm reports an array of one; the script keeps N = 4.
    let o = script(
        "sweep-array.sh",
        &[&sweep, &results],
        &[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_COUNT", "1"),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = script("merge.sh", &[&results], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The same bytes as the sweep on one machine.
    let whole = tmp.path().join("whole");
    crate::util::portsim()
        .args([
            "sweep",
            sweep.to_str().unwrap(),
            "--quiet",
            "--no-charts",
            "--threads",
            "2",
        ])
        .args(["--out", whole.to_str().unwrap()])
        .assert()
        .success();
    for f in ["kpis.parquet", "summary.json"] {
        assert_eq!(
            std::fs::read(results.join("all").join(f)).expect("merged"),
            std::fs::read(whole.join(f)).expect("whole"),
            "{f}"
        );
    }
    // A task outside the array's range is refused before it runs.
    let o = script(
        "sweep-array.sh",
        &[&sweep, &results],
        &[("SLURM_ARRAY_TASK_ID", "5")],
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_shard_of_an_edited_sweep_is_refused_saying_what_differs() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let run = |text: &str, shard: &str, out: &str| {
        let file = tmp.path().join(format!("{out}.toml"));
        std::fs::write(&file, text).expect("write");
        crate::util::portsim()
            .args([
                "sweep",
                file.to_str().unwrap(),
                "--shard",
                shard,
                "--quiet",
                "--no-charts",
            ])
            .args(["--out", tmp.path().join(out).to_str().unwrap()])
            .assert()
            .success();
        tmp.path().join(out)
    };
    let a = run(SWEEP, "1/2", "a");
    let merge = |b: &Path| {
        let o = crate::util::portsim()
            .args(["merge", a.to_str().unwrap(), b.to_str().unwrap(), "--out"])
            .arg(tmp.path().join("m"))
            .assert()
            .code(2);
        String::from_utf8_lossy(&o.get_output().stderr).into_owned()
    };
    // A comment added: the same grid, but another file.
    let b = run(&format!("# a note\n{SWEEP}"), "2/2", "b");
    let msg = merge(&b);
    assert!(msg.contains("the sweep file's text only"), "{msg}");
    // Another seed.
    let c = run(&SWEEP.replace("seed = 11", "seed = 12"), "2/2", "c");
    let msg = merge(&c);
    assert!(msg.contains("differ in the seed"), "{msg}");
    // Labels given: the same results, but named otherwise in the report.
    let d = run(
        &format!("{SWEEP}labels = [\"a\", \"b\", \"c\", \"d\", \"e\"]\n"),
        "2/2",
        "d",
    );
    let msg = merge(&d);
    assert!(msg.contains("differ in the labels"), "{msg}");
    assert!(!tmp.path().join("m").exists());
    // A folder run as one shard is not reused for another, and says which it holds.
    let o = crate::util::portsim()
        .args(["sweep", tmp.path().join("a.toml").to_str().unwrap()])
        .args(["--shard", "1/3", "--quiet", "--out", a.to_str().unwrap()])
        .assert()
        .code(2);
    let msg = String::from_utf8_lossy(&o.get_output().stderr).into_owned();
    assert!(
        msg.contains("holds shard 1/2 of a sweep; run shard 1/3 into its own --out"),
        "{msg}"
    );
}

#[test]
fn shards_beyond_the_points_say_they_hold_none_and_still_merge_to_one_run() {
    // (And `--shard 1/1` is the whole sweep.) Five points in seven shards: shards 6 and 7 hold none. Each says so and succeeds (an
    // array with a fixed N may outnumber the points), and the seven merge to one run's bytes.
    let tmp = tempfile::tempdir().expect("temp dir");
    let sweep = tmp.path().join("sweep.toml");
    std::fs::write(&sweep, SWEEP).expect("write");
    let sweep_into = |out: &Path, extra: &[&str]| {
        let o = Command::new(assert_cmd::cargo::cargo_bin("portsim"))
            .arg("sweep")
            .arg(&sweep)
            .args(["--quiet", "--no-charts", "--threads", "1", "--out"])
            .arg(out)
            .args(extra)
            .output()
            .expect("portsim runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let whole = tmp.path().join("whole");
    sweep_into(&whole, &[]);
    // The one shard of one is the whole sweep, file for file.
    let one = tmp.path().join("one");
    sweep_into(&one, &["--shard", "1/1"]);
    assert_eq!(crate::util::files_in(&one), crate::util::files_in(&whole));
    let mut shards = Vec::new();
    for i in 1..=7 {
        let dir = tmp.path().join(format!("shard{i}"));
        let said = sweep_into(&dir, &["--shard", &format!("{i}/7")]);
        let empty = said.contains("this shard holds none of the 5 points");
        assert_eq!(empty, i > 5, "shard {i}/7 said: {said}");
        shards.push(dir);
    }
    let merged = tmp.path().join("merged");
    let o = Command::new(assert_cmd::cargo::cargo_bin("portsim"))
        .arg("merge")
        .args(&shards)
        .args(["--no-charts", "--out"])
        .arg(&merged)
        .output()
        .expect("portsim runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in [
        "kpis.parquet",
        "sensitivity.csv",
        "summary.json",
        "sweep.json",
        "targets.csv",
    ] {
        assert!(
            std::fs::read(whole.join(f)).expect("whole")
                == std::fs::read(merged.join(f)).expect("merged"),
            "{f} differs"
        );
    }
}
