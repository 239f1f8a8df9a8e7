//! Authoritative DNS servers for the audit tests: hickory-server in-process, serving
//! zone files, on an address of the loopback network (127.0.0.2, 127.0.0.3, …), UDP and
//! TCP on one port. Every query is counted by the logging handler around the catalog.
#![allow(dead_code)]

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, Mutex};

use hickory_server::Server;
use hickory_server::proto::rr::{LowerName, Name};
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo};
use hickory_server::store::file::{FileConfig, FileZoneHandler};
use hickory_server::zone_handler::{AxfrPolicy, Catalog, ZoneType};

/// Queries received: (lower-cased name without the final dot, type).
pub type QueryLog = Arc<Mutex<Vec<(String, String)>>>;

struct Logged {
    catalog: Catalog,
    log: QueryLog,
}

#[async_trait::async_trait]
impl RequestHandler for Logged {
    async fn handle_request<R: ResponseHandler, T: hickory_server::net::runtime::Time>(
        &self,
        request: &Request,
        response: R,
    ) -> ResponseInfo {
        if let Ok(info) = request.request_info() {
            let name = info.query.name().to_string().trim_end_matches('.').to_ascii_lowercase();
            self.log.lock().unwrap().push((name, info.query.query_type().to_string()));
        }
        self.catalog.handle_request::<R, T>(request, response).await
    }
}

pub struct AuthServer {
    pub addr: SocketAddr,
    pub log: QueryLog,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Drop for AuthServer {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

impl AuthServer {
    /// Serves every `<zone>.zone` file in `dir` on `ip` (a 127.0.0.0/8 address).
    pub fn start(ip: &str, dir: &Path) -> AuthServer {
        let ip: IpAddr = ip.parse().unwrap();
        assert!(ip.is_loopback(), "test servers stay on the loopback network");
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let mut catalog = Catalog::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let Some(zone) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".zone")) else { continue };
            let origin = Name::from_ascii(format!("{zone}.")).unwrap();
            let handler = FileZoneHandler::try_from_config(
                origin.clone(),
                ZoneType::Primary,
                AxfrPolicy::Deny,
                None,
                &FileConfig { zone_path: path.clone() },
            )
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            catalog.upsert(LowerName::from(origin), vec![Arc::new(handler)]);
        }
        let log = QueryLog::default();
        let handler = Logged { catalog, log: log.clone() };
        // Spawned, not `block_on`: callers may be inside a runtime themselves.
        let (tx, rx) = std::sync::mpsc::channel();
        runtime.spawn(async move {
            // UDP and TCP on the same port.
            let (udp, tcp) = loop {
                let udp = tokio::net::UdpSocket::bind(SocketAddr::new(ip, 0)).await.unwrap();
                if let Ok(tcp) = tokio::net::TcpListener::bind(udp.local_addr().unwrap()).await {
                    break (udp, tcp);
                }
            };
            let _ = tx.send(udp.local_addr().unwrap());
            let mut server = Server::new(handler);
            server.register_socket(udp);
            server.register_listener(tcp, std::time::Duration::from_secs(5), 65_535);
            let _ = server.block_until_done().await;
        });
        let addr = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("the test DNS server is listening");
        AuthServer { addr, log, runtime: Some(runtime) }
    }

    pub fn queries(&self) -> Vec<(String, String)> {
        self.log.lock().unwrap().clone()
    }
}
