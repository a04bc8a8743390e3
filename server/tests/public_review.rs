//! The public review page (`/r/…`) against a real SQLite file: the page,
//! its escaping, a stored review pulled like any other record, bad input
//! (400, nothing stored), the limits (429 with Retry-After) and the QR code.
//! The clock is held by hand, so token ages need no sleeping.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use common::{Fixture, Reply};
use serde_json::{json, Value};
use time::{Duration, OffsetDateTime};
use xianfeng_server::review::qr;
use xianfeng_server::{Clock, ReviewConfig};

const SYSTEM: &str = "01930000-0000-7000-8000-000000000051";
const UNIT: &str = "01930000-0000-7000-8000-000000000061";
const BRANCH: &str = "01930000-0000-7000-8000-000000000071";
const MEMBER: &str = "01930000-0000-7000-8000-000000000091";
const POST: &str = "01930000-0000-7000-8000-0000000000b1";
const OTHER_POST: &str = "01930000-0000-7000-8000-0000000000b2";
const POST_NAME: &str = "<script>alert(1)</script>办证窗口";

struct Review {
    f: Fixture,
    clock: Clock,
    office: String,
}

/// A city with one post (its name a script tag), and a hand-held clock.
async fn setup(config: ReviewConfig) -> Review {
    let clock = Clock::manual(OffsetDateTime::now_utc());
    let state_clock = clock.clone();
    let f = Fixture::with_state(move |s| {
        s.with_clock(state_clock)
            .with_review_config(config)
            .with_public_url(Some("https://xf.example/".to_owned()))
    });
    let office = f.enroll_admin().await;
    let me = f.get("/api/me", Some(&office)).await.json();
    let device = me["device_id"].as_str().unwrap().to_owned();
    let set = |seq: u64, kind: &str, id: &str, fields: Value| {
        json!({"schema": 1, "seq": seq, "kind": kind, "id": id, "op": "set", "fields": fields,
               "hlc": {"wall": 1_700_000_000_000u64 + seq, "counter": 0, "device": device}})
    };
    let changes = vec![
        set(1, "system", SYSTEM, json!({"name": "教育系统"})),
        set(
            2,
            "unit",
            UNIT,
            json!({"system": SYSTEM, "name": "市教育局"}),
        ),
        set(
            3,
            "branch",
            BRANCH,
            json!({"unit": UNIT, "name": "机关支部"}),
        ),
        set(
            4,
            "member",
            MEMBER,
            json!({"name": "王秀英", "branch": BRANCH, "post_type": "management", "status": "in_post"}),
        ),
        set(
            5,
            "post",
            POST,
            json!({"member": MEMBER, "unit": UNIT, "name": POST_NAME}),
        ),
    ];
    let reply = f
        .post("/api/sync/push", Some(&office), json!({"changes": changes}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    Review { f, clock, office }
}

fn default_setup() -> ReviewConfig {
    ReviewConfig::default()
}

fn ip(n: u8) -> SocketAddr {
    SocketAddr::from(([10, 0, 0, n], 40000))
}

impl Review {
    async fn get_page(&self, path: &str) -> Reply {
        self.f.get(path, None).await
    }

    /// The form's token, from a fresh GET of the page.
    async fn token(&self) -> String {
        let page = self.get_page(&format!("/r/{POST}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        token_in(&page.text())
    }

    async fn submit(&self, from: SocketAddr, post: &str, body: String) -> Reply {
        let request = Request::builder()
            .method(Method::POST)
            .uri(format!("/r/{post}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .extension(ConnectInfo(from))
            .body(Body::from(body))
            .unwrap();
        self.f.send(request).await
    }

    /// GET, wait like a person, POST.
    async fn review(&self, from: SocketAddr, fields: &str) -> Reply {
        let token = self.token().await;
        self.clock.advance(Duration::seconds(5));
        self.submit(from, POST, format!("{fields}&token={token}&website="))
            .await
    }

    async fn stored(&self) -> i64 {
        self.f
            .count("SELECT count(*) FROM facts WHERE kind = 'public_review'")
            .await
    }
}

fn token_in(html: &str) -> String {
    let start = html.find(r#"name="token" value=""#).expect("a token field") + 20;
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

fn assert_html(reply: &Reply, status: StatusCode) -> String {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert_eq!(
        reply.headers.get(header::CONTENT_TYPE).unwrap(),
        "text/html; charset=utf-8"
    );
    assert_eq!(
        reply.headers.get(header::CACHE_CONTROL).unwrap(),
        "no-store"
    );
    assert!(reply.headers.contains_key(header::CONTENT_SECURITY_POLICY));
    let text = reply.text();
    assert!(
        text.starts_with("<!DOCTYPE html><html lang=\"zh-CN\">"),
        "{text}"
    );
    assert!(!text.contains("<script"), "{text}");
    assert!(!text.contains("style="), "no inline style under the CSP");
    text
}

#[tokio::test]
async fn the_page_shows_the_post_escaped_and_light() {
    let r = setup(default_setup()).await;
    let reply = r.get_page(&format!("/r/{POST}")).await;
    let page = assert_html(&reply, StatusCode::OK);
    assert!(page.len() <= 10 * 1024, "{} bytes", page.len());
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;办证窗口"));
    assert!(page.contains("王秀英") && page.contains("市教育局"));
    assert!(page.contains(r#"<meta name="viewport""#));
    assert!(page.contains(r#"<link rel="stylesheet" href="/r/style.css">"#));
    for label in ["很不满意", "不满意", "一般", "满意", "很满意", "提交评议"] {
        assert!(page.contains(label), "{label}");
    }
    assert!(page.contains("每台设备每天对同一岗位只能评议一次"));
    assert!(page.contains(r#"maxlength="2000""#));
    assert!(page.contains(r#"name="website""#), "the honeypot");
    assert!(!token_in(&page).is_empty());

    let css = r.get_page("/r/style.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(
        css.headers.get(header::CONTENT_TYPE).unwrap(),
        "text/css; charset=utf-8"
    );
    let css = css.text();
    assert!(css.contains(".hp{position:absolute;left:-10000px"));
    assert!(css.contains("min-height:52px"), "large touch targets");
}

#[tokio::test]
async fn unknown_posts_are_404_pages() {
    let r = setup(default_setup()).await;
    for path in [format!("/r/{OTHER_POST}"), "/r/not-a-post".to_owned()] {
        let page = assert_html(&r.get_page(&path).await, StatusCode::NOT_FOUND);
        assert!(page.contains("找不到这个岗位"), "{page}");
    }
    let token = r.token().await;
    r.clock.advance(Duration::seconds(5));
    let reply = r
        .submit(ip(1), OTHER_POST, format!("rating=5&token={token}"))
        .await;
    assert_html(&reply, StatusCode::NOT_FOUND);
    assert_eq!(r.stored().await, 0);
}

#[tokio::test]
async fn a_review_is_stored_once_and_pulled_like_any_record() {
    let r = setup(default_setup()).await;
    let reply = r
        .review(
            ip(1),
            "rating=4&comment=%E6%9C%8D%E5%8A%A1%E7%83%AD%E6%83%85&reviewer=",
        )
        .await;
    let page = assert_html(&reply, StatusCode::OK);
    assert!(page.contains("谢谢"), "{page}");
    assert_eq!(r.stored().await, 1);

    let pulled =
        r.f.post("/api/sync/pull", Some(&r.office), json!({"cursor": 0}))
            .await
            .json();
    let reviews: Vec<&Value> = pulled["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["change"]["kind"] == "public_review")
        .collect();
    assert_eq!(reviews.len(), 1);
    let record = &reviews[0]["change"]["record"];
    assert_eq!(record["post"], POST);
    assert_eq!(record["rating"], 4);
    assert_eq!(record["comment"], "服务热情");
    assert!(record.get("reviewer").is_none(), "anonymous: {record}");
    let today = r.clock.now().to_offset(time::macros::offset!(+8)).date();
    assert_eq!(record["on"], today.to_string());
    let server_id: String =
        r.f.read(|c| {
            c.query_one("SELECT value FROM server_meta WHERE key = 'server_id'", &[])?
                .text(0)
        })
        .await;
    let device = reviews[0]["device"].as_str().unwrap().replace('-', "");
    assert_eq!(device, server_id, "logged from the server's own device");

    // The limits row holds a keyed hash, not the address.
    let (key_len, post): (usize, String) =
        r.f.read(|c| {
            let row = c.query_one("SELECT client_key, post FROM public_review_limits", &[])?;
            Ok((row.blob(0)?.len(), row.text(1)?))
        })
        .await;
    assert_eq!((key_len, post.as_str()), (32, POST));
}

#[tokio::test]
async fn bad_input_is_400_and_stores_nothing() {
    let r = setup(default_setup()).await;
    let long = "党".repeat(2001);
    let cases: Vec<(&str, String, &str)> = vec![
        ("no rating", "comment=x".into(), "请选择满意程度"),
        ("rating 0", "rating=0".into(), "评分"),
        ("rating 6", "rating=6".into(), "评分"),
        ("rating text", "rating=abc".into(), "满意程度只能"),
        (
            "overlong comment",
            format!("rating=3&comment={long}"),
            "评语过长",
        ),
        ("duplicate field", "rating=3&rating=4".into(), "无法识别"),
    ];
    let token = r.token().await;
    r.clock.advance(Duration::seconds(5));
    for (name, fields, message) in &cases {
        let reply = r
            .submit(ip(1), POST, format!("{fields}&token={token}"))
            .await;
        let page = assert_html(&reply, StatusCode::BAD_REQUEST);
        assert!(page.contains(message), "{name}: {page}");
        assert!(page.contains(r#"role="alert""#), "{name}");
        assert!(
            !token_in(&page).is_empty(),
            "{name}: a fresh token to retry"
        );
    }
    // The token and the honeypot.
    let (issued, mac) = token.split_once('.').unwrap();
    let forged = format!("{}.{mac}", issued.parse::<i64>().unwrap() - 60);
    let token_cases: Vec<(&str, String, &str)> = vec![
        ("missing token", "rating=5".into(), "已失效"),
        ("empty token", "rating=5&token=".into(), "已失效"),
        ("garbage token", "rating=5&token=abc.def".into(), "已失效"),
        ("forged time", format!("rating=5&token={forged}"), "已失效"),
        (
            "honeypot",
            format!("rating=5&token={token}&website=http%3A%2F%2Fspam"),
            "提交无效",
        ),
    ];
    for (name, body, message) in &token_cases {
        let page = assert_html(
            &r.submit(ip(1), POST, body.clone()).await,
            StatusCode::BAD_REQUEST,
        );
        assert!(page.contains(message), "{name}: {page}");
    }
    // Too fresh: sent back within 3 seconds; the comment is kept.
    let fresh = r.token().await;
    r.clock.advance(Duration::seconds(2));
    let page = assert_html(
        &r.submit(ip(1), POST, format!("rating=5&comment=kept&token={fresh}"))
            .await,
        StatusCode::BAD_REQUEST,
    );
    assert!(page.contains("提交太快"), "{page}");
    assert!(page.contains(">kept</textarea>"), "{page}");
    assert!(page.contains(r#"value="5" required checked"#), "{page}");
    // Expired: older than a day.
    r.clock.advance(Duration::days(1) + Duration::seconds(10));
    let page = assert_html(
        &r.submit(ip(1), POST, format!("rating=5&token={fresh}"))
            .await,
        StatusCode::BAD_REQUEST,
    );
    assert!(page.contains("超过一天"), "{page}");
    // A token for another post does not fit this one.
    let page = assert_html(
        &r.submit(ip(1), OTHER_POST, format!("rating=5&token={token}"))
            .await,
        StatusCode::NOT_FOUND,
    );
    assert!(page.contains("找不到"));
    assert_eq!(r.stored().await, 0, "nothing stored");
    assert_eq!(
        r.f.count("SELECT count(*) FROM public_review_limits").await,
        0
    );

    // Over the size limit: 413, nothing stored.
    let huge = format!("rating=5&comment={}", "x".repeat(40 * 1024));
    let reply = r.submit(ip(1), POST, huge).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.stored().await, 0);
}

#[tokio::test]
async fn one_review_per_client_and_post_a_day() {
    let r = setup(default_setup()).await;
    assert_eq!(r.review(ip(1), "rating=5").await.status, StatusCode::OK);
    let reply = r.review(ip(1), "rating=1").await;
    let page = assert_html(&reply, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("今天已经评议过"), "{page}");
    let retry: u64 = reply.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=86_400).contains(&retry), "{retry}");
    assert_eq!(r.stored().await, 1);
    // Another client may; the same one again tomorrow.
    assert_eq!(r.review(ip(2), "rating=4").await.status, StatusCode::OK);
    r.clock
        .advance(Duration::seconds(i64::try_from(retry).unwrap()));
    assert_eq!(r.review(ip(1), "rating=3").await.status, StatusCode::OK);
    assert_eq!(r.stored().await, 3);
}

#[tokio::test]
async fn each_post_takes_a_few_reviews_an_hour() {
    let r = setup(ReviewConfig {
        per_post_per_hour: 3,
        ..ReviewConfig::default()
    })
    .await;
    for n in 1..=3 {
        let reply = r.review(ip(n), "rating=5").await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    }
    let reply = r.review(ip(4), "rating=5").await;
    let page = assert_html(&reply, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("分钟后再提交"), "{page}");
    let retry: i64 = reply.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3000..=3600).contains(&retry), "{retry}");
    assert_eq!(r.stored().await, 3);
    r.clock.advance(Duration::seconds(retry));
    assert_eq!(r.review(ip(4), "rating=5").await.status, StatusCode::OK);
    assert_eq!(r.stored().await, 4);
}

#[tokio::test]
async fn the_qr_code_encodes_the_review_url() {
    let r = setup(default_setup()).await;
    let reply = r.get_page(&format!("/r/{POST}/qr.svg")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.headers.get(header::CONTENT_TYPE).unwrap(),
        "image/svg+xml"
    );
    assert_eq!(
        reply.headers.get(header::CACHE_CONTROL).unwrap(),
        "public, max-age=86400"
    );
    let svg = reply.text();
    let url = format!("https://xf.example/r/{POST}");
    assert_eq!(svg, qr::svg(&url).unwrap());
    assert_ne!(
        svg,
        qr::svg(&format!("https://xf.example/r/{OTHER_POST}")).unwrap()
    );
    assert!(svg.contains("<svg") && svg.ends_with("</svg>"));
    let bad = r.get_page("/r/nope/qr.svg").await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND);
}
