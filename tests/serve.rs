//! `dealbook serve` as a user runs it: the real binary on a free loopback port, a copy of
//! `content/`, and a plain HTTP/1.1 client over `std::net::TcpStream`. Every wait is bounded.

#![cfg(feature = "serve")]

use std::fs;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;
use common::repo;

/// One server at a time: builds use every core, and the rebuild test measures latency.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A running `dealbook serve`, killed when dropped (also when a test fails).
struct Server {
    child: Child,
    port: u16,
    root: PathBuf,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `serve` on a copy of `content/` in a fresh temporary folder and waits until it
    /// answers.
    fn start(name: &str) -> Server {
        Server::start_with(name, |_| {})
    }

    /// As `start`, with `prepare` changing the copied content folder first.
    fn start_with(name: &str, prepare: impl FnOnce(&Path)) -> Server {
        common::sweep_ended_runs();
        let root =
            std::env::temp_dir().join(format!("dealbook-serve-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        common::copy_shipped_content(&root.join("content"));
        prepare(&root.join("content"));
        let port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_dealbook"))
            .args(["serve", "--port", &port.to_string(), "--font", "builtin"])
            .arg("--content")
            .arg(root.join("content"))
            .arg("--output")
            .arg(root.join("output"))
            .current_dir(repo())
            .env("SOURCE_DATE_EPOCH", "1795737600")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary starts");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        drain(child.stdout.take(), Arc::clone(&stdout));
        drain(child.stderr.take(), Arc::clone(&stderr));
        let mut server = Server {
            child,
            port,
            root,
            stdout,
            stderr,
        };
        let started = Instant::now();
        // Up when the preview URL is printed (after the first build) and a request is answered.
        let up = wait_until(Duration::from_secs(30), || {
            server
                .stdout()
                .contains(&format!("http://127.0.0.1:{port}/"))
                && TcpStream::connect_timeout(&server.addr(), Duration::from_millis(200)).is_ok()
        });
        if !up {
            let status = server.child.try_wait().ok().flatten();
            panic!(
                "serve did not answer within 30 s (exit: {status:?})\n{}",
                server.stderr()
            );
        }
        eprintln!("serve answered after {:?}", started.elapsed());
        server
    }

    fn addr(&self) -> std::net::SocketAddr {
        (Ipv4Addr::LOCALHOST, self.port).into()
    }

    fn get(&self, path: &str) -> Reply {
        request(self.port, "GET", path)
    }

    fn content(&self) -> PathBuf {
        self.root.join("content")
    }

    fn output(&self) -> PathBuf {
        self.root.join("output")
    }

    fn stdout(&self) -> String {
        self.stdout.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// The build state from the events endpoint (answers at once without `since`).
    fn events(&self) -> serde_json::Value {
        let reply = self.get("/__dealbook/events");
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert!(reply.header("content-type").starts_with("application/json"));
        serde_json::from_slice(&reply.body).expect("events are JSON")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_dir_all(&self.root);
    }
}

fn drain(pipe: Option<impl Read + Send + 'static>, into: Arc<Mutex<String>>) {
    if let Some(mut pipe) = pipe {
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut text) = into.lock() {
                    text.push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            }
        });
    }
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Polls `check` every 50 ms until it holds or `limit` has passed.
fn wait_until(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if check() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> String {
        self.head
            .lines()
            .find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_string())
            })
            .unwrap_or_default()
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request with `Connection: close`; the path is sent exactly as given.
fn request(port: u16, method: &str, path: &str) -> Reply {
    request_as(port, method, path, &format!("Host: 127.0.0.1:{port}\r\n"))
}

