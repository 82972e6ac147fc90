//! `dealbook serve`: builds once, serves the output folder on 127.0.0.1, rebuilds when a source
//! file changes and reloads the open pages.
//!
//! Three parts share one [`BuildState`] (a `tokio::sync::watch` channel):
//! - the watcher (notify) sends file events; [`rebuild_loop`] drops the irrelevant ones (the
//!   output folder, editor temp files, reads), waits for a quiet period and runs
//!   [`build`](super::build::build) on a blocking thread, one build at a time;
//! - the HTTP server serves files from the output folder only, and injects a small script into
//!   every HTML response (never into the files on disk);
//! - the script long-polls `/__dealbook/events` and reloads the page after a good build, or shows
//!   the errors of a failed one in an overlay (filled with `textContent`) until the next good one.
//!
//! A failed build leaves the last good output in place (the build swaps its staging folder in
//! only on success), so the site keeps being served while the errors are shown.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use axum::routing::get;
use notify::{Event, EventKind, RecursiveMode, Watcher};
use tokio::sync::{mpsc, watch};

use crate::cli::{BuildArgs, ServeArgs};
use dealbook::diag::Diagnostic;

use super::build::build;
use super::{Failure, print, print_err};

/// How long the sources must stay quiet before a rebuild starts.
const QUIET: Duration = Duration::from_millis(150);
/// A stream of events that never goes quiet still gets a rebuild after this long.
const MAX_DEBOUNCE: Duration = Duration::from_millis(400);
/// How long `/__dealbook/events?since=N` waits for a new build before answering anyway.
const LONG_POLL: Duration = Duration::from_secs(25);
/// How long a request for a missing file waits for a running build (the swap) to finish.
const WAIT_FOR_BUILD: Duration = Duration::from_secs(5);
/// How long open connections get to finish after Ctrl+C.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

const EVENTS_PATH: &str = "/__dealbook/events";

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
    state: watch::Receiver<BuildState>,
    shutdown: watch::Receiver<bool>,
    /// Changes on every start of `dealbook serve`, so open pages reload after a restart.
    instance: String,
}

