//! The transaction runner: a body run in a write transaction, committed on success, rolled
//! back on error, and run again in a fresh transaction when the database reports a transient
//! conflict.

use std::future::Future;
use std::marker::PhantomData;
use std::ops::{ControlFlow, Deref, DerefMut};
use std::pin::Pin;

use super::{Db, Tx};
use crate::error::CoreResult;

/// Runs `body` in a write transaction and commits it; when the database reports a transient
/// conflict (SQLite busy, PostgreSQL serialization failure or deadlock) the whole body runs
/// again in a fresh transaction, a few times. The body is an ordinary closure, so `?` and
/// `return` in it mean what they say: they end this attempt, and an error rolls it back.
///
/// Written `in_tx(&db, |tx| Box::pin(async move { .. })).await`. The body returns a boxed
/// `Send` future because services must be callable from spawned tasks, and the future of an
/// `async` closure cannot yet be required to be `Send` on stable Rust. Since the body may run
/// more than once, values it moves must be borrowed or cloned before it.
pub(crate) async fn in_tx<'a, T, F>(db: &Db, mut body: F) -> CoreResult<T>
where
    F: for<'t> FnMut(&'t mut TxScope<'a>) -> TxFuture<'t, T>,
{
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let mut scope = TxScope {
            tx: db.begin().await?,
            borrows: PhantomData,
        };
        let result = body(&mut scope).await;
        match settle(scope.tx, result, attempt).await {
            ControlFlow::Continue(()) => continue,
            ControlFlow::Break(done) => break done,
        }
    }
}

/// What an [`in_tx`] body returns: its work, boxed so it can be required to be `Send`.
pub(crate) type TxFuture<'t, T> = Pin<Box<dyn Future<Output = CoreResult<T>> + Send + 't>>;

/// The open transaction as an [`in_tx`] body sees it: a [`Tx`] (it derefs to one, so
/// repository functions take it as they are) that carries the lifetime `'a` of what the body
/// borrows. Naming `'a` in the body's argument tells the compiler those borrows outlive every
/// attempt's transaction, which is what lets the body's future hold both.
pub(crate) struct TxScope<'a> {
    tx: Tx,
    borrows: PhantomData<&'a ()>,
}

impl Deref for TxScope<'_> {
    type Target = Tx;

    fn deref(&self) -> &Tx {
        &self.tx
    }
}

impl DerefMut for TxScope<'_> {
    fn deref_mut(&mut self) -> &mut Tx {
        &mut self.tx
    }
}

/// Commits on success, rolls back on error, and says whether [`in_tx`] should run again.
async fn settle<T>(
    tx: Tx,
    result: CoreResult<T>,
    attempt: u32,
) -> std::ops::ControlFlow<CoreResult<T>> {
    use ControlFlow::{Break, Continue};
    const ATTEMPTS: u32 = 5;
    let outcome = match result {
        Ok(value) => tx.commit().await.map(|()| value),
        Err(err) => {
            tx.note_failure(&err);
            Err(err) // dropping `tx` rolls back
        }
    };
    match outcome {
        Err(err) if err.is_transient() && attempt < ATTEMPTS => Continue(()),
        other => Break(other),
    }
}
