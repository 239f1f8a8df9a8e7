//! A real DNS server on 127.0.0.1 (UDP and TCP, same port) for the tests, speaking the
//! wire protocol through hickory-proto. Each test decides every answer — and every
//! fault: silence, delay, SERVFAIL, truncation, a wrong ID, garbage.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use hickory_proto::op::{Message, MessageType, OpCode, ResponseCode};
use hickory_proto::rr::rdata::{A, AAAA, CNAME, MX, PTR, TXT};
use hickory_proto::rr::{Name, RData, Record, RecordType};

/// What the server does with one query.
#[derive(Clone, Debug, Default)]
pub struct Reply {
    pub answers: Vec<Record>,
    pub rcode: Option<ResponseCode>,
    /// Never answer (the client times out).
    pub drop: bool,
    pub delay: Duration,
    /// Over UDP, answer with the TC bit and no records, forcing a TCP retry.
    pub truncate_udp: bool,
    /// Answer with a different message ID.
    pub wrong_id: bool,
    /// Answer with bytes that are not a DNS message.
    pub garbage: bool,
}

impl Reply {
    pub fn records(answers: Vec<Record>) -> Reply {
        Reply { answers, ..Default::default() }
    }
    pub fn nxdomain() -> Reply {
        Reply { rcode: Some(ResponseCode::NXDomain), ..Default::default() }
    }
    pub fn servfail() -> Reply {
        Reply { rcode: Some(ResponseCode::ServFail), ..Default::default() }
    }
    pub fn timeout() -> Reply {
        Reply { drop: true, ..Default::default() }
    }
}

pub type Handler = Arc<dyn Fn(&str, RecordType) -> Reply + Send + Sync>;

pub struct DnsServer {
    pub addr: SocketAddr,
    /// Every query received: (lower-cased name without the final dot, type, over TCP).
    pub log: Arc<Mutex<Vec<(String, RecordType, bool)>>>,
    stop: Arc<AtomicBool>,
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn respond(handler: &Handler, log: &Mutex<Vec<(String, RecordType, bool)>>, query: &[u8], tcp: bool) -> Option<Vec<u8>> {
    let msg = Message::from_vec(query).ok()?;
    let q = msg.queries.first()?.clone();
    // Raw label bytes: names may hold any octet (`foo:bar/baz`), which the text form escapes.
    let name = q.name().iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect::<Vec<_>>().join(".").to_ascii_lowercase();
    let rtype = q.query_type();
    log.lock().unwrap().push((name.clone(), rtype, tcp));
    let reply = handler(&name, rtype);
    if !reply.delay.is_zero() {
        thread::sleep(reply.delay);
    }
    if reply.drop {
        return None;
    }
    if reply.garbage {
        return Some(vec![0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02]);
    }
    let id = if reply.wrong_id { msg.metadata.id.wrapping_add(1) } else { msg.metadata.id };
    let mut resp = Message::new(id, MessageType::Response, OpCode::Query);
    resp.metadata.authoritative = true;
    resp.metadata.recursion_desired = msg.metadata.recursion_desired;
    resp.metadata.recursion_available = true;
    resp.metadata.response_code = reply.rcode.unwrap_or(ResponseCode::NoError);
    resp.add_query(q);
    if reply.truncate_udp && !tcp {
        resp.metadata.truncation = true;
    } else {
        resp.add_answers(reply.answers);
    }
    resp.to_vec().ok()
}

impl DnsServer {
    pub fn start(handler: Handler) -> DnsServer {
        // UDP and TCP on the same port.
        let (udp, tcp) = loop {
            let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
            let port = udp.local_addr().unwrap().port();
            if let Ok(tcp) = TcpListener::bind(("127.0.0.1", port)) {
                break (udp, tcp);
            }
        };
        let addr = udp.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let log = Arc::new(Mutex::new(Vec::new()));
        udp.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
        {
            let (handler, log, stop) = (handler.clone(), log.clone(), stop.clone());
            thread::spawn(move || {
                let udp = Arc::new(udp);
                let mut buf = [0u8; 4096];
                while !stop.load(Ordering::Relaxed) {
                    let Ok((n, from)) = udp.recv_from(&mut buf) else { continue };
                    let query = buf[..n].to_vec();
                    let (handler, log, udp) = (handler.clone(), log.clone(), udp.clone());
                    // One thread per query, so a slow answer does not hold up the others.
                    thread::spawn(move || {
                        if let Some(out) = respond(&handler, &log, &query, false) {
                            let _ = udp.send_to(&out, from);
                        }
                    });
                }
            });
        }
        tcp.set_nonblocking(true).unwrap();
        {
            let (handler, log, stop) = (handler.clone(), log.clone(), stop.clone());
            thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match tcp.accept() {
                        Ok((stream, _)) => {
                            let (handler, log) = (handler.clone(), log.clone());
                            thread::spawn(move || serve_tcp(stream, &handler, &log));
                        }
                        Err(_) => thread::sleep(Duration::from_millis(10)),
                    }
                }
            });
        }
        DnsServer { addr, log, stop }
    }

    pub fn queries(&self) -> Vec<(String, RecordType, bool)> {
        self.log.lock().unwrap().clone()
    }

    /// `127.0.0.1:PORT`, for `--resolver`.
    pub fn address(&self) -> String {
        self.addr.to_string()
    }
}

fn serve_tcp(mut stream: TcpStream, handler: &Handler, log: &Mutex<Vec<(String, RecordType, bool)>>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    loop {
        let mut len = [0u8; 2];
        if stream.read_exact(&mut len).is_err() {
            return;
        }
        let mut q = vec![0u8; u16::from_be_bytes(len) as usize];
        if stream.read_exact(&mut q).is_err() {
            return;
        }
        if let Some(out) = respond(handler, log, &q, true) {
            let mut framed = (out.len() as u16).to_be_bytes().to_vec();
            framed.extend_from_slice(&out);
            if stream.write_all(&framed).is_err() {
                return;
            }
        }
    }
}

fn name(n: &str) -> Name {
    let labels: Vec<&[u8]> = n.trim_end_matches('.').split('.').filter(|l| !l.is_empty()).map(str::as_bytes).collect();
    let mut name = Name::from_labels(labels).unwrap_or_else(|_| Name::root());
    name.set_fqdn(true);
    name
}

pub fn rec(owner: &str, data: RData) -> Record {
    Record::from_rdata(name(owner), 300, data)
}

pub fn a(owner: &str, ip: &str) -> Record {
    rec(owner, RData::A(A(ip.parse().unwrap())))
}

pub fn aaaa(owner: &str, ip: &str) -> Record {
    rec(owner, RData::AAAA(AAAA(ip.parse().unwrap())))
}

pub fn txt(owner: &str, strings: &[&[u8]]) -> Record {
    rec(owner, RData::TXT(TXT::from_bytes(strings.to_vec())))
}

pub fn mx(owner: &str, pref: u16, exchange: &str) -> Record {
    rec(owner, RData::MX(MX::new(pref, name(exchange))))
}

pub fn ptr(owner: &str, target: &str) -> Record {
    rec(owner, RData::PTR(PTR(name(target))))
}

pub fn cname(owner: &str, target: &str) -> Record {
    rec(owner, RData::CNAME(CNAME(name(target))))
}
