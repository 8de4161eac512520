//! The one writer, with group commit. Every write is a job sent to a thread that owns
//! the write connection. The thread takes all jobs waiting at that moment (never
//! waiting for more), runs each in a savepoint of its own inside one transaction,
//! commits once, and only then answers. A failing job rolls back its savepoint and
//! no one else's. When writes arrive together, one fsync and one write of the hot
//! pages serve them all; a lone write is committed at once, as before.

use crate::{Result, StoreError};
use rusqlite::Connection;
use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use tokio::sync::oneshot;

/// Most jobs committed together, so that one transaction stays short.
const MAX_GROUP: usize = 32;

type Value = Box<dyn Any + Send>;
/// A write, its result type erased so that writes of every kind share one queue.
type Work = Box<dyn FnOnce(&Connection) -> Result<Value> + Send>;

struct Job {
    work: Work,
    reply: oneshot::Sender<Result<Value>>,
}

/// Where writes are sent; the writer thread ends when this is dropped.
pub struct Writer(mpsc::Sender<Job>);

impl Writer {
    pub fn start(connection: Connection) -> Result<Writer> {
        let (jobs, queue) = mpsc::channel();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run(connection, queue))
            .map_err(|e| StoreError::Backend(format!("cannot start the writer: {e}")))?;
        Ok(Writer(jobs))
    }

    /// Runs `f` in the writer's next transaction; answers once that is committed.
    pub async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let work: Work = Box::new(move |c: &Connection| f(c).map(|v| Box::new(v) as Value));
        self.0.send(Job { work, reply }).map_err(|_| stopped())?;
        let value = answer.await.map_err(|_| stopped())??;
        value
            .downcast::<T>()
            .map(|v| *v)
            .map_err(|_| StoreError::Backend("the writer answered with the wrong type".into()))
    }
}

fn stopped() -> StoreError {
    StoreError::Backend("the database writer has stopped".into())
}

fn run(c: Connection, queue: mpsc::Receiver<Job>) {
    while let Ok(first) = queue.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match queue.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        commit_group(&c, group);
    }
}

fn commit_group(c: &Connection, group: Vec<Job>) {
    if let Err(e) = c.execute_batch("BEGIN IMMEDIATE") {
        let e = StoreError::from(e);
        for job in group {
            let _ = job.reply.send(Err(again(&e)));
        }
        return;
    }
    // SQLite ends the transaction itself after some errors (a full disk): then
    // nothing more may run in it, and nothing of it is committed. The others are
    // told the cause, so a full disk reads as one to every writer of the group.
    let mut lost = StoreError::Backend("the transaction was rolled back by the database".into());
    // A lone job needs no savepoint: if it fails, the whole transaction is its own.
    let alone = group.len() == 1;
    let mut done: Vec<_> = group
        .into_iter()
        .map(|job| {
            let value = if c.is_autocommit() {
                Err(again(&lost))
            } else if alone {
                guarded(c, job.work)
            } else {
                in_savepoint(c, job.work)
            };
            if let Err(e @ StoreError::Full(_)) = &value {
                lost = again(e);
            }
            (job.reply, value)
        })
        .collect();
    if alone && done[0].1.is_err() {
        let _ = c.execute_batch("ROLLBACK");
        if let Some((reply, value)) = done.pop() {
            let _ = reply.send(value);
        }
        return;
    }
    let committed = if c.is_autocommit() {
        Err(lost)
    } else {
        c.execute_batch("COMMIT").map_err(|e| {
            let _ = c.execute_batch("ROLLBACK");
            StoreError::from(e)
        })
    };
    for (reply, value) in done {
        let answer = match (&committed, value) {
            (Err(e), Ok(_)) => Err(again(e)),
            (_, value) => value,
        };
        let _ = reply.send(answer);
    }
}

/// The same failure, for another job of the group: a full disk stays one.
fn again(e: &StoreError) -> StoreError {
    match e {
        StoreError::Full(m) => StoreError::Full(m.clone()),
        other => StoreError::Backend(other.to_string()),
    }
}

/// Runs one job, turning a panic into an error.
fn guarded(c: &Connection, work: Work) -> Result<Value> {
    catch_unwind(AssertUnwindSafe(|| work(c)))
        .unwrap_or_else(|_| Err(StoreError::Backend("a write panicked".into())))
}

/// Runs one job so that its failure (or panic) undoes only its own changes.
fn in_savepoint(c: &Connection, work: Work) -> Result<Value> {
    c.execute_batch("SAVEPOINT job")?;
    match guarded(c, work) {
        Ok(v) => {
            c.execute_batch("RELEASE job")?;
            Ok(v)
        }
        Err(e) => {
            c.execute_batch("ROLLBACK TO job; RELEASE job")?;
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn jobs_committed_together_fail_and_panic_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        let c = Connection::open(&path).unwrap();
        c.execute_batch("PRAGMA journal_mode=WAL; CREATE TABLE t (n INTEGER)")
            .unwrap();
        let writer = std::sync::Arc::new(Writer::start(c).unwrap());
        let tasks: Vec<_> = (0..60)
            .map(|n: i64| {
                let writer = writer.clone();
                tokio::spawn(async move {
                    writer
                        .write(move |c| {
                            c.execute("INSERT INTO t (n) VALUES (?1)", [n])?;
                            match n % 6 {
                                1 => Err(StoreError::NotFound),
                                2 => panic!("a bug in one write"),
                                _ => Ok(n),
                            }
                        })
                        .await
                })
            })
            .collect();
        let mut answers = Vec::new();
        for t in tasks {
            answers.push(t.await.unwrap());
        }
        let ok: Vec<i64> = answers
            .iter()
            .filter_map(|a| a.as_ref().ok().copied())
            .collect();
        assert_eq!(ok.len(), 40);
        assert!(
            answers
                .iter()
                .any(|a| matches!(a, Err(StoreError::NotFound)))
        );
        assert!(
            answers
                .iter()
                .any(|a| matches!(a, Err(StoreError::Backend(m)) if m.contains("panicked")))
        );
        // Only the answered writes were kept, and each exactly once.
        let stored: Vec<i64> = writer
            .write(|c| {
                let mut s = c.prepare("SELECT n FROM t ORDER BY n")?;
                let rows = s.query_map([], |r| r.get(0))?;
                Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
            })
            .await
            .unwrap();
        let mut expected = ok.clone();
        expected.sort();
        assert_eq!(stored, expected);
    }
}
