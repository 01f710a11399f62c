//! `edgejwt doctor`: the diagnosis of a Better Auth deployment, sans-IO. The hosts (the npm and
//! Python command lines) fetch what a deployment serves and describe it as [`Observations`];
//! [`diagnose`] judges it. Every threshold, comparison and sentence is here, once, so the two
//! command lines give the same verdicts.
//!
//! Each [`Check`] has a stable id, a [`Status`], a message and, when something can be done, a
//! hint. The checks, in order: `jwks.reachable`, `jwks.valid`, `jwks.kids`, `jwks.key-count`,
//! `jwks.cache-control`, `token.obtained`, `token.verifies`, `token.issuer`, `token.audience`,
//! `token.lifetime`, `token.claims`, `clock.skew`, `cors.jwt-header`, `cookie.cache`.

use crate::error::Escaped;
use crate::{decode_unverified, Jwks, KeyVerdict, Options, Verifier};
use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// Better Auth's JWKS path under its base URL (`basePath` `/api/auth` + the jwt plugin's
/// `/jwks`).
pub const JWKS_PATH: &str = "/api/auth/jwks";
/// Paths people guess for a JWKS; a host probes them (under the base URL) when
/// [`JWKS_PATH`] answers 404, and reports each in [`Observations::tried`].
pub const USUAL_JWKS_PATHS: [&str; 3] = [
    "/api/auth/jwks",
    "/.well-known/jwks.json",
    "/api/auth/v1/keys",
];
/// More keys than this is a sign of a new key per request (rotation without
/// `rotationInterval`, better-auth issue 6215).
pub const MAX_EXPECTED_KEYS: usize = 10;
/// Clock skew (seconds) up to which `clock.skew` passes; it fails past [`SKEW_FAIL_S`].
pub const SKEW_WARN_S: f64 = 5.0;
/// See [`SKEW_WARN_S`].
pub const SKEW_FAIL_S: f64 = 60.0;
/// Better Auth's default JWKS `gracePeriod` (30 days), in seconds: how long a rotated key
/// stays published.
pub const DEFAULT_GRACE_PERIOD_S: f64 = 2_592_000.0;
/// A token lifetime longer than this (one day) is warned about.
pub const LONG_LIFETIME_S: f64 = 86_400.0;

/// One HTTP exchange as a host saw it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Exchange {
    /// The URL asked.
    pub url: String,
    /// The status, or `None` when no answer came (see `error`).
    pub status: Option<u16>,
    /// Why no answer came (a network error's name; never a secret).
    pub error: Option<String>,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// `Cache-Control`.
    pub cache_control: Option<String>,
    /// `Date` (an HTTP-date).
    pub date: Option<String>,
    /// Milliseconds from request to the end of the body.
    pub elapsed_ms: f64,
    /// The body, when it was read (the JWKS).
    pub body: Option<String>,
}

/// How the host tried to get a token.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TokenSource {
    /// `"--token"`, `"--cookie"` or `"--email"`.
    pub via: String,
    /// The token, when one was obtained.
    pub token: Option<String>,
    /// The exchange that failed to give one (`/api/auth/token`, or the sign-in).
    pub failed: Option<Exchange>,
}

/// The CORS headers of `get-session`, asked with `Origin: origin`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Cors {
    /// The frontend origin (`--origin`).
    pub origin: String,
    /// The exchange (its status and error).
    pub exchange: Exchange,
    /// `Access-Control-Allow-Origin`.
    pub allow_origin: Option<String>,
    /// `Access-Control-Allow-Credentials`.
    pub allow_credentials: Option<String>,
    /// `Access-Control-Expose-Headers`.
    pub expose_headers: Option<String>,
    /// Whether the response carried `set-auth-jwt`.
    pub jwt_header: bool,
}

/// What the host saw of a deployment.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Observations {
    /// The app's `BETTER_AUTH_URL`.
    pub base_url: String,
    /// Expected `iss` (`None`: the base URL, as Better Auth signs it).
    pub issuer: Option<String>,
    /// Expected `aud` (`None`: the base URL).
    pub audience: Option<String>,
    /// Claims the backend needs besides `sub` and `exp` (`--required-claim`).
    pub required_claims: Vec<String>,
    /// The local clock, ms since the epoch.
    pub now_ms: f64,
    /// The JWKS fetch.
    pub jwks: Exchange,
    /// After a 404: the usual paths probed ([`USUAL_JWKS_PATHS`]).
    pub tried: Vec<Exchange>,
    /// The token, when one was asked for.
    pub token: Option<TokenSource>,
    /// With `--origin`.
    pub cors: Option<Cors>,
    /// With `--cookie`: the `Cookie` header.
    pub cookie: Option<String>,
    /// With `--secret`: `BETTER_AUTH_SECRET`, to read a secret-based cookie cache.
    pub secret: Option<String>,
    /// The jwks `gracePeriod` in seconds, when known (`None`: Better Auth's default).
    pub grace_period_s: Option<f64>,
}

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Nothing wrong.
    Pass,
    /// Works, but risky or unusual.
    Warn,
    /// Broken: tokens will fail.
    Fail,
    /// Not checked (nothing to check it with).
    Skip,
}