/// As `request`, with `host` (a whole header line, or nothing) instead of the usual Host header.
fn request_as(port: u16, method: &str, path: &str, host: &str) -> Reply {
    let addr = (Ipv4Addr::LOCALHOST, port).into();
    let mut stream =
        TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("connects to serve");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("reads the reply");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("an HTTP reply: {}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw[split + 4..].to_vec();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a status line: {head}"));
    let reply = Reply { status, head, body };
    if method == "GET" && reply.status != 304 {
        let length: usize = reply.header("content-length").parse().unwrap_or(usize::MAX);
        assert_eq!(length, reply.body.len(), "{path}: Content-Length");
    }
    reply
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn serves_the_output_folder_and_nothing_else() {
    let _serial = serial();
    let server = Server::start("files");

    let card = server.get("/cheat-card.pdf");
    assert_eq!(card.status, 200);
    assert_eq!(card.header("content-type"), "application/pdf");
    assert!(card.body.starts_with(b"%PDF-"));
    assert_eq!(
        card.body,
        fs::read(server.output().join("cheat-card.pdf")).unwrap()
    );

    let report = server.get("/reports/2026-03-18-aliyun-pilot.pdf");
    assert_eq!(report.status, 200);
    assert_eq!(report.header("content-type"), "application/pdf");

    let head = request(server.port, "HEAD", "/cheat-card.pdf");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());

    // Out of the output folder, however the path is written.
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/%2E%2E/Cargo.toml",
        "/reports/..%2f..%2fCargo.toml",
        "/..%5c..%5cCargo.toml",
        "/%00",
    ] {
        let reply = server.get(path);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{path}: {}",
            reply.status
        );
        assert!(!reply.text().contains("[package]"), "{path}");
    }
    for path in [
        "/Cargo.toml",
        "/missing.pdf",
        "/.dealbook-output",
        "/%2edealbook-output",
        "/cheat-card.pdf/",
        // Would redirect to `//reports/`, another host for a browser.
        "//reports",
    ] {
        assert_eq!(server.get(path).status, 404, "{path}");
    }
    let missing = server.get("/missing.html");
    assert_eq!(missing.header("content-type"), "text/html; charset=utf-8");
    assert!(missing.text().contains("找不到页面"));

    // A symlink leading outside is not followed.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(repo().join("Cargo.toml"), server.output().join("escape"))
            .unwrap();
        std::os::unix::fs::symlink(repo(), server.output().join("escape-dir")).unwrap();
        assert_eq!(server.get("/escape").status, 404);
        assert_eq!(server.get("/escape-dir/Cargo.toml").status, 404);
        // One that stays inside is.
        std::os::unix::fs::symlink("cheat-card.pdf", server.output().join("alias.pdf")).unwrap();
        assert_eq!(server.get("/alias.pdf").body, card.body);
    }

    // DNS rebinding: only the loopback names of this port in Host are answered, with nothing.
    let other_port = format!("127.0.0.1:{}", server.port.wrapping_add(1));
    for host in [
        "evil.example",
        "127.0.0.1.evil.example",
        "localhost",
        &other_port,
        "",
    ] {
        let line = if host.is_empty() {
            String::new()
        } else {
            format!("Host: {host}\r\n")
        };
        let reply = request_as(server.port, "GET", "/cheat-card.pdf", &line);
        assert_eq!(reply.status, 403, "{host:?}");
        assert!(reply.body.is_empty(), "{}", reply.text());
        let reply = request_as(server.port, "GET", "/__dealbook/events", &line);
        assert_eq!(reply.status, 403, "{host:?}");
    }
    // The event stream, asked for by another site's page.
    let foreign = format!(
        "Host: 127.0.0.1:{}\r\nOrigin: https://evil.example\r\n",
        server.port
    );
    let reply = request_as(server.port, "GET", "/__dealbook/events", &foreign);
    assert_eq!(reply.status, 403);
    for host in [
        format!("localhost:{}", server.port),
        format!("[::1]:{}", server.port),
    ] {
        let reply = request_as(
            server.port,
            "GET",
            "/cheat-card.pdf",
            &format!("Host: {host}\r\n"),
        );
        assert_eq!(reply.status, 200, "{host}");
    }

    // Only GET and HEAD.
    assert_eq!(request(server.port, "POST", "/cheat-card.pdf").status, 405);

    // A folder without its slash is redirected; the root is index.html, with the reload script
    // injected.
    let folder = server.get("/reports");
    assert_eq!(folder.status, 307);
    assert_eq!(folder.header("location"), "/reports/");
    let index = server.get("/");
    assert_eq!(index.status, 200);
    assert_eq!(index.header("content-type"), "text/html; charset=utf-8");
    let page = index.text();
    assert!(page.contains("/__dealbook/events"), "{page}");
    assert!(page.contains("textContent") && !page.contains("innerHTML"));
    let script = page.find("/__dealbook/events").unwrap();
    assert!(page[script..].contains("</body>"), "script before </body>");
    // HEAD gives the headers of GET: the length with the script.
    let head = request(server.port, "HEAD", "/");
    assert_eq!(head.header("content-length"), index.body.len().to_string());
    // The script never reaches the files on disk.
    let disk = fs::read_to_string(server.output().join("index.html")).unwrap();
    assert!(!disk.contains("/__dealbook/events"));
    // A folder without index.html has no listing: the 404 page, which reloads too.
    assert!(!server.output().join("reports/index.html").exists());
    let reports = server.get("/reports/");
    assert_eq!(reports.status, 404);
    assert!(reports.text().contains("找不到页面") && reports.text().contains("/__dealbook/events"));
}

