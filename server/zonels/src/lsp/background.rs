//! The thread full analyses run on. It runs at a lower CPU priority, so on a busy
//! machine the editor's own work (the quick look, answering requests, writing messages)
//! goes first and typing never waits for a large workspace to be re-checked.

use std::sync::mpsc;

type Job = Box<dyn FnOnce() + Send>;

pub struct Background {
    jobs: mpsc::Sender<Job>,
}

impl Background {
    pub fn start() -> std::io::Result<Background> {
        let (jobs, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new().name("zonels-analysis".into()).spawn(move || {
            lower_priority();
            while let Ok(job) = rx.recv() {
                job();
            }
        })?;
        Ok(Background { jobs })
    }

    /// Runs `f` on the background thread; `None` if the thread is gone or `f` panicked.
    pub async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
            let _ = tx.send(out.ok());
        });
        self.jobs.send(job).ok()?;
        rx.await.ok().flatten()
    }

    /// Frees `value` on the background thread: a large analysis takes tens of
    /// milliseconds to free, which the editor should not wait for. (Freed here if the
    /// thread is gone.)
    pub fn free<T: Send + 'static>(&self, value: T) {
        let _ = self.jobs.send(Box::new(move || drop(value)));
    }
}

#[cfg(target_os = "linux")]
fn lower_priority() {
    // SAFETY: plain system calls on the calling thread; failure only leaves the priority as it was.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, 10);
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}
