//! The RFC 7208 test suite (`rfc7208-tests.yml` from the pyspf 2.0.14 sdist, which
//! tests/run fetches), loaded as pyspf's own driver `test/testspf.py` loads it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

pub fn test_data() -> PathBuf {
    std::env::var_os("ZONELS_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/test-data"))
}

/// One DNS entry of a scenario, in zonedata order.
#[derive(Clone, Debug)]
pub enum Entry {
    /// `TIMEOUT` alone: every type not listed before it times out.
    Timeout,
    Record {
        rtype: String,
        data: RData,
    },
}

#[derive(Clone, Debug)]
pub enum RData {
    /// TXT/SPF strings (UTF-8 encoded, as testspf.py does).
    Strings(Vec<Vec<u8>>),
    Text(String),
    /// MX: preference and exchange.
    Mx(u16, String),
    /// A per-type `TIMEOUT` value.
    Timeout,
}

#[derive(Clone, Debug)]
pub struct Case {
    pub id: String,
    pub helo: String,
    pub host: String,
    pub mailfrom: String,
    /// The acceptable results.
    pub result: Vec<String>,
    pub explanation: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Scenario {
    pub description: String,
    /// Lower-cased names → entries (SPF-type data copied to TXT where the name has no TXT).
    pub zonedata: BTreeMap<String, Vec<Entry>>,
    pub cases: Vec<Case>,
}

fn yaml_path() -> PathBuf {
    test_data().join("pyspf-2.0.14/test/rfc7208-tests.yml")
}

/// Loads the suite; panics with instructions when tests/run has not fetched it.
pub fn load() -> Vec<Scenario> {
    let python = test_data().join("venv/bin/python");
    let yaml = yaml_path();
    assert!(
        yaml.exists() && python.exists(),
        "the RFC 7208 test suite is missing under {}: run ./tests/run, which fetches it",
        test_data().display()
    );
    let out = Command::new(python)
        .arg("-c")
        .arg("import sys, json, yaml; json.dump(list(yaml.safe_load_all(open(sys.argv[1], 'rb'))), sys.stdout)")
        .arg(&yaml)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let docs: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    docs.into_iter().map(scenario).collect()
}

fn strings(v: &Value) -> Vec<Vec<u8>> {
    match v {
        Value::String(s) => vec![s.as_bytes().to_vec()],
        Value::Array(a) => a.iter().map(|x| x.as_str().unwrap_or("").as_bytes().to_vec()).collect(),
        _ => vec![],
    }
}

fn scenario(doc: Value) -> Scenario {
    let mut zonedata = BTreeMap::new();
    for (name, entries) in doc["zonedata"].as_object().into_iter().flatten() {
        let mut list = Vec::new();
        let mut generated_txt = Vec::new();
        let mut has_txt = false;
        for e in entries.as_array().into_iter().flatten() {
            if e.as_str() == Some("TIMEOUT") {
                list.push(Entry::Timeout);
                continue;
            }
            let Some(obj) = e.as_object() else { continue };
            for (t, v) in obj {
                let data = if v.as_str() == Some("TIMEOUT") {
                    RData::Timeout
                } else {
                    match t.as_str() {
                        "TXT" | "SPF" => {
                            // `NONE` stands for "no record": dropped, as testspf.py does.
                            if v.as_str() == Some("NONE") {
                                if t == "TXT" {
                                    has_txt = true;
                                }
                                continue;
                            }
                            RData::Strings(strings(v))
                        }
                        "MX" => {
                            let a = v.as_array().unwrap();
                            RData::Mx(a[0].as_u64().unwrap_or(0) as u16, a[1].as_str().unwrap_or("").to_string())
                        }
                        _ => RData::Text(match v {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        }),
                    }
                };
                if t == "TXT" {
                    has_txt = true;
                }
                if t == "SPF" {
                    generated_txt.push(Entry::Record { rtype: "TXT".into(), data: data.clone() });
                }
                list.push(Entry::Record { rtype: t.clone(), data });
            }
        }
        // SPF-type data is served as TXT too, unless the name has TXT of its own.
        if !has_txt {
            list.extend(generated_txt);
        }
        zonedata.insert(name.to_ascii_lowercase(), list);
    }
    let mut cases = Vec::new();
    for (id, t) in doc["tests"].as_object().into_iter().flatten() {
        let result = match &t["result"] {
            Value::String(s) => vec![s.clone()],
            Value::Array(a) => a.iter().filter_map(|x| x.as_str().map(String::from)).collect(),
            _ => vec![],
        };
        cases.push(Case {
            id: id.clone(),
            helo: t["helo"].as_str().unwrap_or("").to_string(),
            host: t["host"].as_str().unwrap_or("").to_string(),
            mailfrom: t["mailfrom"].as_str().unwrap_or("").to_string(),
            result,
            explanation: t["explanation"].as_str().map(String::from),
        });
    }
    Scenario { description: doc["description"].as_str().unwrap_or("").to_string(), zonedata, cases }
}

/// The domain `check_host()` starts at: the MAIL FROM domain, or the HELO name.
pub fn target_domain(c: &Case) -> String {
    match c.mailfrom.rsplit_once('@') {
        Some((_, d)) if !d.is_empty() => d.to_ascii_lowercase(),
        _ if !c.mailfrom.is_empty() && !c.mailfrom.contains('@') => c.mailfrom.to_ascii_lowercase(),
        _ => c.helo.to_ascii_lowercase(),
    }
}