#[test]
fn rebuilds_on_change_and_reports_failed_builds() {
    let _serial = serial();
    let server = Server::start("rebuild");
    let state = server.events();
    assert_eq!(state["generation"], 1, "{state}");
    assert_eq!(state["good"], 1, "{state}");
    assert!(state["error"].is_null(), "{state}");

    let pdf = server.output().join("reports/2026-03-18-aliyun-pilot.pdf");
    let before = fs::read(&pdf).unwrap();

    // A change to a proposal: the report is rebuilt within 2 s.
    let proposal = server
        .content()
        .join("proposals/2026-03-18-aliyun-pilot.yaml");
    let changed = Instant::now();
    edit(
        &proposal,
        "cost_reduction_pct: 42",
        "cost_reduction_pct: 43",
    );
    let rebuilt = wait_until(Duration::from_secs(2), || {
        fs::read(&pdf).is_ok_and(|now| now != before)
    });
    let latency = changed.elapsed();
    assert!(rebuilt, "not rebuilt within 2 s\n{}", server.stderr());
    eprintln!("rebuild visible after {latency:?}");
    let log = server.stdout();
    for line in log.lines().skip_while(|l| !l.starts_with("改动：")).take(3) {
        eprintln!("serve: {line}");
    }
    assert!(wait_until(
        Duration::from_secs(2),
        || server.events()["good"] == 2
    ));
    let good = fs::read(&pdf).unwrap();
    let served = server.get("/reports/2026-03-18-aliyun-pilot.pdf");
    assert_eq!(served.body, good);

    // Editor temp files do not trigger builds.
    fs::write(server.content().join("proposals/.x.yaml.swp"), "swap").unwrap();
    fs::write(server.content().join("proposals/4913"), "").unwrap();
    fs::write(server.content().join("proposals/sedAb12Cd"), "vendor: x\n").unwrap();
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(server.events()["generation"], 2);

    // An invalid proposal: the events endpoint reports the error, the output stays.
    let bad = server.content().join("proposals/2026-04-01-bad.yaml");
    fs::write(&bad, "vendor: 阿里云\nterms: [unclosed\n").unwrap();
    let mut state = serde_json::Value::Null;
    let reported = wait_until(Duration::from_secs(3), || {
        state = server.events();
        state["error"].is_string()
    });
    assert!(reported, "no error reported: {state}\n{}", server.stderr());
    let error = state["error"].as_str().unwrap();
    assert!(error.contains("2026-04-01-bad.yaml"), "{error}");
    assert_eq!(state["good"], 2, "{state}");
    assert_eq!(fs::read(&pdf).unwrap(), good, "the last good output stays");
    assert!(!server.output().join("reports/2026-04-01-bad.pdf").exists());
    assert_eq!(server.get("/cheat-card.pdf").status, 200);
    assert!(wait_until(Duration::from_secs(2), || server
        .stderr()
        .contains("2026-04-01-bad.yaml")));

    // A long poll waits for the next build, then reports it good again.
    let generation = state["generation"].as_u64().unwrap();
    let port = server.port;
    let poll = std::thread::spawn(move || {
        request(
            port,
            "GET",
            &format!("/__dealbook/events?since={generation}"),
        )
    });
    std::thread::sleep(Duration::from_millis(300));
    fs::remove_file(&bad).unwrap();
    let reply = poll.join().unwrap();
    let state: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    assert!(
        state["generation"].as_u64().unwrap() > generation,
        "{state}"
    );
    assert!(wait_until(Duration::from_secs(3), || {
        let state = server.events();
        state["error"].is_null() && state["good"] == state["generation"]
    }));
}

#[test]
fn a_failed_first_build_is_shown_and_fixed_by_the_next() {
    let _serial = serial();
    let bad = "proposals/2026-04-01-bad.yaml";
    let server = Server::start_with("first", |content| {
        fs::write(content.join(bad), "vendor: [unclosed\n").unwrap();
    });
    let state = server.events();
    assert_eq!(state["generation"], 1, "{state}");
    assert_eq!(state["good"], 0, "{state}");
    assert!(
        state["error"]
            .as_str()
            .unwrap_or_default()
            .contains("2026-04-01-bad.yaml")
    );
    let index = server.get("/");
    assert_eq!(index.status, 200);
    assert!(index.text().contains("/__dealbook/events"));
    assert!(index.text().contains("还没有输出"), "{}", index.text());

    fs::remove_file(server.content().join(bad)).unwrap();
    assert!(
        wait_until(Duration::from_secs(3), || server.events()["good"] == 2),
        "{}",
        server.stderr()
    );
    assert_eq!(server.get("/cheat-card.pdf").status, 200);
}

#[test]
fn a_port_in_use_is_a_usage_error() {
    let _serial = serial();
    let taken = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dealbook"))
        .args(["serve", "--port", &port.to_string(), "--font", "builtin"])
        .current_dir(repo())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let exited = wait_until(Duration::from_secs(10), || {
        child.try_wait().ok().flatten().is_some()
    });
    if !exited {
        let _ = child.kill();
    }
    let output = child.wait_with_output().unwrap();
    assert!(exited, "serve kept running on a taken port");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("已被占用"), "{stderr}");
}
