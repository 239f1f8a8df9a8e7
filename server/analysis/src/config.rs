//! `zonels.toml`: rule levels, origin overrides, resolution settings and limits.
//!
//! A broken configuration is a finding at the offending key, never a crash: the
//! parts that are valid still apply.

use std::collections::BTreeMap;
use std::path::Path;

use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Diagnostic, FileId, Severity};
use crate::name::Name;
use crate::rules;
use crate::text::TextRange;

/// Resource limits. Each one, when hit, is a finding that names it.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    pub max_file_size: u64,
    pub max_records_per_zone: usize,
    pub max_tokens_per_record: usize,
    pub max_paren_depth: u32,
    pub max_include_depth: usize,
    pub max_includes: usize,
    pub max_generate: usize,
    /// Expression nesting in DNSControl and Terraform files.
    pub max_nesting: u32,
    /// YAML alias expansions per octoDNS file.
    pub max_yaml_aliases: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 64 * 1024 * 1024,
            max_records_per_zone: 5_000_000,
            max_tokens_per_record: 65_536,
            max_paren_depth: 64,
            max_include_depth: 32,
            max_includes: 1_000,
            max_generate: 65_536,
            max_nesting: 64,
            max_yaml_aliases: 10_000,
        }
    }
}

/// A rule's configured level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    Level(Severity),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DmarcProfile {
    #[default]
    Rfc9989,
    Rfc7489,
}

#[derive(Clone, Debug, Default)]
pub struct ResolveConfig {
    pub offline: Option<bool>,
    pub resolver: Option<String>,
    pub timeout_ms: Option<u64>,
    pub snapshot: Option<String>,
    /// Snapshot entries older than this many days are reported as stale.
    pub max_age_days: Option<u64>,
}

#[derive(Clone, Debug, Default)]
pub struct Config {
    pub rules: BTreeMap<String, RuleLevel>,
    pub zones: Vec<(GlobMatcher, Name)>,
    pub resolve: ResolveConfig,
    pub dmarc_profile: DmarcProfile,
    pub limits: Limits,
    pub audit: AuditConfig,
}

