//! The threads that help check bodies, kept from one load to the next.
//!
//! Starting a thread took 47–75 µs here (median), 200–240 µs one time in
//! ten; waking a kept one, 7 µs (15 µs one time in ten). A load of a few
//! milliseconds on two threads lost that much of its speed-up to every
//! thread it started, so helpers are started once, by the first load that
//! needs them, and wait for the next job between loads.
//!
//! A job waits for a free thread only when [`MAX_THREADS`] are busy. A load
//! never waits for a helper that has not started (its lanes are taken by
//! the threads that have, see [`CodeWalk::parallel`]), so a queued job
//! finds little or nothing left to do when it runs.
//!
//! [`CodeWalk::parallel`]: crate::walk::CodeWalk::parallel

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock, PoisonError};

/// One helper's share of one load.
pub(crate) type Job = Box<dyn FnOnce() + Send + 'static>;

/// The most threads kept; beyond, a job waits for one to be free.
const MAX_THREADS: usize = 64;

/// The kept threads and the jobs waiting for them.
struct Pool {
    state: Mutex<State>,
    /// Signalled for every job added.
    work: Condvar,
}

#[derive(Default)]
struct State {
    jobs: VecDeque<Job>,
    /// Threads waiting for a job.
    idle: usize,
    /// Threads started.
    threads: usize,
}

impl Pool {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Jobs run outside the lock and cannot poison it; if anything
        // did, the state is still consistent (every change is one step).
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

static POOL: OnceLock<Pool> = OnceLock::new();

/// Hands `job` to a kept thread: a waiting one, or one started for it when
/// there are more jobs than waiting threads (up to [`MAX_THREADS`]).
/// `Err` gives the job back when no thread is kept and none could be
/// started.
pub(crate) fn run(job: Job) -> Result<(), Job> {
    let pool = POOL.get_or_init(|| Pool {
        state: Mutex::new(State::default()),
        work: Condvar::new(),
    });
    let mut state = pool.lock();
    state.jobs.push_back(job);
    if state.idle > 0 {
        pool.work.notify_one();
    }
    if state.jobs.len() > state.idle && state.threads < MAX_THREADS {
        let started = std::thread::Builder::new()
            .name("lading-helper".into())
            .spawn(|| serve(pool));
        match started {
            Ok(_) => state.threads += 1,
            Err(_) if state.threads == 0 => {
                // No thread to run it: the caller does without.
                let job = state.jobs.pop_back();
                return job.map_or(Ok(()), Err);
            }
            // The threads kept take it when free.
            Err(_) => {}
        }
    }
    Ok(())
}

/// A kept thread: runs jobs as they come, for as long as the process
/// lives.
fn serve(pool: &'static Pool) {
    let mut state = pool.lock();
    loop {
        if let Some(job) = state.jobs.pop_front() {
            drop(state);
            // A job that panics has told its load so (it fails the walk,
            // which is then checked again on one thread); the thread
            // stays for the next.
            let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
            state = pool.lock();
            continue;
        }
        state.idle += 1;
        state = pool
            .work
            .wait(state)
            .unwrap_or_else(PoisonError::into_inner);
        state.idle -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    /// Waits until `done` reaches `want`, for a few seconds at most.
    fn wait_for(done: &AtomicUsize, want: usize) {
        let start = Instant::now();
        while done.load(Ordering::SeqCst) < want {
            assert!(start.elapsed() < Duration::from_secs(10), "jobs not run");
            std::thread::yield_now();
        }
    }

    #[test]
    fn every_job_runs_on_a_helper_thread() {
        let done = Arc::new(AtomicUsize::new(0));
        for round in 1..=3 {
            for _ in 0..4 {
                let done = Arc::clone(&done);
                run(Box::new(move || {
                    if std::thread::current().name() == Some("lading-helper") {
                        done.fetch_add(1, Ordering::SeqCst);
                    }
                }))
                .unwrap_or_else(|_| panic!("a thread runs it"));
            }
            wait_for(&done, 4 * round);
        }
        let threads = POOL.get().map(|pool| pool.lock().threads).unwrap_or(0);
        assert!((1..=MAX_THREADS).contains(&threads), "{threads} threads");
    }

    #[test]
    fn threads_are_kept_for_later_jobs() {
        // One job after another: a thread that is done waits for the next
        // instead of ending, so far fewer threads than jobs run them.
        let ids = Arc::new(Mutex::new(Vec::new()));
        let done = Arc::new(AtomicUsize::new(0));
        for n in 1..=50 {
            let (seen, ran) = (Arc::clone(&ids), Arc::clone(&done));
            run(Box::new(move || {
                seen.lock().unwrap().push(std::thread::current().id());
                ran.fetch_add(1, Ordering::SeqCst);
            }))
            .unwrap_or_else(|_| panic!("a thread runs it"));
            wait_for(&done, n);
        }
        let mut ids = ids.lock().unwrap().clone();
        ids.sort_by_key(|id| format!("{id:?}"));
        ids.dedup();
        assert!(ids.len() < 50, "{} threads for 50 jobs", ids.len());
    }

    #[test]
    fn a_job_that_panics_leaves_its_thread_serving() {
        let done = Arc::new(AtomicUsize::new(0));
        // `resume_unwind`: a panic without the panic hook's message.
        run(Box::new(|| {
            std::panic::resume_unwind(Box::new("a job's panic"))
        }))
        .unwrap_or_else(|_| panic!("a thread runs it"));
        for _ in 0..8 {
            let done = Arc::clone(&done);
            run(Box::new(move || {
                done.fetch_add(1, Ordering::SeqCst);
            }))
            .unwrap_or_else(|_| panic!("a thread runs it"));
        }
        wait_for(&done, 8);
    }
}