pub fn run(args: ServeArgs) -> Result<(), Failure> {
    let ServeArgs { build: args, port } = args;
    let output = absolute(&args.output);
    // Bind first: a port in use is a usage error, reported before a build is spent on it.
    let listener = bind(port)?;
    let address = listener
        .local_addr()
        .map_err(|e| server_failure(&output, format!("无法读取监听地址：{e}")))?;

    let mut state = BuildState::default();
    match build(&args) {
        Ok(summary) => {
            print(&summary);
            state.generation = 1;
            state.good = 1;
        }
        // A folder dealbook may not replace, an unknown font option: nothing to serve.
        Err(failure @ Failure::Usage(_)) => return Err(failure),
        // Invalid sources: serve what is there and show the errors until they are fixed.
        Err(failure) => {
            failure.report();
            print("构建失败：先提供输出文件夹里已有的内容，源文件修好后自动重新构建\n");
            state.generation = 1;
            state.error = Some(failure_text(&failure));
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
            _ => format!("无法监听 127.0.0.1:{port}：{e}"),
        })
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Failure::Usage(format!("无法监听 127.0.0.1:{port}：{e}")))?;
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
        .map_err(|e| server_failure(&output, format!("无法监听 {address}：{e}")))?;
    let (state_tx, state_rx) = watch::channel(initial);
    let (shutdown_tx, shutdown_rx) = watch::channel(false);

    // The watcher lives as long as this function; dropping it ends the rebuild loop.
    let (events_tx, events_rx) = mpsc::unbounded_channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = events_tx.send(event);
    })
    .map_err(|e| server_failure(&output, format!("无法监视源文件的改动：{e}")))?;
    let watched = watched_folders(&args);
    for folder in &watched {
        watcher
            .watch(folder, RecursiveMode::Recursive)
            .map_err(|e| server_failure(folder, format!("无法监视这个文件夹的改动：{e}")))?;
    }
    let filter = Filter::new(&output);
    tokio::spawn(rebuild_loop(events_rx, args, state_tx, filter));
    tokio::spawn(wait_for_signal(shutdown_tx));

    let shared = Arc::new(Shared {
        root: output.clone(),
        state: state_rx,
        shutdown: shutdown_rx.clone(),
        instance: instance_id(),
    });
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(files)
        .with_state(shared);

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
async fn wait_for_signal(shutdown: watch::Sender<bool>) {
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

/// The content folder, and the theme folders that exist.
fn watched_folders(args: &BuildArgs) -> Vec<PathBuf> {
    let mut folders = vec![absolute(&args.content.content)];
    for theme in [PathBuf::from("themes"), args.theme.clone()] {
        let theme = absolute(&theme);
        if theme.is_dir() && !folders.iter().any(|f| theme.starts_with(f)) {
            folders.retain(|f| !f.starts_with(&theme));
            folders.push(theme);
        }
    }
    folders
}

// ---------------------------------------------------------------------------------------------
// Watching and rebuilding

/// Decides which file events are worth a rebuild.
struct Filter {
    /// The output folder as written and as resolved (they differ behind a symlink).
    output: Vec<PathBuf>,
}

impl Filter {
    fn new(output: &Path) -> Filter {
        let mut paths = vec![output.to_path_buf()];
        if let Ok(real) = output.canonicalize()
            && real != output
        {
            paths.push(real);
        }
        Filter { output: paths }
    }

    fn relevant(&self, event: &Event) -> bool {
        // Reads (including the build's own) are not changes.
        if matches!(event.kind, EventKind::Access(_)) {
            return false;
        }
        // An event without paths (a rescan) may hide any change.
        event.paths.is_empty() || event.paths.iter().any(|p| !self.ignored(p))
    }

    fn ignored(&self, path: &Path) -> bool {
        if self.output.iter().any(|o| path.starts_with(o)) {
            return true;
        }
        // The build's staging and old folders sit beside the output folder.
        let staging = path.components().any(|c| {
            let part = c.as_os_str().to_string_lossy();
            part.contains(".dealbook-tmp-") || part.contains(".dealbook-old-")
        });
        staging
            || path
                .file_name()
                .is_some_and(|n| editor_temp(&n.to_string_lossy()))
    }
}

/// Swap files of vim, backups of emacs and others, emacs locks, and vim's write test `4913`.
fn editor_temp(name: &str) -> bool {
    name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with('~')
        || name.starts_with(".#")
        || name == "4913"
}

/// Waits for relevant changes, lets them settle, rebuilds; forever, one build at a time.
/// Changes made during a build are queued and give the next build.
async fn rebuild_loop(
    mut events: mpsc::UnboundedReceiver<notify::Result<Event>>,
    args: Arc<BuildArgs>,
    state: watch::Sender<BuildState>,
    filter: Filter,
) {
    let mut warned = false;
    loop {
        let mut changed: Vec<PathBuf> = Vec::new();
        // The first relevant event.
        loop {
            match events.recv().await {
                None => return,
                Some(Ok(event)) if filter.relevant(&event) => {
                    changed.extend(event.paths.into_iter().filter(|p| !filter.ignored(p)));
                    break;
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => warn_once(&mut warned, &e),
            }
        }
        // Then quiet for QUIET (irrelevant events do not extend it), at most MAX_DEBOUNCE.
        let first = Instant::now();
        let mut quiet_until = tokio::time::Instant::now() + QUIET;
        let cap = tokio::time::Instant::now() + MAX_DEBOUNCE;
        loop {
            match tokio::time::timeout_at(quiet_until.min(cap), events.recv()).await {
                Err(_) => break,
                Ok(None) => return,
                Ok(Some(Ok(event))) => {
                    if filter.relevant(&event) {
                        quiet_until = tokio::time::Instant::now() + QUIET;
                        for p in event.paths {
                            if !filter.ignored(&p) && !changed.contains(&p) {
                                changed.push(p);
                            }
                        }
                    }
                }
                Ok(Some(Err(e))) => warn_once(&mut warned, &e),
            }
        }

        print(&format!("改动：{}，重新构建…\n", describe(&changed)));
        state.send_modify(|s| s.building = true);
        let build_args = Arc::clone(&args);
        let result = tokio::task::spawn_blocking(move || build(&build_args)).await;
        let outcome = match result {
            Ok(Ok(summary)) => {
                print(&summary);
                print(&format!(
                    "（从改动到完成 {:.2} 秒；已通知打开的页面刷新）\n",
                    first.elapsed().as_secs_f64()
                ));
                None
            }
            Ok(Err(failure)) => {
                failure.report();
                print("构建失败：继续提供上次成功的版本，错误已显示在打开的页面上\n");
                Some(failure_text(&failure))
            }
            Err(_) => {
                let message = "构建意外中止（程序内部错误）；继续提供上次成功的版本".to_string();
                eprintln_safe(&message);
                Some(message)
            }
        };
        state.send_modify(|s| {
            s.building = false;
            s.generation += 1;
            match outcome {
                None => {
                    s.good = s.generation;
                    s.error = None;
                }
                Some(text) => s.error = Some(text),
            }
        });
    }
}

fn warn_once(warned: &mut bool, error: &notify::Error) {
    if !*warned {
        *warned = true;
        eprintln_safe(&format!(
            "警告：监视文件改动时出错（{error}）；改动可能不会自动重新构建"
        ));
    }
}

fn eprintln_safe(message: &str) {
    print_err(&format!("{message}\n"));
}

/// "content/proposals/a.yaml" or "content/proposals/a.yaml 等 3 个文件".
fn describe(changed: &[PathBuf]) -> String {
    match changed {
        [] => "源文件夹".to_string(),
        [one] => shown_path(one),
        [first, rest @ ..] => format!("{} 等 {} 个文件", shown_path(first), rest.len() + 1),
    }
}

/// The text the page shows for a failed build: what `Failure::report` prints.
fn failure_text(failure: &Failure) -> String {
    match failure {
        Failure::Invalid(problems) => {
            let mut text: Vec<String> = problems.iter().map(ToString::to_string).collect();
            text.push(format!("共 {} 个问题", problems.len()));
            text.join("\n")
        }
        Failure::Usage(message) => format!("错误：{message}"),
    }
}

fn server_failure(path: &Path, message: String) -> Failure {
    Failure::Invalid(vec![Diagnostic::new(path, None, message)])
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

// ---------------------------------------------------------------------------------------------
// HTTP

/// `GET /__dealbook/events[?since=N]`: the build state as JSON. With `since`, answers when the
/// number of finished builds differs from N, or after [`LONG_POLL`], or at shutdown. Without
/// a valid `since` (the script's first call sends `-1`) it answers at once.
async fn events(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let since = uri.query().and_then(|q| {
        q.split('&')
            .find_map(|pair| pair.strip_prefix("since="))
            .and_then(|n| n.parse::<u64>().ok())
    });
    if let Some(since) = since {
        let mut state = shared.state.clone();
        let mut stop = shared.shutdown.clone();
        tokio::select! {
            _ = state.wait_for(|s| s.generation != since) => {}
            _ = stop.wait_for(|s| *s) => {}
            _ = tokio::time::sleep(LONG_POLL) => {}
        }
    }
    let current = shared.state.borrow().clone();
    let body = serde_json::json!({
        "instance": shared.instance,
        "generation": current.generation,
        "good": current.good,
        "building": current.building,
        "error": current.error,
    });
    respond(
        StatusCode::OK,
        "application/json",
        body.to_string().into_bytes(),
    )
}

/// Everything else: a file of the output folder, a folder listing, or an error page.
async fn files(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            "只支持 GET 和 HEAD\n".into(),
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let Some(request) = RequestPath::parse(uri.path()) else {
        return respond(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            "请求的路径无效\n".into(),
        );
    };
    let mut found = look_up(&shared.root, &request).await;
    if matches!(found, Lookup::Missing) && shared.state.borrow().building {
        // The build may be swapping the output folder right now: ask again when it is done.
        let mut state = shared.state.clone();
        let _ = tokio::time::timeout(WAIT_FOR_BUILD, state.wait_for(|s| !s.building)).await;
        found = look_up(&shared.root, &request).await;
    }
    let script = reload_script(&shared);
    match found {
        Lookup::File { name, bytes } => {
            let kind = content_type(&name);
            let bytes = if kind.starts_with("text/html") {
                inject(bytes, &script)
            } else {
                bytes
            };
            respond(StatusCode::OK, kind, bytes)
        }
        Lookup::Listing { entries } => {
            let page = listing_page(&request, entries.as_deref());
            respond(StatusCode::OK, HTML, inject(page.into_bytes(), &script))
        }
        Lookup::Redirect(location) => {
            let mut response = respond(
                StatusCode::MOVED_PERMANENTLY,
                "text/plain; charset=utf-8",
                Vec::new(),
            );
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Lookup::Missing => {
            let page = not_found_page(&request);
            respond(
                StatusCode::NOT_FOUND,
                HTML,
                inject(page.into_bytes(), &script),
            )
        }
    }
}

const HTML: &str = "text/html; charset=utf-8";

fn respond(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// A request path, decoded and checked: only plain names, none starting with a dot.
#[derive(Debug, PartialEq, Eq)]
struct RequestPath {
    segments: Vec<String>,
    /// The path ends with `/` (a folder's relative links need it).
    folder: bool,
}

impl RequestPath {
    /// `None` for a path that tries to leave the output folder or cannot be a file name:
    /// `..` (also percent-encoded), backslashes, NUL, invalid escapes or UTF-8.
    fn parse(raw: &str) -> Option<RequestPath> {
        let decoded = String::from_utf8(percent_decode(raw)?).ok()?;
        if !decoded.starts_with('/') || decoded.contains(['\\', '\0']) {
            return None;
        }
        let mut segments = Vec::new();
        for part in decoded.split('/') {
            match part {
                "" | "." => {}
                ".." => return None,
                name => segments.push(name.to_string()),
            }
        }
        Some(RequestPath {
            segments,
            folder: decoded.ends_with('/'),
        })
    }

    /// Hidden files (the output marker, editor files) are not served.
    fn hidden(&self) -> bool {
        self.segments.iter().any(|s| s.starts_with('.'))
    }

    /// The canonical URL of this path, percent-encoded.
    fn url(&self, folder: bool) -> String {
        let mut url = String::from("/");
        url.push_str(
            &self
                .segments
                .iter()
                .map(|s| percent_encode(s))
                .collect::<Vec<_>>()
                .join("/"),
        );
        if folder && !self.segments.is_empty() {
            url.push('/');
        }
        url
    }

    fn display(&self) -> String {
        let mut shown = format!("/{}", self.segments.join("/"));
        if self.folder && !self.segments.is_empty() {
            shown.push('/');
        }
        shown
    }
}

fn percent_decode(raw: &str) -> Option<Vec<u8>> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

enum Lookup {
    File {
        name: String,
        bytes: Vec<u8>,
    },
    /// A folder without `index.html`; `None` when the output folder does not exist yet.
    Listing {
        entries: Option<Vec<(String, bool)>>,
    },
    Redirect(String),
    Missing,
}

async fn look_up(root: &Path, request: &RequestPath) -> Lookup {
    if request.hidden() {
        return Lookup::Missing;
    }
    let root = root.to_path_buf();
    let segments = request.segments.clone();
    let folder = request.folder;
    let redirect = request.url(true);
    tokio::task::spawn_blocking(move || look_up_blocking(&root, &segments, folder, redirect))
        .await
        .unwrap_or(Lookup::Missing)
}

/// Resolves symlinks and serves only what resolves inside the output folder.
fn look_up_blocking(root: &Path, segments: &[String], folder: bool, redirect: String) -> Lookup {
    let Ok(root) = root.canonicalize() else {
        return if segments.is_empty() {
            Lookup::Listing { entries: None }
        } else {
            Lookup::Missing
        };
    };
    let path = segments.iter().fold(root.clone(), |p, s| p.join(s));
    let Ok(real) = path.canonicalize() else {
        return Lookup::Missing;
    };
    if !real.starts_with(&root) {
        return Lookup::Missing;
    }
    let Ok(meta) = std::fs::metadata(&real) else {
        return Lookup::Missing;
    };
    if meta.is_dir() {
        if !segments.is_empty() && !folder {
            return Lookup::Redirect(redirect);
        }
        let index = real.join("index.html");
        if let Ok(real_index) = index.canonicalize()
            && real_index.starts_with(&root)
            && real_index.is_file()
            && let Ok(bytes) = std::fs::read(&real_index)
        {
            return Lookup::File {
                name: "index.html".into(),
                bytes,
            };
        }
        let Ok(read) = std::fs::read_dir(&real) else {
            return Lookup::Missing;
        };
        let mut entries: Vec<(String, bool)> = read
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_str()?.to_string();
                let is_dir = e.path().is_dir();
                (!name.starts_with('.')).then_some((name, is_dir))
            })
            .collect();
        entries.sort();
        return Lookup::Listing {
            entries: Some(entries),
        };
    }
    if folder || !meta.is_file() {
        return Lookup::Missing;
    }
    match std::fs::read(&real) {
        Ok(bytes) => Lookup::File {
            name: segments.last().cloned().unwrap_or_default(),
            bytes,
        },
        Err(_) => Lookup::Missing,
    }
}

fn content_type(name: &str) -> &'static str {
    let extension = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => HTML,
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

/// The live-reload script: long-polls the events endpoint, reloads after a good build (or a
/// restart of `dealbook serve`), shows a failed build's errors as plain text in an overlay.
fn reload_script(shared: &Shared) -> String {
    let good = shared.state.borrow().good;
    // The instance id is hex digits and a dash: safe inside a JS string.
    format!(
        r#"<script>/* dealbook serve: live reload */(()=>{{
const good={good},instance="{instance}";let seen=-1,box=null;
const show=t=>{{if(!box){{box=document.createElement("pre");box.id="dealbook-errors";box.style.cssText="position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;margin:0;padding:12px 16px;background:#fff1f0;color:#8b0000;border-top:3px solid #d00;font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap;z-index:2147483647";document.body.appendChild(box)}}box.textContent=t}};
const hide=()=>{{if(box){{box.remove();box=null}}}};
(async()=>{{for(;;){{try{{const r=await fetch("{EVENTS_PATH}?since="+seen,{{cache:"no-store"}});const s=await r.json();
if(s.instance!==instance||s.good>good){{location.reload();return}}
if(s.error){{show("构建失败，页面仍是上次成功的版本：\n\n"+s.error)}}else hide();seen=s.generation}}
catch(e){{await new Promise(f=>setTimeout(f,1000))}}}}}})()}})();</script>"#,
        instance = shared.instance,
    )
}

