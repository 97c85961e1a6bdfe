//! Load and soak tests for annalist-server, on loopback only.
//!
//! `annalist-load bench` starts the server binary (or uses one at `--url`), then for
//! each document size and client count runs closed-loop clients, each on its own
//! keep-alive connection, for a fixed time (and at most `--max-requests`), and prints
//! requests/s and latency percentiles. `annalist-load soak` runs a steady load for a
//! fixed time while sampling the server's resident memory (VmRSS) every second.
//!
//! Every run is bounded in time and count and stops by itself. Only 127.0.0.1,
//! localhost and ::1 are accepted as targets.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

#[derive(Parser)]
#[command(name = "annalist-load", about = "Load and soak tests for annalist-server (loopback only)")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
    /// Server binary to start on a free loopback port (default: the release build next to this one).
    #[arg(long, global = true)]
    server_bin: Option<PathBuf>,
    /// Use a running server instead, e.g. http://127.0.0.1:8080 (loopback only).
    #[arg(long, global = true)]
    url: Option<String>,
    /// Process id of the server at --url, for memory samples.
    #[arg(long, global = true)]
    pid: Option<u32>,
    /// Extra flags for the started server, e.g. "--workers 2".
    #[arg(long, global = true, default_value = "")]
    server_args: String,
}

#[derive(Subcommand)]
enum Cmd {
    /// Requests/s and p50/p99 for each document size × client count.
    Bench {
        /// Document sizes in bytes.
        #[arg(long, value_delimiter = ',', default_value = "1024,102400")]
        sizes: Vec<usize>,
        /// Concurrent clients.
        #[arg(long, value_delimiter = ',', default_value = "1,8,64")]
        clients: Vec<usize>,
        /// Seconds per measurement (after a 1 s warm-up).
        #[arg(long, default_value_t = 5.0)]
        secs: f64,
        /// Most requests per measurement.
        #[arg(long, default_value_t = 200_000)]
        max_requests: u64,
    },
    /// In-process tagging speed (no HTTP), one thread: the ceiling for the server.
    Tagger {
        /// Document sizes in bytes.
        #[arg(long, value_delimiter = ',', default_value = "1024,102400")]
        sizes: Vec<usize>,
        /// Seconds per size.
        #[arg(long, default_value_t = 3.0)]
        secs: f64,
    },
    /// Steady load while sampling the server's RSS once a second.
    Soak {
        /// Seconds to run.
        #[arg(long, default_value_t = 60.0)]
        secs: f64,
        /// Concurrent clients.
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// Every Nth request carries a 100 KB document instead of 1 KB.
        #[arg(long, default_value_t = 20)]
        big_every: u64,
        /// Most requests in all.
        #[arg(long, default_value_t = 2_000_000)]
        max_requests: u64,
    },
}

/// Sentences of our own, with dates, durations and relative expressions.
const SENTENCES: &[&str] = &[
    "On March 3, 1871, the survey party reached the river after a march of eleven days.",
    "Three days later they crossed it at dawn, losing two wagons in the current.",
    "The winter of 1872 was the hardest anyone could remember.",
    "By the following spring the railway had been pushed forty miles further west.",
    "In early June the directors met in Chicago and voted to borrow more money.",
    "Work stopped for six weeks while the bonds were sold, and resumed on July 20.",
    "Every Monday a train brought rails, spikes and flour from the depot.",
    "The line reached the mountains in the autumn of 1873, a year behind schedule.",
    "That evening the chief engineer wrote that the tunnel would take two more years.",
    "It was finished on 14 May 1876, and the first passengers rode through it the next morning.",
    "Within a decade the town at the tunnel mouth had three hotels and a newspaper.",
    "Today only the stone portals remain; the tracks were lifted in the 1950s.",
];

fn document(size: usize) -> String {
    let mut s = String::with_capacity(size + 128);
    let mut i = 0;
    while s.len() < size {
        s.push_str(SENTENCES[i % SENTENCES.len()]);
        s.push(' ');
        i += 1;
    }
    while s.len() > size {
        s.pop();
    }
    s
}

