//! HTTP: the output folder through tower-http's `ServeDir` behind [`guard`], which refuses what
//! `ServeDir` alone would answer, and the events endpoint the reload script long-polls.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::uri::Authority;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use percent_encoding::percent_decode_str;
use tower_http::services::ServeDir;

use super::{Shared, reload};

pub(super) const EVENTS_PATH: &str = "/__dealbook/events";
/// How long `/__dealbook/events?since=N` waits for a new build before answering anyway.
const LONG_POLL: Duration = Duration::from_secs(25);
/// How long a request for a missing file waits for a running build (the swap) to finish.
const WAIT_FOR_BUILD: Duration = Duration::from_secs(5);
/// An HTML page is read whole to put the script in; this only bounds a runaway file.
const MAX_PAGE: usize = 256 << 20;
const HTML: &str = "text/html; charset=utf-8";

pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback_service(ServeDir::new(&shared.root))
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), guard))
        .with_state(shared)
}

/// In front of every request. Refuses other hosts; for the site's files, refuses dot files and
/// what resolves outside the output folder (`ServeDir` follows symlinks), and answers missing
/// files with the Chinese 404 page. Pages get the reload script; nothing is cached.
async fn guard(State(shared): State<Arc<Shared>>, mut request: Request, next: Next) -> Response {
    let headers = request.headers();
    let events = request.uri().path() == EVENTS_PATH;
    if !local_host(headers, shared.port) || (events && !local_origin(headers, shared.port)) {
        return finish(StatusCode::FORBIDDEN.into_response());
    }
    // HEAD is answered as GET and axum drops the body, so a page's headers are those of GET,
    // script included.
    if request.method() == Method::HEAD {
        *request.method_mut() = Method::GET;
    }
    let path = request.uri().path();
    if path == EVENTS_PATH {
        return finish(next.run(request).await);
    }
    let Some(relative) = site_path(path) else {
        return finish(not_found(&shared));
    };
    let response = match locate(&shared, relative.clone()).await {
        Place::Inside => next.run(request).await,
        Place::NoOutput if relative.as_os_str().is_empty() => return finish(not_built(&shared)),
        Place::Missing | Place::NoOutput => return finish(not_found(&shared)),
    };
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    finish(match response.status() {
        StatusCode::NOT_FOUND => not_found(&shared),
        StatusCode::OK if html => with_script(&shared, response).await,
        _ => response,
    })
}

/// DNS rebinding: a page of another site whose name was pointed at 127.0.0.1 reaches this
/// server with its own name in `Host`. Only the loopback names of the port listened on are
/// answered (no port is port 80).
fn local_host(headers: &HeaderMap, port: u16) -> bool {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok()?.parse::<Authority>().ok())
        .is_some_and(|a| loopback(&a, port))
}

/// A page of another site may ask for the event stream from the reader's browser: when a
/// request names its `Origin`, it must be this server (`http://` a loopback name and the port).
fn local_origin(headers: &HeaderMap, port: u16) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    origin
        .to_str()
        .ok()
        .and_then(|o| o.strip_prefix("http://"))
        .and_then(|o| o.parse::<Authority>().ok())
        .is_some_and(|a| loopback(&a, port))
}

fn loopback(authority: &Authority, port: u16) -> bool {
    let host = authority.host();
    let name = matches!(host, "127.0.0.1" | "[::1]") || host.eq_ignore_ascii_case("localhost");
    name && authority.port_u16().unwrap_or(80) == port
}

/// The request path inside the output folder, percent-decoded as `ServeDir` decodes it. `None`
/// for what is never served: names starting with a dot (the output marker, editor files, `..`),
/// empty names (`//name/` would be a protocol-relative redirect to another host), backslashes,
/// NUL, and paths that are not UTF-8.
fn site_path(raw: &str) -> Option<PathBuf> {
    let decoded = percent_decode_str(raw).decode_utf8().ok()?;
    let relative = decoded.strip_prefix('/')?;
    let relative = relative.strip_suffix('/').unwrap_or(relative);
    let bad = |name: &str| name.is_empty() || name.starts_with('.') || name.contains(['\\', '\0']);
    (relative.is_empty() || !relative.split('/').any(bad)).then(|| PathBuf::from(relative))
}

#[derive(Debug, PartialEq, Eq)]
enum Place {
    Inside,
    /// Missing, or outside the output folder.
    Missing,
    /// The output folder does not exist (yet).
    NoOutput,
}

/// Where a request leads once symlinks are resolved; waits for a running build when the file is
/// missing, since the build may be swapping the output folder right now.
async fn locate(shared: &Shared, relative: PathBuf) -> Place {
    let look = || {
        let (root, relative) = (shared.root.clone(), relative.clone());
        tokio::task::spawn_blocking(move || place(&root, &relative))
    };
    let found = look().await.unwrap_or(Place::Missing);
    if found == Place::Inside || !shared.state.borrow().building {
        return found;
    }
    let mut state = shared.state.clone();
    let _ = tokio::time::timeout(WAIT_FOR_BUILD, state.wait_for(|s| !s.building)).await;
    look().await.unwrap_or(Place::Missing)
}