/// The script goes just before the last `</body>`, or at the end when there is none.
fn inject(mut bytes: Vec<u8>, script: &str) -> Vec<u8> {
    let end = b"</body>";
    let at = bytes
        .windows(end.len())
        .rposition(|w| w.eq_ignore_ascii_case(end))
        .unwrap_or(bytes.len());
    bytes.splice(at..at, script.bytes());
    bytes
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>body{{font:16px/1.6 system-ui,sans-serif;max-width:48rem;\
         margin:2rem auto;padding:0 1rem}}li{{margin:.25rem 0}}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(title)
    )
}

fn listing_page(request: &RequestPath, entries: Option<&[(String, bool)]>) -> String {
    let title = format!("输出文件夹 {}", request.display());
    let Some(entries) = entries else {
        return page(
            &title,
            "<h1>还没有输出</h1>\n<p>输出文件夹还不存在：构建成功后这里会列出生成的文件。</p>",
        );
    };
    let mut body = format!("<h1>{}</h1>\n<ul>\n", escape(&title));
    if !request.segments.is_empty() {
        body.push_str("<li><a href=\"../\">../</a></li>\n");
    }
    for (name, is_dir) in entries {
        let slash = if *is_dir { "/" } else { "" };
        body.push_str(&format!(
            "<li><a href=\"{}{slash}\">{}{slash}</a></li>\n",
            percent_encode(name),
            escape(name)
        ));
    }
    if entries.is_empty() {
        body.push_str("<li>（空）</li>\n");
    }
    body.push_str("</ul>");
    page(&title, &body)
}