fn payload(size: usize) -> Bytes {
    let body = serde_json::json!({ "text": document(size), "dct": "1877-01-15", "domain": "narrative" });
    Bytes::from(body.to_string())
}

fn check_loopback(addr: &SocketAddr) -> Result<(), String> {
    let ok = match addr.ip() {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => v6.is_loopback(),
    };
    if ok { Ok(()) } else { Err(format!("{addr} is not a loopback address; annalist-load only targets this machine")) }
}

fn parse_url(url: &str) -> Result<SocketAddr, String> {
    let rest = url.strip_prefix("http://").ok_or("--url must start with http://")?;
    let hostport = rest.split('/').next().unwrap_or(rest);
    let hostport = hostport.replace("localhost", "127.0.0.1");
    let addr: SocketAddr = hostport.parse().map_err(|_| format!("--url: cannot read {hostport:?} as host:port"))?;
    check_loopback(&addr)?;
    Ok(addr)
}

struct Target {
    addr: SocketAddr,
    pid: Option<u32>,
    child: Option<Child>,
    startup: Option<Duration>,
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

async fn healthy(addr: SocketAddr) -> bool {
    matches!(send(addr, "GET", "/healthz", Bytes::new()).await, Ok((200, _)))
}

/// One request on a fresh connection (for health checks).
async fn send(addr: SocketAddr, method: &str, path: &str, body: Bytes) -> Result<(u16, Bytes), String> {
    let mut conn = Conn::open(addr).await?;
    conn.call(method, path, body).await
}

async fn start(cli: &Cli) -> Result<Target, String> {
    if let Some(url) = &cli.url {
        let addr = parse_url(url)?;
        if !healthy(addr).await {
            return Err(format!("no server answering /healthz at {url}"));
        }
        return Ok(Target { addr, pid: cli.pid, child: None, startup: None });
    }
    let bin = match &cli.server_bin {
        Some(b) => b.clone(),
        None => std::env::current_exe().map_err(|e| e.to_string())?.with_file_name("annalist-server"),
    };
    if !bin.exists() {
        return Err(format!(
            "server binary {} not found; build it with `cargo build --release -p annalist-server` or pass --server-bin",
            bin.display()
        ));
    }
    let port =
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let t0 = Instant::now();
    let mut cmd = Command::new(&bin);
    cmd.arg("--addr").arg(addr.to_string());
    cmd.args(cli.server_args.split_whitespace());
    let child =
        cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().map_err(|e| format!("{}: {e}", bin.display()))?;
    let pid = child.id();
    let mut target = Target { addr, pid: Some(pid), child: Some(child), startup: None };
    loop {
        if healthy(addr).await {
            target.startup = Some(t0.elapsed());
            return Ok(target);
        }
        if t0.elapsed() > Duration::from_secs(20) {
            return Err("server did not answer /healthz within 20 s".into());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// A keep-alive HTTP/1.1 connection.
struct Conn {
    sender: hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    host: String,
}

impl Conn {
    async fn open(addr: SocketAddr) -> Result<Conn, String> {
        check_loopback(&addr)?;
        let stream = TcpStream::connect(addr).await.map_err(|e| format!("connect {addr}: {e}"))?;
        let _ = stream.set_nodelay(true);
        let (sender, conn) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| e.to_string())?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Conn { sender, host: addr.to_string() })
    }

    async fn call(&mut self, method: &str, path: &str, body: Bytes) -> Result<(u16, Bytes), String> {
        self.sender.ready().await.map_err(|e| e.to_string())?;
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header("host", &self.host)
            .header("content-type", "application/json")
            .body(Full::new(body))
            .map_err(|e| e.to_string())?;
        let resp = self.sender.send_request(req).await.map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let body = resp.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
        Ok((status, body))
    }
}

#[derive(Default)]
struct Outcome {
    latencies_us: Vec<u32>,
    ok: u64,
    not_ok: u64,
    failed: u64,
}

/// Runs `clients` closed-loop clients for `secs` (at most `max` requests in all).
async fn run_load<F>(addr: SocketAddr, clients: usize, secs: f64, max: u64, body_for: F) -> (Outcome, Duration)
where
    F: Fn(u64) -> Bytes + Clone + Send + 'static,
{
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    let counter = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let counter = counter.clone();
        let body_for = body_for.clone();
        tasks.push(tokio::spawn(async move {
            let mut out = Outcome::default();
            let mut conn = match Conn::open(addr).await {
                Ok(c) => c,
                Err(_) => {
                    out.failed += 1;
                    return out;
                }
            };
            while Instant::now() < deadline {
                let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if n >= max {
                    break;
                }
                let start = Instant::now();
                match conn.call("POST", "/v1/tag", body_for(n)).await {
                    Ok((200, _)) => out.ok += 1,
                    Ok(_) => out.not_ok += 1,
                    Err(_) => {
                        out.failed += 1;
                        match Conn::open(addr).await {
                            Ok(c) => conn = c,
                            Err(_) => break,
                        }
                        continue;
                    }
                }
                out.latencies_us.push(start.elapsed().as_micros().min(u32::MAX as u128) as u32);
            }
            out
        }));
    }
    let mut all = Outcome::default();
    for t in tasks {
        if let Ok(o) = t.await {
            all.latencies_us.extend(o.latencies_us);
            all.ok += o.ok;
            all.not_ok += o.not_ok;
            all.failed += o.failed;
        }
    }
    (all, t0.elapsed())
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

fn rss_kb(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()
}

fn size_label(n: usize) -> String {
    if n >= 1024 && n % 1024 == 0 { format!("{} KB", n / 1024) } else { format!("{n} B") }
}

async fn bench(target: &Target, sizes: &[usize], clients: &[usize], secs: f64, max: u64) -> Result<(), String> {
    println!("| document | clients | requests | req/s | p50 ms | p99 ms | max ms | non-200 | errors |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &size in sizes {
        let body = payload(size);
        // One check that the server tags this document.
        let (status, resp) = send(target.addr, "POST", "/v1/tag", body.clone()).await?;
        if status != 200 {
            return Err(format!("POST /v1/tag answered {status}: {}", String::from_utf8_lossy(&resp)));
        }
        let found = serde_json::from_slice::<serde_json::Value>(&resp)
            .ok()
            .and_then(|v| v["timexes"].as_array().map(|a| a.len()))
            .unwrap_or(0);
        eprintln!("{}: {found} time expressions per document", size_label(size));
        for &c in clients {
            let b = body.clone();
            let _ = run_load(target.addr, c, 1.0, max, move |_| b.clone()).await; // warm-up
            let b = body.clone();
            let (mut o, took) = run_load(target.addr, c, secs, max, move |_| b.clone()).await;
            o.latencies_us.sort_unstable();
            let n = o.latencies_us.len();
            println!(
                "| {} | {c} | {n} | {:.0} | {:.2} | {:.2} | {:.2} | {} | {} |",
                size_label(size),
                o.ok as f64 / took.as_secs_f64(),
                percentile(&o.latencies_us, 0.50),
                percentile(&o.latencies_us, 0.99),
                percentile(&o.latencies_us, 1.0),
                o.not_ok,
                o.failed
            );
        }
    }
    Ok(())
}

async fn soak(target: &Target, secs: f64, clients: usize, big_every: u64, max: u64) -> Result<(), String> {
    let pid = target.pid.ok_or("soak needs the server's pid: start it here or pass --pid")?;
    let small = payload(1024);
    let big = payload(100 * 1024);
    let load = tokio::spawn({
        let addr = target.addr;
        async move {
            run_load(addr, clients, secs, max, move |n| {
                if big_every > 0 && n % big_every == 0 { big.clone() } else { small.clone() }
            })
            .await
        }
    });
    let t0 = Instant::now();
    let mut samples: Vec<(f64, u64)> = Vec::new();
    while !load.is_finished() {
        if let Some(kb) = rss_kb(pid) {
            samples.push((t0.elapsed().as_secs_f64(), kb));
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let (mut o, took) = load.await.map_err(|e| e.to_string())?;
    if let Some(kb) = rss_kb(pid) {
        samples.push((t0.elapsed().as_secs_f64(), kb));
    }
    o.latencies_us.sort_unstable();
    println!(
        "soak: {} requests in {:.1} s ({:.0} req/s), p50 {:.2} ms, p99 {:.2} ms, non-200 {}, errors {}",
        o.latencies_us.len(),
        took.as_secs_f64(),
        o.ok as f64 / took.as_secs_f64(),
        percentile(&o.latencies_us, 0.5),
        percentile(&o.latencies_us, 0.99),
        o.not_ok,
        o.failed
    );
    println!("| t (s) | RSS (MB) |");
    println!("|---:|---:|");
    let step = (samples.len() / 12).max(1);
    for (i, (t, kb)) in samples.iter().enumerate() {
        if i % step == 0 || i + 1 == samples.len() {
            println!("| {t:.0} | {:.1} |", *kb as f64 / 1024.0);
        }
    }
    // Flat: after the first tenth (warm-up), RSS grows by under 10 %.
    let warm = samples.len() / 10;
    let after: Vec<u64> = samples[warm..].iter().map(|s| s.1).collect();
    if let (Some(first), Some(max)) = (after.first(), after.iter().max()) {
        let last = *after.last().unwrap_or(first);
        let growth = (last as f64 - *first as f64) / *first as f64 * 100.0;
        println!(
            "RSS after warm-up: first {:.1} MB, last {:.1} MB, max {:.1} MB, growth {growth:+.1} %",
            *first as f64 / 1024.0,
            last as f64 / 1024.0,
            *max as f64 / 1024.0
        );
        if growth > 10.0 {
            return Err(format!("memory grew {growth:.1} % during the soak"));
        }
    }
    Ok(())
}

fn tagger_speed(sizes: &[usize], secs: f64) {
    let t0 = Instant::now();
    let tagger = annalist::Tagger::new();
    println!("Tagger::new: {:.0} ms", t0.elapsed().as_secs_f64() * 1000.0);
    let ctx = annalist::Context::with_dct("1877-01-15", annalist::Domain::Narrative).expect("dct");
    println!("| document | docs/s (1 thread) | ms/doc | MB/s |");
    println!("|---|---:|---:|---:|");
    for &size in sizes {
        let text = document(size);
        let _ = tagger.tag(&text, &ctx);
        let t0 = Instant::now();
        let mut n = 0u64;
        while t0.elapsed().as_secs_f64() < secs {
            std::hint::black_box(tagger.tag(&text, &ctx));
            n += 1;
        }
        let took = t0.elapsed().as_secs_f64();
        println!(
            "| {} | {:.0} | {:.3} | {:.2} |",
            size_label(size),
            n as f64 / took,
            took * 1000.0 / n as f64,
            (n as f64 * size as f64) / took / 1e6
        );
    }
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("annalist-load: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if let Cmd::Tagger { sizes, secs } = &cli.cmd {
        tagger_speed(sizes, *secs);
        return std::process::ExitCode::SUCCESS;
    }
    let result = rt.block_on(async {
        let target = start(&cli).await?;
        if let Some(s) = target.startup {
            println!("server start-up (spawn to first /healthz 200): {:.0} ms", s.as_secs_f64() * 1000.0);
        }
        match &cli.cmd {
            Cmd::Bench { sizes, clients, secs, max_requests } => {
                bench(&target, sizes, clients, *secs, *max_requests).await
            }
            Cmd::Tagger { .. } => Ok(()),
            Cmd::Soak { secs, clients, big_every, max_requests } => {
                soak(&target, *secs, *clients, *big_every, *max_requests).await
            }
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("annalist-load: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_targets() {
        assert!(parse_url("http://127.0.0.1:8080").is_ok());
        assert!(parse_url("http://localhost:8080/").is_ok());
        assert!(parse_url("http://[::1]:8080").is_ok());
        assert!(parse_url("http://10.0.0.1:8080").is_err());
        assert!(parse_url("http://192.168.1.2:80").is_err());
        assert!(parse_url("https://127.0.0.1:8080").is_err());
    }

    #[test]
    fn documents_have_the_asked_size() {
        assert_eq!(document(1024).len(), 1024);
        assert_eq!(document(102_400).len(), 102_400);
        assert!(percentile(&[1000, 2000, 3000], 0.5) == 2.0);
    }
}