/// `[audit]`: where `zonels audit` asks.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditConfig {
    /// `NAME=ADDR[:PORT]`: the zone's authoritative servers, asked directly.
    pub authoritative: Vec<String>,
    /// DNS blocklist zones to ask about the workspace's sending addresses.
    pub dnsbl: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct RawConfig {
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    zones: BTreeMap<Spanned<String>, Spanned<String>>,
    resolve: RawResolve,
    dmarc: RawDmarc,
    limits: Option<Spanned<toml::Table>>,
    audit: AuditConfig,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct RawResolve {
    offline: Option<bool>,
    resolver: Option<String>,
    timeout_ms: Option<u64>,
    snapshot: Option<String>,
    max_age_days: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct RawDmarc {
    profile: Option<Spanned<String>>,
}

impl Config {
    /// Parses `zonels.toml`; problems become findings in `file`.
    pub fn parse(text: &str, file: FileId) -> (Config, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let raw: RawConfig = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                let range = e.span().map_or(TextRange::default(), |s| TextRange::from_usize(s.start, s.end));
                let msg = e.message().trim().to_string();
                diags.push(config_diag(file, range, format!("zonels.toml is not valid: {msg}; the file is ignored")));
                return (Config::default(), diags);
            }
        };
        let mut cfg = Config::default();
        for (code, level) in raw.rules {
            let span = code.span();
            let code_s = code.get_ref();
            if rules::by_code(code_s).is_none() && code_s != "all" && !rules::all().iter().any(|r| r.family() == code_s) {
                let hint = rules::all()
                    .iter()
                    .map(|r| r.code)
                    .min_by_key(|c| crate::util::edit_distance(c, code_s))
                    .filter(|c| crate::util::edit_distance(c, code_s) <= 3)
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default();
                diags.push(config_diag(file, TextRange::from_usize(span.start, span.end), format!("unknown rule `{code_s}`{hint}")));
                continue;
            }
            let lvl = match level.get_ref().as_str() {
                "off" => RuleLevel::Off,
                s => match Severity::parse(s) {
                    Some(sev) => RuleLevel::Level(sev),
                    None => {
                        let s2 = level.span();
                        diags.push(config_diag(
                            file,
                            TextRange::from_usize(s2.start, s2.end),
                            format!("`{s}` is not a rule level; use \"off\", \"info\", \"warning\" or \"error\""),
                        ));
                        continue;
                    }
                },
            };
            cfg.rules.insert(code_s.clone(), lvl);
        }
        for (pattern, origin) in raw.zones {
            let ps = pattern.span();
            let glob = match Glob::new(pattern.get_ref()) {
                Ok(g) => g.compile_matcher(),
                Err(e) => {
                    diags.push(config_diag(
                        file,
                        TextRange::from_usize(ps.start, ps.end),
                        format!("`{}` is not a valid glob: {e}", pattern.get_ref()),
                    ));
                    continue;
                }
            };
            match Name::parse_absolute(origin.get_ref()) {
                Ok(n) => cfg.zones.push((glob, n)),
                Err(e) => {
                    let os = origin.span();
                    diags.push(config_diag(
                        file,
                        TextRange::from_usize(os.start, os.end),
                        format!("`{}` is not a valid zone name: {e}", origin.get_ref()),
                    ));
                }
            }
        }
        cfg.resolve = ResolveConfig {
            offline: raw.resolve.offline,
            resolver: raw.resolve.resolver,
            timeout_ms: raw.resolve.timeout_ms,
            snapshot: raw.resolve.snapshot,
            max_age_days: raw.resolve.max_age_days,
        };
        cfg.audit = raw.audit;
        if let Some(p) = raw.dmarc.profile {
            match p.get_ref().as_str() {
                "rfc9989" => cfg.dmarc_profile = DmarcProfile::Rfc9989,
                "rfc7489" => cfg.dmarc_profile = DmarcProfile::Rfc7489,
                other => {
                    let s = p.span();
                    diags.push(config_diag(
                        file,
                        TextRange::from_usize(s.start, s.end),
                        format!("`{other}` is not a DMARC profile; use \"rfc9989\" or \"rfc7489\""),
                    ));
                }
            }
        }
        if let Some(limits) = raw.limits {
            let span = limits.span();
            match limits.into_inner().try_into::<Limits>() {
                Ok(l) => cfg.limits = l,
                Err(e) => {
                    diags.push(config_diag(file, TextRange::from_usize(span.start, span.end), format!("[limits]: {}", e.message().trim())))
                }
            }
        }
        (cfg, diags)
    }

    /// The level of a rule: its configured level, or the family's, or `all`, or its default.
    pub fn level(&self, rule: &rules::Rule) -> RuleLevel {
        self.configured_level(rule).unwrap_or(RuleLevel::Level(rule.severity))
    }

    /// The level configured for a rule, if any (its code, its family, or `all`).
    pub fn configured_level(&self, rule: &rules::Rule) -> Option<RuleLevel> {
        self.rules.get(rule.code).or_else(|| self.rules.get(rule.family())).or_else(|| self.rules.get("all")).copied()
    }

    /// The origin configured for `path` (relative to the workspace root), if any.
    pub fn origin_for(&self, rel_path: &Path) -> Option<&Name> {
        self.zones.iter().find(|(g, _)| g.is_match(rel_path)).map(|(_, n)| n)
    }
}

fn config_diag(file: FileId, range: TextRange, msg: String) -> Diagnostic {
    Diagnostic::new(&rules::config::invalid::RULE, file, range, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_levels_and_zones() {
        let (cfg, diags) = Config::parse(
            "[rules]\n\"zone/missing-ns\" = \"off\"\n\"zone/ttl-mismatch\" = \"error\"\n[zones]\n\"zones/*.db\" = \"example.org\"\n[limits]\nmax_generate = 10\n",
            FileId(0),
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(cfg.rules["zone/missing-ns"], RuleLevel::Off);
        assert_eq!(cfg.level(&rules::zone::ttl_mismatch::RULE), RuleLevel::Level(Severity::Error));
        assert_eq!(cfg.origin_for(Path::new("zones/a.db")).unwrap().as_str(), "example.org.");
        assert_eq!(cfg.limits.max_generate, 10);
        assert_eq!(cfg.limits.max_include_depth, Limits::default().max_include_depth);
    }

    #[test]
    fn problems_have_positions() {
        let text = "[rules]\n\"zone/missing-nss\" = \"off\"\n\"zone/syntax\" = \"loud\"\n";
        let (_, diags) = Config::parse(text, FileId(0));
        assert_eq!(diags.len(), 2);
        assert_eq!(&text[diags[0].range.as_usize()], "\"zone/missing-nss\"");
        assert!(diags[0].message.contains("did you mean `zone/missing-ns`"));
        assert_eq!(&text[diags[1].range.as_usize()], "\"loud\"");
        let (_, diags) = Config::parse("[rules\n", FileId(0));
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("not valid"));
    }
}
