//! A small HTTP proxy for tests, on loopback: it records every CONNECT target it is asked for
//! (HTTPS_PROXY) and the request line of every plain request in absolute form (HTTP_PROXY),
//! forwards to loopback targets only, and refuses anything else (403 for a non-loopback
//! target, 405 for a request it cannot forward). Stops when the handle is dropped.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

pub struct ConnectProxy {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<String>>>,
    forwarded: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl ConnectProxy {
    pub fn start() -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let addr = listener.local_addr().expect("proxy address");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let forwarded = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen2, forwarded2, stop2) = (seen.clone(), forwarded.clone(), stop.clone());
        thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(conn) = conn else { continue };
                let (seen, forwarded) = (seen2.clone(), forwarded2.clone());
                thread::spawn(move || {
                    let _ = serve(conn, &seen, &forwarded);
                });
            }
        });
        ConnectProxy {
            addr,
            seen,
            forwarded,
            stop,
        }
    }

    /// `http://127.0.0.1:PORT`, the value for HTTPS_PROXY.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every `host:port` a CONNECT asked for, in order.
    pub fn connects(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }

    /// The first request line (`GET http://host:port/path HTTP/1.1`) of every plain HTTP
    /// connection forwarded, in order.
    pub fn forwarded(&self) -> Vec<String> {
        self.forwarded.lock().unwrap().clone()
    }
}

impl Drop for ConnectProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

fn serve(
    client: TcpStream,
    seen: &Mutex<Vec<String>>,
    forwarded: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    client.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(client.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
        headers.push(line);
    }
    let mut client_w = client.try_clone()?;
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    // A plain request in absolute form: forward it, in origin form, with its headers.
    let (target, first_bytes) = if method == "CONNECT" {
        seen.lock().unwrap().push(target.to_owned());
        (target.to_owned(), Vec::new())
    } else if let Some(rest) = target.strip_prefix("http://") {
        forwarded
            .lock()
            .unwrap()
            .push(request_line.trim().to_owned());
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let path = if path.is_empty() { "/" } else { path };
        let version = parts.next().unwrap_or("HTTP/1.1");
        let mut head = format!("{method} {path} {version}\r\n");
        for h in &headers {
            if !h.to_ascii_lowercase().starts_with("proxy-") {
                head.push_str(h);
            }
        }
        head.push_str("\r\n");
        (authority.to_owned(), head.into_bytes())
    } else {
        client_w.write_all(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")?;
        return Ok(());
    };
    let target = target.as_str();
    let loopback = target
        .to_socket_addrs()
        .map(|mut a| a.all(|a| a.ip().is_loopback()))
        .unwrap_or(false);
    if !loopback {
        client_w.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")?;
        return Ok(());
    }
    let upstream = match TcpStream::connect(target) {
        Ok(u) => u,
        Err(_) => {
            client_w.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")?;
            return Ok(());
        }
    };
    if method == "CONNECT" {
        client_w.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")?;
    }
    client.set_read_timeout(None)?;
    // Whatever the client sent after the headers is already in the reader's buffer. Later
    // requests on a forwarded connection go through as they are (absolute form, which every
    // HTTP/1.1 server accepts).
    let buffered = reader.buffer().to_vec();
    let mut up_w = upstream.try_clone()?;
    up_w.write_all(&first_bytes)?;
    up_w.write_all(&buffered)?;
    let mut up_r = upstream.try_clone()?;
    let mut client_r = client.try_clone()?;
    let down = thread::spawn(move || {
        let _ = std::io::copy(&mut up_r, &mut client_w);
        let _ = client_w.shutdown(Shutdown::Write);
    });
    let mut buf = [0u8; 16 * 1024];
    loop {
        match client_r.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if up_w.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = up_w.shutdown(Shutdown::Write);
    let _ = down.join();
    Ok(())
}
