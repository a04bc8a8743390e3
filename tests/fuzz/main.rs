//! Property-based fuzzing of every decoder the server and the phone use
//! (issue 12), on stable Rust with proptest: push and pull requests, each
//! record kind, the record envelope, enrollment and invites, the public
//! review form, the roster CSV import, the sync messages a phone reads and
//! the text and value parsers behind forms. Inputs are generated from
//! scratch and by mutating valid ones (`gen`), against the real router and
//! a real SQLite file for the server (`server`), and against core's
//! functions for the phone (`phone`).
//!
//! Properties: nothing panics; no input gets a 5xx; every API refusal is a
//! 4xx `{"error":{"code","message"}}` with a known code; a refused push
//! stores nothing (checked in the database and by pulling); an accepted
//! one round-trips (what was logged is what was sent); a pull never
//! returns a record the device may not read; stored text is clean.
//!
//! `cargo test` runs a short fixed-seed pass (about 10 s in a debug
//! build). `.ci/bench fuzz` runs a long one: `XIANFENG_FUZZ_SCALE`
//! multiplies the cases, `XIANFENG_FUZZ_SEED` picks the seed. Either way
//! it prints `METRIC fuzz_cases …` and `METRIC fuzz_failures …` and fails
//! when a failure was found; failing inputs (shrunk) are printed and
//! written to `target/fuzz-failures/`, to be kept in `fuzz/corpus/`, whose
//! files are replayed by `corpus_of_past_failures`.

mod gen;
mod oracle;
mod phone;
mod server;
mod world;

use std::fmt::Debug;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// The fuzzer: a seeded runner, counts, and the failures found.
pub struct Fuzz {
    runner: TestRunner,
    scale: u32,
    cases: u64,
    failures: Vec<(String, String, String)>,
}

impl Fuzz {
    pub fn new(seed: u64, scale: u32) -> Fuzz {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
        Fuzz {
            runner: TestRunner::new_with_rng(Config::default(), rng),
            scale,
            cases: 0,
            failures: Vec::new(),
        }
    }

    /// Runs `base × scale` cases of `strategy` through `check`; a failing
    /// case is shrunk (a bounded number of steps) and recorded.
    pub fn run<S>(
        &mut self,
        target: &str,
        base: u32,
        strategy: S,
        mut check: impl FnMut(&S::Value) -> Result<(), String>,
    ) where
        S: Strategy,
        S::Value: Debug,
    {
        let cases = u64::from(base) * u64::from(self.scale);
        for _ in 0..cases {
            let mut tree = match strategy.new_tree(&mut self.runner) {
                Ok(tree) => tree,
                Err(reason) => panic!("{target}: cannot generate: {reason}"),
            };
            self.cases += 1;
            let Err(why) = guarded(&mut check, &tree.current()) else {
                continue;
            };
            let mut worst = (format!("{:?}", tree.current()), why);
            let mut steps = 0;
            let mut simpler = tree.simplify();
            while simpler && steps < 256 {
                steps += 1;
                match guarded(&mut check, &tree.current()) {
                    Err(why) => {
                        worst = (format!("{:?}", tree.current()), why);
                        simpler = tree.simplify();
                    }
                    Ok(()) => simpler = tree.complicate(),
                }
            }
            eprintln!("FUZZ FAILURE {target}: {}\n  input: {}", worst.1, worst.0);
            self.failures.push((target.to_owned(), worst.0, worst.1));
        }
    }

    /// Prints the METRIC lines, writes the failures out, and fails the
    /// test if there were any.
    pub fn finish(self) {
        println!("METRIC fuzz_cases {} cases", self.cases);
        println!("METRIC fuzz_failures {} cases", self.failures.len());
        if self.failures.is_empty() {
            return;
        }
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-failures");
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::create_dir_all(&dir);
        for (n, (target, input, why)) in self.failures.iter().enumerate() {
            let text = format!("{target}\n{why}\n{input}\n");
            let _ = std::fs::write(dir.join(format!("{target}-{n}.txt")), text);
        }
        panic!(
            "{} failing cases (written to {}): first: {} — {}",
            self.failures.len(),
            dir.display(),
            self.failures[0].0,
            self.failures[0].2
        );
    }
}

/// Runs a check, turning a panic into a failure.
fn guarded<V>(check: &mut impl FnMut(&V) -> Result<(), String>, input: &V) -> Result<(), String> {
    match catch_unwind(AssertUnwindSafe(|| check(input))) {
        Ok(result) => result,
        Err(panic) => Err(format!(
            "panicked: {}",
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        )),
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn fuzz_every_decoder() {
    let scale = u32::try_from(env_number("XIANFENG_FUZZ_SCALE", 1)).unwrap_or(1);
    let mut fuzz = Fuzz::new(env_number("XIANFENG_FUZZ_SEED", 12), scale.max(1));
    phone::run(&mut fuzz);
    server::run(&mut fuzz);
    fuzz.finish();
}

/// Every input in `fuzz/corpus/<target>/` (past failures, and the cases
/// issue 12 reported) is replayed through its target's properties.
#[test]
fn corpus_of_past_failures() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut server = server::Server::start();
    let mut replayed = 0;
    let mut failed = Vec::new();
    let mut targets: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    targets.sort_by_key(|e| e.file_name());
    for target in targets {
        let name = target.file_name().to_string_lossy().into_owned();
        let mut files: Vec<_> = std::fs::read_dir(target.path())
            .unwrap()
            .flatten()
            .collect();
        files.sort_by_key(|e| e.file_name());
        for file in files {
            let input = std::fs::read(file.path()).unwrap();
            let result = match name.as_str() {
                "push" => server.replay_push(&input),
                "enroll" => server.replay_enroll(&input),
                "review" => server.replay_review(&input),
                "record" => phone::replay_record(&input),
                "roster" => phone::replay_roster(&input),
                "text" => phone::replay_text(&input),
                other => panic!("unknown corpus target {other}"),
            };
            if let Err(why) = result {
                failed.push(format!(
                    "{name}/{}: {why}",
                    file.file_name().to_string_lossy()
                ));
            }
            replayed += 1;
        }
    }
    assert!(replayed >= 8, "{replayed}");
    assert!(
        failed.is_empty(),
        "{} of {replayed}:\n{}",
        failed.len(),
        failed.join("\n")
    );
}