/// One check's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// A stable identifier, e.g. `jwks.reachable`.
    pub id: &'static str,
    /// The verdict.
    pub status: Status,
    /// What was found.
    pub message: String,
    /// What to do, when something can be done.
    pub hint: Option<String>,
}

/// The checks as JSON, `{"checks":[{"id","status","message","hint"}]}` (the `--json` output of
/// both command lines).
pub fn to_json(checks: &[Check]) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        checks: &'a [Check],
    }
    serde_json::to_string(&Out { checks }).unwrap_or_default()
}

/// The checks as the command lines print them: one line a check (status, id, message), the hint
/// indented below, and a count.
pub fn to_text(checks: &[Check]) -> String {
    let mut out = String::new();
    let mut counts = [0usize; 4];
    for c in checks {
        let (word, n) = match c.status {
            Status::Pass => ("PASS", 0),
            Status::Warn => ("WARN", 1),
            Status::Fail => ("FAIL", 2),
            Status::Skip => ("skip", 3),
        };
        counts[n] += 1;
        out.push_str(&format!("{word}  {:<19} {}\n", c.id, c.message));
        if let Some(h) = &c.hint {
            if c.status != Status::Pass && c.status != Status::Skip {
                out.push_str(&format!("      {:<19} hint: {h}\n", ""));
            }
        }
    }
    out.push_str(&format!(
        "{} passed, {} warned, {} failed, {} skipped\n",
        counts[0], counts[1], counts[2], counts[3]
    ));
    out
}

/// Whether any check failed (the command lines then exit with status 1).
pub fn any_failed(checks: &[Check]) -> bool {
    checks.iter().any(|c| c.status == Status::Fail)
}

/// The JSON text of [`Observations`] → the checks, as JSON ([`to_json`]) or as text
/// ([`to_text`]); malformed observations give a single failing `doctor.input` check.
pub fn diagnose_json(observations: &str, json: bool) -> String {
    let checks = match serde_json::from_str::<Observations>(observations) {
        Ok(o) => diagnose(&o),
        Err(_) => alloc::vec![check(
            "doctor.input",
            Status::Fail,
            "the host's observations are malformed".to_string(),
            None,
        )],
    };
    if json {
        to_json(&checks)
    } else {
        to_text(&checks)
    }
}

fn check(id: &'static str, status: Status, message: String, hint: Option<String>) -> Check {
    Check {
        id,
        status,
        message,
        hint,
    }
}

fn hint(s: &str) -> Option<String> {
    Some(s.to_owned())
}

/// Judges a deployment.
pub fn diagnose(o: &Observations) -> Vec<Check> {
    let mut out = Vec::new();
    let jwks = jwks_checks(o, &mut out);
    let claims = token_checks(o, jwks.as_ref(), &mut out);
    out.push(clock_skew(o));
    out.push(cors(o));
    out.push(cookie_cache(o, jwks.as_ref(), claims.as_ref()));
    out
}

fn seconds_text(s: f64) -> String {
    let abs = if s < 0.0 { -s } else { s };
    if abs < 120.0 {
        format!("{} s", abs as u64)
    } else if abs < 7_200.0 {
        format!("{} min", (abs / 60.0) as u64)
    } else if abs < 172_800.0 {
        format!("{} h", (abs / 3_600.0) as u64)
    } else {
        format!("{} days", (abs / 86_400.0) as u64)
    }
}

