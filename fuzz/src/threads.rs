//! The `threads` target: a module loads the same on one thread and on
//! several (the code section's entries walked in lanes that threads split
//! between them): the same module, or the same error.

use lading::{Config, Error, Limits, Loader, Module};

/// What a load gave, to compare: the counts and every function's body
/// range, or the error's text and offset.
#[derive(Debug, PartialEq, Eq)]
enum Loaded {
    Module {
        instructions: u64,
        locals: u64,
        bodies: Vec<(u32, std::ops::Range<usize>)>,
    },
    Failed(String, Option<usize>),
}

fn loaded(result: Result<Module, Error>) -> Loaded {
    match result {
        Ok(module) => Loaded::Module {
            instructions: module.instruction_count(),
            locals: module.local_count(),
            bodies: module
                .functions()
                .map(|f| (f.type_index, f.body.range()))
                .collect(),
        },
        Err(e) => Loaded::Failed(e.to_string(), e.offset()),
    }
}

/// Loads `data` on one thread, then on two and three: all three agree.
pub fn check_threads(data: &[u8]) {
    for limits in [Limits::default(), Limits::unlimited()] {
        let load = |threads| {
            let config = Config::default().limits(limits).threads(threads);
            loaded(Loader::new(config).load(data.to_vec()))
        };
        let serial = load(0);
        for threads in [2, 3] {
            assert_eq!(load(threads), serial, "{threads} threads");
        }
    }
}
