//! `dealbook serve`: builds once, serves the output folder on 127.0.0.1, rebuilds when a source
//! file changes and reloads the open pages. This file starts and stops the parts.
//!
//! The parts share one [`BuildState`] (a `tokio::sync::watch` channel):
//! - [`watch`]: a debounced watcher; each batch of relevant changes runs
//!   [`build`](super::build::build) on a blocking thread, one build at a time;
//! - [`http`]: the output folder through tower-http's `ServeDir`, behind a guard that refuses
//!   other hosts, dot files and symlinks out of the folder, and the events endpoint;
//! - [`reload`]: the script put into every HTML response (never into the files on disk). It
//!   long-polls the events endpoint and reloads the page after a good build, or shows the errors
//!   of a failed one in an overlay (filled with `textContent`) until the next good one.
//!
//! A failed build leaves the last good output in place (the build swaps its staging folder in
//! only on success), so the site keeps being served while the errors are shown.

mod http;
mod reload;
mod watch;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::watch as channel;

use crate::cli::{BuildArgs, ServeArgs};
use dealbook::diag::{Diagnostic, os_error};

use super::build::build;
use super::{Failure, print, print_err};

/// How long open connections get to finish after Ctrl+C.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// What the pages learn from the events endpoint.
#[derive(Debug, Clone, Default)]
struct BuildState {
    /// Finished builds, good or failed.
    generation: u64,
    /// The generation of the last good build (0: none yet).
    good: u64,
    /// A build is running.
    building: bool,
    /// The errors of the last build, when it failed.
    error: Option<String>,
}

/// What every request handler needs.
struct Shared {
    /// The output folder, absolute.
    root: PathBuf,
    state: channel::Receiver<BuildState>,
    shutdown: channel::Receiver<bool>,
    /// Changes on every start of `dealbook serve`, so open pages reload after a restart.
    instance: String,
    /// The port listened on: the only one a request's `Host` may name.
    port: u16,
}

pub fn run(args: ServeArgs) -> Result<(), Failure> {
    let ServeArgs { build: args, port } = args;
    let output = absolute(&args.output);
    // Bind first: a port in use is a usage error, reported before a build is spent on it.
    let listener = bind(port)?;
    let address = listener
        .local_addr()
        .map_err(|e| server_failure(&output, format!("无法读取监听地址：{}", os_error(&e))))?;

    let mut state = BuildState {
        generation: 1,
        ..BuildState::default()
    };
    match build(&args) {
        Ok(summary) => {
            print(&summary);
            state.good = 1;
        }
        // A folder dealbook may not replace, an unknown font option: nothing to serve.
        Err(failure @ Failure::Usage(_)) => return Err(failure),
        // Invalid sources: serve what is there and show the errors until they are fixed.
        Err(failure) => {
            failure.report();
            print("构建失败：先提供输出文件夹里已有的内容，源文件修好后自动重新构建\n");
            state.error = Some(failure.text());
        }
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| server_failure(&output, format!("无法启动预览服务：{e}")))?;
    let result = runtime.block_on(serve(Arc::new(args), listener, address, output, state));
    // A build still running after Ctrl+C is not waited for; its staging folder is removed by
    // the next build.
    runtime.shutdown_timeout(Duration::from_millis(500));
    result
}

fn bind(port: u16) -> Result<std::net::TcpListener, Failure> {
    let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).map_err(|e| {
        Failure::Usage(match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "端口 {port} 已被占用（也许另一个 dealbook serve 正在运行）；用 --port 换一个端口"
            ),
            std::io::ErrorKind::PermissionDenied => {
                format!("没有权限监听端口 {port}；请用 1024 以上的端口，例如 --port 3000")
            }
            _ => format!("无法监听 127.0.0.1:{port}：{}", os_error(&e)),
        })
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Failure::Usage(format!("无法监听 127.0.0.1:{port}：{}", os_error(&e))))?;
    Ok(listener)
}

async fn serve(
    args: Arc<BuildArgs>,
    listener: std::net::TcpListener,
    address: SocketAddr,
    output: PathBuf,
    initial: BuildState,
) -> Result<(), Failure> {
    let listener = tokio::net::TcpListener::from_std(listener)
        .map_err(|e| server_failure(&output, format!("无法监听 {address}：{}", os_error(&e))))?;
    let (state_tx, state_rx) = channel::channel(initial);
    let (shutdown_tx, shutdown_rx) = channel::channel(false);

    // The watcher lives as long as this function; dropping it ends the rebuild loop.
    let (watcher, watched) = watch::start(args, &output, state_tx)?;
    tokio::spawn(wait_for_signal(shutdown_tx));

    let app = http::router(Arc::new(Shared {
        root: output.clone(),
        state: state_rx,
        shutdown: shutdown_rx.clone(),
        instance: instance_id(),
        port: address.port(),
    }));

    let shown: Vec<String> = watched.iter().map(|p| shown_path(p)).collect();
    print(&format!(
        "预览：http://{address}/  （Ctrl+C 退出）\n监视改动：{}\n",
        shown.join("、")
    ));

    let mut stop = shutdown_rx.clone();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        let _ = stop.wait_for(|s| *s).await;
    });
    let mut stop = shutdown_rx;
    let result = tokio::select! {
        r = server => r,
        // Connections that do not close in time are dropped.
        _ = async {
            let _ = stop.wait_for(|s| *s).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => Ok(()),
    };
    drop(watcher);
    result.map_err(|e| server_failure(&output, format!("预览服务出错：{e}")))?;
    print("已停止预览\n");
    Ok(())
}

/// Ctrl+C (and SIGTERM on Unix) set the shutdown flag.
async fn wait_for_signal(shutdown: channel::Sender<bool>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    let _ = shutdown.send(true);
}

fn server_failure(path: &Path, message: String) -> Failure {
    Failure::Invalid(vec![Diagnostic::new(path, None, message)])
}

fn eprintln_safe(message: &str) {
    print_err(&format!("{message}\n"));
}

/// `path` relative to the current folder when it is inside it.
fn shown_path(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// `path` made absolute, without `.` and `..` parts, without touching the file system.
fn absolute(path: &Path) -> PathBuf {
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn instance_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{:x}-{:x}", std::process::id(), nanos)
}