/// `jwks.*`; the parsed set when it is usable.
fn jwks_checks(o: &Observations, out: &mut Vec<Check>) -> Option<Jwks> {
    let ex = &o.jwks;
    let ids = [
        "jwks.valid",
        "jwks.kids",
        "jwks.key-count",
        "jwks.cache-control",
    ];
    let skip_rest = |out: &mut Vec<Check>| {
        for id in ids {
            out.push(check(
                id,
                Status::Skip,
                "no key set to check".to_string(),
                None,
            ));
        }
    };
    let url = Escaped(&ex.url);
    match ex.status {
        None => {
            out.push(check(
                "jwks.reachable",
                Status::Fail,
                format!(
                    "{url}: no answer ({})",
                    Escaped(ex.error.as_deref().unwrap_or("network error"))
                ),
                hint("is the app running, and is BETTER_AUTH_URL the address this machine reaches it at?"),
            ));
            skip_rest(out);
            return None;
        }
        Some(200) => {}
        Some(status) => {
            let found = o.tried.iter().find(|t| t.status == Some(200));
            let tried: Vec<String> = o
                .tried
                .iter()
                .map(|t| {
                    format!(
                        "{} ({})",
                        Escaped(&t.url),
                        t.status
                            .map_or_else(|| String::from("no answer"), |s| format!("HTTP {s}"))
                    )
                })
                .collect();
            let h = match (status, found) {
                (_, Some(f)) => format!(
                    "a key set answers at {}: pass --jwks-url {}",
                    Escaped(&f.url),
                    Escaped(&f.url)
                ),
                (404, None) if !tried.is_empty() => format!(
                    "tried {}: is the jwt() plugin enabled (and its jwks path, basePath unchanged)?",
                    tried.join(", ")
                ),
                (404, None) => String::from(
                    "is the jwt() plugin enabled? Better Auth serves the JWKS at {BETTER_AUTH_URL}/api/auth/jwks",
                ),
                (300..=399, None) => String::from(
                    "verifiers do not follow redirects: use the key set's own URL",
                ),
                (500..=599, None) => String::from(
                    "the app failed: look at its log (a changed BETTER_AUTH_SECRET makes stored keys unreadable)",
                ),
                _ => String::from("the JWKS endpoint must answer 200 with the key set"),
            };
            out.push(check(
                "jwks.reachable",
                Status::Fail,
                format!("{url}: HTTP {status}"),
                Some(h),
            ));
            skip_rest(out);
            return None;
        }
    }
    let content_type = ex.content_type.as_deref().unwrap_or("no content type");
    let json_type = content_type
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    out.push(check(
        "jwks.reachable",
        if json_type {
            Status::Pass
        } else {
            Status::Warn
        },
        format!(
            "{url}: HTTP 200, {}, {} ms",
            Escaped(content_type),
            ex.elapsed_ms.max(0.0) as u64
        ),
        (!json_type).then(|| String::from("a JWKS is served as application/json")),
    ));

    let body = ex.body.as_deref().unwrap_or("");
    let set = match Jwks::from_remote_json(body) {
        Ok(set) => set,
        Err(e) => {
            out.push(check(
                "jwks.valid",
                Status::Fail,
                format!("not a usable key set: {e} [{}]", e.code()),
                hint("the URL must serve {\"keys\": [...]} (Better Auth's /api/auth/jwks)"),
            ));
            for id in &ids[1..] {
                out.push(check(
                    id,
                    Status::Skip,
                    "no key set to check".to_string(),
                    None,
                ));
            }
            return None;
        }
    };
    let info = set.key_info();
    let problems = set.key_problems();
    let usable = info.iter().filter(|k| k.usable).count();
    let unusable: Vec<String> = info
        .iter()
        .zip(&problems)
        .filter(|(k, _)| !k.usable)
        .map(|(k, p)| {
            format!(
                "kid {}: {}",
                Escaped(k.kid.as_deref().unwrap_or("(none)")),
                p.iter()
                    .map(|p| p.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        })
        .collect();
    out.push(if usable == 0 {
        check(
            "jwks.valid",
            Status::Fail,
            format!(
                "{} key(s), none usable{}{}",
                info.len(),
                if unusable.is_empty() { "" } else { ": " },
                unusable.join(", ")
            ),
            hint("publish the jwt() plugin's keys (EdDSA, ES256, ES512, RS256 or PS256)"),
        )
    } else if unusable.is_empty() {
        check(
            "jwks.valid",
            Status::Pass,
            format!("{usable} usable key(s)"),
            None,
        )
    } else {
        check(
            "jwks.valid",
            Status::Warn,
            format!("{usable} usable key(s); unusable: {}", unusable.join(", ")),
            hint("tokens signed with an unusable key fail; remove such keys or fix them"),
        )
    });

    let kid_problems: Vec<String> = problems
        .iter()
        .flatten()
        .filter(|p| p.id == "no-kid" || p.id == "duplicate-kid")
        .map(|p| p.message.clone())
        .collect();
    let duplicate = problems.iter().flatten().any(|p| p.id == "duplicate-kid");
    out.push(if kid_problems.is_empty() {
        check(
            "jwks.kids",
            Status::Pass,
            "every key has its own kid".to_string(),
            None,
        )
    } else {
        let mut unique = kid_problems.clone();
        unique.dedup();
        check(
            "jwks.kids",
            if duplicate {
                Status::Fail
            } else {
                Status::Warn
            },
            unique.join("; "),
            hint("give every key a distinct kid (Better Auth does)"),
        )
    });

    out.push(if info.len() > MAX_EXPECTED_KEYS {
        check(
            "jwks.key-count",
            Status::Warn,
            format!("{} keys (more than {MAX_EXPECTED_KEYS})", info.len()),
            hint("a new key on every sign-in is a sign of rotation without jwks.rotationInterval (better-auth issue 6215): set rotationInterval and gracePeriod"),
        )
    } else {
        check(
            "jwks.key-count",
            Status::Pass,
            format!("{} key(s)", info.len()),
            None,
        )
    });

    out.push(match ex.cache_control.as_deref() {
        None => check(
            "jwks.cache-control",
            Status::Pass,
            "no Cache-Control (Better Auth sends none): each verifier caches by its own policy".to_string(),
            hint("edgejwt caches 10 min and refetches on an unknown kid; if a CDN sits in front, keep it from caching the JWKS for long"),
        ),
        Some(cc) => {
            let lower = cc.to_ascii_lowercase();
            let max_age = lower
                .split(',')
                .filter_map(|d| d.trim().strip_prefix("max-age="))
                .find_map(|v| v.trim().parse::<u64>().ok());
            match max_age {
                Some(s) if s as f64 > 86_400.0 => check(
                    "jwks.cache-control",
                    Status::Warn,
                    format!("Cache-Control: {} (cached for {})", Escaped(cc), seconds_text(s as f64)),
                    hint("caches may serve the old set that long after a rotation; a few minutes is enough"),
                ),
                _ => check(
                    "jwks.cache-control",
                    Status::Pass,
                    format!("Cache-Control: {}", Escaped(cc)),
                    None,
                ),
            }
        }
    });
    (usable > 0).then_some(set)
}

/// The parts of a URL a mismatch is explained by.
struct UrlParts<'a> {
    scheme: String,
    host: String,
    port: Option<&'a str>,
    path: &'a str,
}

fn url_parts(url: &str) -> Option<UrlParts<'_>> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
        _ => (host_port, None),
    };
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "https" => "443",
        "http" => "80",
        _ => "",
    };
    let path = &rest[end..];
    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
    Some(UrlParts {
        scheme: scheme.to_ascii_lowercase(),
        host: host.to_ascii_lowercase(),
        port: port.filter(|p| *p != default_port),
        path,
    })
}

