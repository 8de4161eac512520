//! Linking's large steps (fields, rules, shares of the pairs) are independent of one
//! another: each goes to a thread of its own, and a panic in one stays a panic.

/// `work` applied to every part, each on its own scoped thread; the answers in order.
pub(crate) fn on_cores<T: Send, R: Send>(
    parts: impl IntoIterator<Item = T>,
    work: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let work = &work;
    std::thread::scope(|s| {
        let running: Vec<_> = parts
            .into_iter()
            .map(|part| s.spawn(move || work(part)))
            .collect();
        running
            .into_iter()
            .map(|r| r.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}