fn not_found_page(request: &RequestPath) -> String {
    page(
        "找不到页面",
        &format!(
            "<h1>找不到页面</h1>\n<p>输出文件夹里没有 <code>{}</code>。</p>\n<p><a href=\"/\">回到首页</a></p>",
            escape(&request.display())
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_stay_inside() {
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/x",
            "/a/..%2f..%2fx",
            "/a%5c..%5cb",
            "/%00",
            "/%zz",
            "/%e4%b8",
        ] {
            assert_eq!(RequestPath::parse(bad), None, "{bad}");
        }
        let ok = RequestPath::parse("/reports/%E9%98%BF.pdf").unwrap();
        assert_eq!(ok.segments, ["reports", "阿.pdf"]);
        assert!(!ok.folder);
        let root = RequestPath::parse("//./").unwrap();
        assert!(root.segments.is_empty());
        assert!(RequestPath::parse("/.dealbook-output").unwrap().hidden());
    }

    #[test]
    fn redirects_only_to_local_paths() {
        let request = RequestPath::parse("//evil.example/x").unwrap();
        assert_eq!(request.url(true), "/evil.example/x/");
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = inject(b"<p></body>x</BODY>\n".to_vec(), "<s>");
        assert_eq!(String::from_utf8(out).unwrap(), "<p></body>x<s></BODY>\n");
        let out = inject(b"<p>".to_vec(), "<s>");
        assert_eq!(String::from_utf8(out).unwrap(), "<p><s>");
    }

    #[test]
    fn editor_files_and_output_are_ignored() {
        let filter = Filter::new(Path::new("/site/output"));
        for ignored in [
            "/site/output/index.html",
            "/site/content/.a.yaml.swp",
            "/site/content/a.yaml~",
            "/site/content/.#a.yaml",
            "/site/content/4913",
            "/site/.output.dealbook-tmp-12/x.pdf",
        ] {
            assert!(filter.ignored(Path::new(ignored)), "{ignored}");
        }
        assert!(!filter.ignored(Path::new("/site/content/proposals/a.yaml")));
        assert!(!filter.ignored(Path::new("/site/outputs/a.yaml")));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a.PDF"), "application/pdf");
        assert_eq!(content_type("a.woff2"), "font/woff2");
        assert_eq!(content_type("index.html"), HTML);
        assert_eq!(content_type("x"), "application/octet-stream");
    }

    #[test]
    fn listing_escapes_names() {
        let request = RequestPath::parse("/").unwrap();
        let page = listing_page(&request, Some(&[("<b>&.pdf".into(), false)]));
        assert!(page.contains("href=\"%3Cb%3E%26.pdf\">&lt;b&gt;&amp;.pdf</a>"));
    }
}