/// Which parts of two URLs differ, e.g. `scheme (http vs https), port (3000 vs none)`.
fn url_difference(got: &str, want: &str) -> String {
    let (Some(g), Some(w)) = (url_parts(got), url_parts(want)) else {
        return String::from("they differ");
    };
    let mut parts = Vec::new();
    if g.scheme != w.scheme {
        parts.push(format!(
            "scheme ({} vs {})",
            Escaped(&g.scheme),
            Escaped(&w.scheme)
        ));
    }
    if g.host != w.host {
        parts.push(format!(
            "host ({} vs {})",
            Escaped(&g.host),
            Escaped(&w.host)
        ));
    }
    if g.port != w.port {
        parts.push(format!(
            "port ({} vs {})",
            Escaped(g.port.unwrap_or("default")),
            Escaped(w.port.unwrap_or("default"))
        ));
    }
    let (gp, wp) = (g.path.trim_end_matches('/'), w.path.trim_end_matches('/'));
    if gp != wp {
        parts.push(format!(
            "path ({} vs {})",
            Escaped(if g.path.is_empty() { "none" } else { g.path }),
            Escaped(if w.path.is_empty() { "none" } else { w.path })
        ));
    } else if g.path != w.path {
        parts.push(String::from("trailing slash"));
    }
    if parts.is_empty() {
        String::from(
            "only in letter case or an explicit default port: compared exactly, they differ",
        )
    } else {
        parts.join(", ")
    }
}

/// The token's claims as a JSON object, when it decodes.
type Claims = serde_json::Map<String, serde_json::Value>;