/// A folder's `index.html` (what `ServeDir` answers a folder with) must lie inside too.
fn place(root: &Path, relative: &Path) -> Place {
    let Ok(root) = root.canonicalize() else {
        return Place::NoOutput;
    };
    let Ok(real) = root.join(relative).canonicalize() else {
        return Place::Missing;
    };
    let index_outside = real
        .join("index.html")
        .canonicalize()
        .is_ok_and(|i| !i.starts_with(&root));
    if real.starts_with(&root) && !index_outside {
        Place::Inside
    } else {
        Place::Missing
    }
}

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
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// A page of the site with the reload script put in. The file's length and validators no
/// longer describe what is sent.
async fn with_script(shared: &Shared, response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_PAGE).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "无法读取这个页面\n").into_response();
    };
    use header::{ACCEPT_RANGES, CONTENT_LENGTH, ETAG, LAST_MODIFIED};
    for name in [CONTENT_LENGTH, ETAG, LAST_MODIFIED, ACCEPT_RANGES] {
        parts.headers.remove(name);
    }
    let page = reload::inject(bytes.to_vec(), &reload::script(shared));
    Response::from_parts(parts, Body::from(page))
}

/// What every answer gets: no caching (each build changes the pages), no type sniffing, and
/// UTF-8 named for text (`ServeDir` names no charset, and the site writes only UTF-8).
fn finish(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let text = headers
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok());
    if let Some(text) = text.filter(|t| t.starts_with("text/") && !t.contains("charset"))
        && let Ok(value) = HeaderValue::from_str(&format!("{text}; charset=utf-8"))
    {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let nosniff = HeaderValue::from_static("nosniff");
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, nosniff);
    response
}

fn not_found(shared: &Shared) -> Response {
    let text = "<p>输出文件夹里没有这个文件。</p>\n<p><a href=\"/\">回到首页</a></p>";
    page(shared, StatusCode::NOT_FOUND, "找不到页面", text)
}

/// The root while the output folder does not exist: the first build failed.
fn not_built(shared: &Shared) -> Response {
    let text = "<p>输出文件夹还不存在：构建成功后这一页会自动刷新。</p>";
    page(shared, StatusCode::OK, "还没有输出", text)
}

/// A page of ours, with the reload script. `title` and `text` are our own HTML.
fn page(shared: &Shared, status: StatusCode, title: &str, text: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>body{{font:16px/1.6 system-ui,sans-serif;max-width:48rem;\
         margin:2rem auto;padding:0 1rem}}</style>\n</head>\n<body>\n<h1>{title}</h1>\n{text}\n\
         </body>\n</html>\n"
    );
    let html = reload::inject(html.into_bytes(), &reload::script(shared));
    (status, [(header::CONTENT_TYPE, HTML)], html).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_stay_inside_and_visible() {
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/a/..%2f..%2fx",
            "/a%5c..%5cb",
            "/%00",
            "/%e4%b8",
            "/.dealbook-output",
            "/reports/.a.pdf",
            "/./x",
            "//evil.example/x",
            "/a//b",
            "no-slash",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
        let ok = site_path("/reports/%E9%98%BF.pdf").unwrap();
        assert_eq!(ok, Path::new("reports/阿.pdf"));
        assert_eq!(site_path("/reports/").unwrap(), Path::new("reports"));
        assert_eq!(site_path("/").unwrap(), Path::new(""));
    }

    fn headers(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn only_loopback_hosts_of_the_port_listened_on() {
        let host = |value: &str, port| local_host(&headers(header::HOST, value), port);
        for ok in [
            "127.0.0.1:3000",
            "localhost:3000",
            "LocalHost:3000",
            "[::1]:3000",
        ] {
            assert!(host(ok, 3000), "{ok}");
        }
        assert!(host("localhost", 80));
        for bad in [
            "evil.example",
            "evil.example:3000",
            "127.0.0.1.evil.example:3000",
            "localhost.evil:3000",
            "localhost",
            "localhost:3001",
            "[::1]",
            "",
        ] {
            assert!(!host(bad, 3000), "{bad}");
        }
        assert!(!local_host(&HeaderMap::new(), 3000));
    }

    #[test]
    fn the_event_stream_answers_its_own_origin_only() {
        let origin = |value: &str| local_origin(&headers(header::ORIGIN, value), 3000);
        assert!(
            local_origin(&HeaderMap::new(), 3000),
            "no Origin: same-origin"
        );
        assert!(origin("http://127.0.0.1:3000"));
        assert!(origin("http://localhost:3000"));
        for bad in [
            "https://evil.example",
            "http://evil.example:3000",
            "http://127.0.0.1:3001",
            "null",
            "https://localhost:3000",
        ] {
            assert!(!origin(bad), "{bad}");
        }
    }
}
