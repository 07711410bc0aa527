//! Freeing large values off the critical path.
//!
//! A runbook of 100,000 tasks is millions of small allocations: freeing its model
//! takes 20-50 ms, and a million tasks about half a second. Once a stage is done with
//! such a value, it is handed to a short-lived thread to free, so the next stage (or
//! the process exit, which does not wait for it) starts at once.

/// Values smaller than this many tasks are simply dropped.
const WORTH_A_THREAD: usize = 10_000;

/// Drops `value` on its own thread when `tasks` says it is large, here otherwise.
pub(crate) fn drop_large<T: Send + 'static>(value: T, tasks: usize) {
    if tasks >= WORTH_A_THREAD {
        // If no thread can be started, the closure and the value are dropped here.
        let _ = std::thread::Builder::new()
            .name("cutover-free".into())
            .spawn(move || drop(value));
    }
}