fn token_checks(o: &Observations, jwks: Option<&Jwks>, out: &mut Vec<Check>) -> Option<Claims> {
    let later = [
        "token.verifies",
        "token.issuer",
        "token.audience",
        "token.lifetime",
        "token.claims",
    ];
    let skip_all = |out: &mut Vec<Check>, why: &str| {
        for id in later {
            out.push(check(id, Status::Skip, why.to_string(), None));
        }
    };
    let Some(source) = &o.token else {
        out.push(check(
            "token.obtained",
            Status::Skip,
            "no token: pass --token, --cookie or --email/--password".to_string(),
            None,
        ));
        skip_all(out, "no token");
        return None;
    };
    let Some(token) = &source.token else {
        let (message, h) = match &source.failed {
            Some(ex) => {
                let what = ex.status.map_or_else(
                    || {
                        format!(
                            "no answer ({})",
                            Escaped(ex.error.as_deref().unwrap_or("network error"))
                        )
                    },
                    |s| format!("HTTP {s}"),
                );
                let h = match ex.status {
                    Some(401) => "the session is missing or expired: sign in again (copy a fresh Cookie header, or use --email/--password)",
                    Some(500..=599) => "signing failed on the server: if BETTER_AUTH_SECRET changed since the keys were created, Better Auth cannot decrypt its private keys (delete the jwks rows or restore the secret)",
                    Some(404) => "is the jwt() plugin enabled? It serves GET /api/auth/token",
                    _ => "the app must answer {\"token\": \"<jwt>\"}",
                };
                (
                    format!("{} {}: {what}", source.via, Escaped(&ex.url)),
                    hint(h),
                )
            }
            None => (format!("{}: no token", source.via), None),
        };
        out.push(check("token.obtained", Status::Fail, message, h));
        skip_all(out, "no token");
        return None;
    };
    out.push(check(
        "token.obtained",
        Status::Pass,
        format!("token from {}", source.via),
        None,
    ));

    let claims: Option<Claims> = decode_unverified(token)
        .ok()
        .and_then(|(_, p)| serde_json::from_str(&p).ok());
    let now_s = (o.now_ms / 1000.0) as i64;
    out.push(match jwks {
        None => check(
            "token.verifies",
            Status::Skip,
            "no usable key set".to_string(),
            None,
        ),
        Some(set) => match Verifier::new(set.clone(), Options::default()) {
            Err(e) => check(
                "token.verifies",
                Status::Fail,
                format!("{e} [{}]", e.code()),
                None,
            ),
            Ok(v) => match v.verify(token, now_s) {
                Ok(verified) => check(
                    "token.verifies",
                    Status::Pass,
                    format!("{} signature verified", verified.alg.name()),
                    None,
                ),
                Err(e) => {
                    let mut message = format!("{e} [{}]", e.code());
                    if let Ok(report) = v.selection_report(token) {
                        if report.selected.is_none() {
                            let info = set.key_info();
                            for (k, verdict) in info.iter().zip(&report.keys) {
                                let why = match verdict {
                                    KeyVerdict::Fits => String::from("fits"),
                                    KeyVerdict::FitsButUnusable(r) => {
                                        format!("fits but unusable: {r}")
                                    }
                                    KeyVerdict::Refused(r) => r.message().to_string(),
                                };
                                message.push_str(&format!(
                                    "; kid {}: {why}",
                                    Escaped(k.kid.as_deref().unwrap_or("(none)"))
                                ));
                            }
                        }
                    }
                    // Time claims are judged by token.lifetime.
                    let status = if e.code() == "ERR_JWT_EXPIRED" {
                        Status::Warn
                    } else {
                        Status::Fail
                    };
                    check(
                        "token.verifies",
                        status,
                        message,
                        e.hint().map(String::from),
                    )
                }
            },
        },
    });

    let str_claim = |name: &str| claims.as_ref().and_then(|c| c.get(name));
    for (id, name, want) in [
        ("token.issuer", "iss", o.issuer.as_deref()),
        ("token.audience", "aud", o.audience.as_deref()),
    ] {
        let want = want.unwrap_or(&o.base_url);
        let values: Vec<&str> = match str_claim(name) {
            Some(serde_json::Value::String(s)) => alloc::vec![s.as_str()],
            Some(serde_json::Value::Array(a)) => a.iter().filter_map(|v| v.as_str()).collect(),
            _ => Vec::new(),
        };
        out.push(if values.is_empty() {
            check(
                id,
                Status::Fail,
                format!("the token has no {name}"),
                hint("Better Auth sets iss and aud to its baseURL: set baseURL (or jwt.issuer and jwt.audience)"),
            )
        } else if values.contains(&want) {
            check(id, Status::Pass, format!("{name} is {}", Escaped(want)), None)
        } else {
            let got = values[0];
            check(
                id,
                Status::Fail,
                format!(
                    "{name} is {} but {} is expected: {}",
                    Escaped(got),
                    Escaped(want),
                    url_difference(got, want)
                ),
                hint("iss and aud must equal the verifier's issuer and audience exactly: use the value of BETTER_AUTH_URL on both sides, or pass --issuer/--audience if the backend expects another"),
            )
        });
    }

    let num = |name: &str| str_claim(name).and_then(serde_json::Value::as_f64);
    out.push(match (num("exp"), num("iat")) {
        (None, _) => check(
            "token.lifetime",
            Status::Fail,
            "the token has no exp".to_string(),
            hint("Better Auth always sets exp: is this a Better Auth JWT?"),
        ),
        (Some(exp), iat) => {
            let now = o.now_ms / 1000.0;
            let lifetime = iat.map(|iat| exp - iat);
            let life = lifetime.map_or_else(String::new, |l| format!(" (lifetime {})", seconds_text(l)));
            if exp <= now {
                check(
                    "token.lifetime",
                    Status::Fail,
                    format!("expired {} ago{life}", seconds_text(now - exp)),
                    hint("the frontend must fetch a fresh token before exp (GET /api/auth/token; edgejwt/client does it)"),
                )
            } else if lifetime.is_some_and(|l| l > LONG_LIFETIME_S) {
                check(
                    "token.lifetime",
                    Status::Warn,
                    format!("expires in {}{life}", seconds_text(exp - now)),
                    hint("a stolen token stays valid that long: Better Auth's default is 15 minutes (jwt.expirationTime)"),
                )
            } else {
                check(
                    "token.lifetime",
                    Status::Pass,
                    format!("expires in {}{life}", seconds_text(exp - now)),
                    None,
                )
            }
        }
    });

    let mut required: Vec<&str> = alloc::vec!["sub", "exp"];
    for c in &o.required_claims {
        if !required.contains(&c.as_str()) {
            required.push(c);
        }
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| str_claim(c).map_or(true, serde_json::Value::is_null))
        .collect();
    out.push(if missing.is_empty() {
        check(
            "token.claims",
            Status::Pass,
            format!("has {}", required.join(", ")),
            None,
        )
    } else {
        check(
            "token.claims",
            Status::Fail,
            format!(
                "missing {}",
                missing
                    .iter()
                    .map(|m| Escaped(m).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            hint("add them to the jwt() plugin's payload (jwt.definePayload)"),
        )
    });
    claims
}

/// Seconds since the epoch of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date(s: &str) -> Option<f64> {
    let mut it = s.split_whitespace();
    let _weekday = it.next()?;
    let day: u32 = it.next()?.parse().ok()?;
    let month = match it.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i64 = it.next()?.parse().ok()?;
    let mut hms = it.next()?.split(':').map(|p| p.parse::<u32>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    if it.next()? != "GMT" || day == 0 || day > 31 || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(month) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + i64::from(h) * 3_600 + i64::from(m) * 60 + i64::from(sec)) as f64)
}

fn clock_skew(o: &Observations) -> Check {
    let Some(server) = o.jwks.date.as_deref().and_then(http_date) else {
        return check(
            "clock.skew",
            Status::Skip,
            "the server sent no Date header".to_string(),
            None,
        );
    };
    // The Date header has whole seconds and is taken during the exchange.
    let skew = server - o.now_ms / 1000.0;
    let abs = if skew < 0.0 { -skew } else { skew };
    let side = if skew > 0.0 { "ahead of" } else { "behind" };
    let message = format!(
        "the server's clock is {} {side} this one",
        seconds_text(abs)
    );
    if abs <= SKEW_WARN_S {
        check(
            "clock.skew",
            Status::Pass,
            format!("the clocks agree within {SKEW_WARN_S} s"),
            None,
        )
    } else {
        check(
            "clock.skew",
            if abs <= SKEW_FAIL_S { Status::Warn } else { Status::Fail },
            message,
            hint("sync both clocks (NTP); a backend whose clock runs ahead rejects fresh tokens as expired, one behind rejects them as not yet valid (clock_tolerance covers a few seconds)"),
        )
    }
}

fn cors(o: &Observations) -> Check {
    let Some(c) = &o.cors else {
        return check(
            "cors.jwt-header",
            Status::Skip,
            "pass --origin to check CORS for a frontend on another origin".to_string(),
            None,
        );
    };
    let origin = Escaped(&c.origin);
    if c.exchange.status.is_none() {
        return check(
            "cors.jwt-header",
            Status::Fail,
            "get-session: no answer".to_string(),
            None,
        );
    }
    let allow = c.allow_origin.as_deref().map(str::trim);
    let credentials = c
        .allow_credentials
        .as_deref()
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let exposed = c.expose_headers.as_deref().is_some_and(|h| {
        h.split(',')
            .any(|n| n.trim().eq_ignore_ascii_case("set-auth-jwt"))
    });
    let mut problems = Vec::new();
    if allow != Some(c.origin.as_str()) {
        problems.push(match allow {
            None => format!("no Access-Control-Allow-Origin for {origin}"),
            Some("*") => {
                String::from("Access-Control-Allow-Origin is *, which browsers refuse with cookies")
            }
            Some(other) => format!(
                "Access-Control-Allow-Origin is {} for {origin}",
                Escaped(other)
            ),
        });
    }
    if !credentials {
        problems.push(String::from(
            "no Access-Control-Allow-Credentials: true (the session cookie is not sent)",
        ));
    }
    if !exposed {
        problems.push(String::from(
            "set-auth-jwt is not in Access-Control-Expose-Headers (scripts cannot read it)",
        ));
    }
    if problems.is_empty() {
        check(
            "cors.jwt-header",
            Status::Pass,
            format!(
                "{origin} may call get-session with cookies and read set-auth-jwt{}",
                if c.jwt_header {
                    ""
                } else {
                    " (none was sent: no session)"
                }
            ),
            None,
        )
    } else {
        check(
            "cors.jwt-header",
            Status::Fail,
            problems.join("; "),
            hint("add the frontend to trustedOrigins and answer CORS for it with credentials (Next.js: headers() or middleware); or fetch the token from /api/auth/token on the same origin"),
        )
    }
}

#[cfg(feature = "cookie")]
fn cookie_cache(o: &Observations, jwks: Option<&Jwks>, _claims: Option<&Claims>) -> Check {
    use crate::cookie::{find_cookie, CookieName, ReadOptions, SessionCookieReader, Strategy};
    let Some(header) = &o.cookie else {
        return check(
            "cookie.cache",
            Status::Skip,
            "pass --cookie to check the session cookie cache".to_string(),
            None,
        );
    };
    let name = CookieName {
        prefix: "better-auth",
        name: "session_data",
        is_secure: None,
    };
    let Some(value) = find_cookie(header, name) else {
        return check(
            "cookie.cache",
            Status::Skip,
            "no better-auth.session_data cookie: the cookie cache is off (session.cookieCache)"
                .to_string(),
            None,
        );
    };
    // The strategy, by shape: a JWT has 3 segments, a JWE 5, compact is one base64url JSON.
    let segments = value.split('.').count();
    let (strategy, plugin_jwt) = match segments {
        3 => {
            let typ = crate::decode_protected_header(&value)
                .ok()
                .and_then(|h| serde_json::from_str::<serde_json::Value>(&h).ok())
                .and_then(|h| h.get("typ").and_then(|t| t.as_str()).map(String::from));
            (
                Strategy::Jwt,
                typ.as_deref() == Some(crate::SESSION_CACHE_TYP),
            )
        }
        5 => (Strategy::Jwe, false),
        _ => (Strategy::Compact, false),
    };
    let described = if plugin_jwt {
        String::from("jwt, signed by the jwt plugin's keys (sessionCookieCache)")
    } else {
        String::from(strategy.name())
    };
    let reader = |secret: Option<&str>, jwks: Option<&Jwks>| {
        SessionCookieReader::new(ReadOptions {
            strategy,
            secret: secret.map(|s| s.as_bytes().to_vec()),
            jwks: jwks.and_then(|_| o.jwks.body.clone()),
            issuer: None,
            audience: None,
            cookie_prefix: String::from("better-auth"),
            cookie_name: String::from("session_data"),
            is_secure: None,
            version: None,
        })
    };
    let result = if plugin_jwt {
        jwks.map(|set| reader(None, Some(set)).read(header, o.now_ms))
    } else {
        o.secret
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| reader(Some(s), None).read(header, o.now_ms))
    };
    let grace = o.grace_period_s.unwrap_or(DEFAULT_GRACE_PERIOD_S);
    // A plugin-signed cookie's maxAge is exp - iat.
    let max_age = plugin_jwt
        .then(|| decode_unverified(&value).ok())
        .flatten()
        .and_then(|(_, p)| serde_json::from_str::<serde_json::Value>(&p).ok())
        .and_then(|p| Some(p.get("exp")?.as_f64()? - p.get("iat")?.as_f64()?));
    match result {
        None => check(
            "cookie.cache",
            Status::Skip,
            format!("strategy {described}; pass --secret (BETTER_AUTH_SECRET) to read it"),
            None,
        ),
        Some(Err(e)) => check(
            "cookie.cache",
            Status::Fail,
            format!("strategy {described}: {e} [{}]", e.code()),
            e.hint().map(String::from),
        ),
        Some(Ok(_)) => match max_age {
            Some(age) if age > grace => check(
                "cookie.cache",
                Status::Warn,
                format!(
                    "strategy {described}: reads; its maxAge ({}) is longer than the JWKS grace period ({})",
                    seconds_text(age),
                    seconds_text(grace)
                ),
                hint("a rotated key leaves the JWKS before cookies signed with it expire: keep session.cookieCache.maxAge below jwks.gracePeriod"),
            ),
            _ => check(
                "cookie.cache",
                Status::Pass,
                format!(
                    "strategy {described}: reads{}",
                    max_age.map_or_else(String::new, |a| format!(" (maxAge {})", seconds_text(a)))
                ),
                None,
            ),
        },
    }
}

#[cfg(not(feature = "cookie"))]
fn cookie_cache(_: &Observations, _: Option<&Jwks>, _: Option<&Claims>) -> Check {
    check(
        "cookie.cache",
        Status::Skip,
        "this build has no session-cookie reader".to_string(),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SET: &str = r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#;

    fn status_of(checks: &[Check], id: &str) -> Status {
        checks.iter().find(|c| c.id == id).unwrap().status
    }

    fn served(body: &str) -> Observations {
        Observations {
            base_url: "http://localhost:3000".into(),
            now_ms: 1_764_000_000_000.0,
            jwks: Exchange {
                url: "http://localhost:3000/api/auth/jwks".into(),
                status: Some(200),
                content_type: Some("application/json".into()),
                date: Some("Mon, 24 Nov 2025 16:00:00 GMT".into()),
                body: Some(body.into()),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn every_check_has_its_stable_id_in_order() {
        let ids: Vec<&str> = diagnose(&served(SET)).iter().map(|c| c.id).collect();
        assert_eq!(
            ids,
            [
                "jwks.reachable",
                "jwks.valid",
                "jwks.kids",
                "jwks.key-count",
                "jwks.cache-control",
                "token.obtained",
                "token.verifies",
                "token.issuer",
                "token.audience",
                "token.lifetime",
                "token.claims",
                "clock.skew",
                "cors.jwt-header",
                "cookie.cache",
            ]
        );
    }

    #[test]
    fn a_404_names_the_paths_tried_and_the_one_that_answered() {
        let mut o = served(SET);
        o.jwks.status = Some(404);
        o.tried = alloc::vec![
            Exchange {
                url: "http://localhost:3000/.well-known/jwks.json".into(),
                status: Some(404),
                ..Default::default()
            },
            Exchange {
                url: "http://localhost:3000/api/auth/v1/keys".into(),
                status: Some(404),
                ..Default::default()
            },
        ];
        let checks = diagnose(&o);
        let c = &checks[0];
        assert_eq!((c.id, c.status), ("jwks.reachable", Status::Fail));
        let h = c.hint.as_deref().unwrap();
        assert!(
            h.contains("/.well-known/jwks.json (HTTP 404)")
                && h.contains("/api/auth/v1/keys (HTTP 404)"),
            "{h}"
        );
        assert_eq!(status_of(&checks, "jwks.valid"), Status::Skip);
        o.tried[1].status = Some(200);
        let h = diagnose(&o)[0].hint.clone().unwrap();
        assert_eq!(h, "a key set answers at http://localhost:3000/api/auth/v1/keys: pass --jwks-url http://localhost:3000/api/auth/v1/keys");
    }

    #[test]
    fn issuer_mismatches_say_which_part_differs() {
        for (got, want, says) in [
            (
                "http://localhost:3000",
                "https://localhost:3000",
                "scheme (http vs https)",
            ),
            (
                "http://localhost:3000",
                "http://localhost:3001",
                "port (3000 vs 3001)",
            ),
            (
                "http://localhost:3000/",
                "http://localhost:3000",
                "trailing slash",
            ),
            (
                "http://app.example",
                "http://api.example",
                "host (app.example vs api.example)",
            ),
            (
                "http://localhost:3000/api/auth",
                "http://localhost:3000",
                "path (/api/auth vs none)",
            ),
            (
                "https://a.example:443",
                "https://a.example",
                "only in letter case or an explicit default port",
            ),
        ] {
            assert!(
                url_difference(got, want).starts_with(says),
                "{got} {want}: {}",
                url_difference(got, want)
            );
        }
    }

    #[test]
    fn http_dates_parse_as_imf_fixdate() {
        assert_eq!(
            http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777.0)
        );
        assert_eq!(
            http_date("Mon, 24 Nov 2025 16:00:00 GMT"),
            Some(1_764_000_000.0)
        );
        for bad in [
            "",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "yesterday",
        ] {
            assert_eq!(http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn clock_skew_thresholds() {
        for (date, status) in [
            ("Mon, 24 Nov 2025 16:00:04 GMT", Status::Pass),
            ("Mon, 24 Nov 2025 15:59:30 GMT", Status::Warn),
            ("Mon, 24 Nov 2025 16:05:00 GMT", Status::Fail),
        ] {
            let mut o = served(SET);
            o.jwks.date = Some(date.into());
            assert_eq!(clock_skew(&o).status, status, "{date}");
        }
    }

    #[test]
    fn key_sets_without_usable_keys_fail_and_many_keys_warn() {
        let checks = diagnose(&served(r#"{"keys":[]}"#));
        assert_eq!(status_of(&checks, "jwks.valid"), Status::Fail);
        let many = format!(
            r#"{{"keys":[{}]}}"#,
            (0..11)
                .map(|i| format!(r#"{{"kty":"OKP","crv":"Ed25519","kid":"k{i}","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}}"#))
                .collect::<Vec<_>>()
                .join(",")
        );
        let checks = diagnose(&served(&many));
        assert_eq!(status_of(&checks, "jwks.key-count"), Status::Warn);
        assert_eq!(status_of(&checks, "jwks.kids"), Status::Pass);
    }

    #[test]
    fn malformed_observations_are_one_failing_check() {
        assert!(diagnose_json("{", false).starts_with("FAIL  doctor.input"));
        assert_eq!(
            diagnose_json("{", true),
            r#"{"checks":[{"id":"doctor.input","status":"fail","message":"the host's observations are malformed","hint":null}]}"#
        );
    }
}
