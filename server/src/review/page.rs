//! The review page's HTML, server-rendered with `maud` (which escapes every
//! interpolated value), in Simplified Chinese. No script and no inline
//! style, so the global CSP holds; the one stylesheet is `/r/style.css`.
//! Every page stays far below 10 KB so it opens fast on a weak signal and
//! in WeChat's built-in browser.

use maud::{html, Markup, DOCTYPE};
use xianfeng_core::ids::PostId;
use xianfeng_core::validate::{NAME_MAX, NOTE_MAX};

/// The post as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostView {
    pub id: PostId,
    /// 岗位名称.
    pub name: String,
    /// The member holding the post, if known.
    pub member: Option<String>,
    /// The post's unit, if known.
    pub unit: Option<String>,
}

/// What the person filled in (kept when the form comes back with an error).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormValues {
    pub rating: Option<u8>,
    pub comment: String,
    pub reviewer: String,
}

/// The five answers, 1 to 5.
pub const RATING_LABELS: [&str; 5] = ["很不满意", "不满意", "一般", "满意", "很满意"];

/// The honeypot field's name: hidden by the stylesheet, so people leave it
/// empty and form-filling bots do not.
pub const HONEYPOT: &str = "website";

fn layout(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) " · 先锋" }
                link rel="stylesheet" href="/r/style.css";
            }
            body { main { (body) } }
        }
    }
}

fn post_card(post: &PostView) -> Markup {
    html! {
        div.post {
            strong { (post.name) }
            @match (&post.member, &post.unit) {
                (Some(member), Some(unit)) => { (member) "（" (unit) "）" }
                (Some(member), None) => { (member) }
                (None, Some(unit)) => { (unit) }
                (None, None) => {}
            }
        }
    }
}

/// The review form. `error` (a sentence) is shown above it.
pub fn form(
    post: &PostView,
    token: &str,
    values: &FormValues,
    error: Option<&str>,
    per_post_per_hour: u32,
) -> Markup {
    layout(
        "群众评议",
        html! {
            h1 { "群众评议" }
            (post_card(post))
            @if let Some(error) = error {
                p.error role="alert" { (error) }
            }
            form method="post" action={ "/r/" (post.id) } {
                fieldset {
                    legend { "您对这个岗位党员的服务满意吗？" }
                    @for (i, label) in RATING_LABELS.iter().enumerate().rev() {
                        @let n = i as u8 + 1;
                        label.choice {
                            input type="radio" name="rating" value=(n) required
                                checked[values.rating == Some(n)];
                            span { (label) }
                        }
                    }
                }
                label.field for="comment" { "意见或建议（可不填）" }
                textarea #comment name="comment" maxlength=(NOTE_MAX) rows="4" { (values.comment) }
                label.field for="reviewer" { "您的称呼（可不填）" }
                input #reviewer type="text" name="reviewer" maxlength=(NAME_MAX)
                    autocomplete="off" value=(values.reviewer);
                div.hp aria-hidden="true" {
                    label { "请勿填写此项" input type="text" name=(HONEYPOT) tabindex="-1" autocomplete="off"; }
                }
                input type="hidden" name="token" value=(token);
                button type="submit" { "提交评议" }
            }
            p.rules {
                "防止刷评：每台设备每天对同一岗位只能评议一次，每个岗位每小时最多接受 "
                (per_post_per_hour) " 条评议，批量或自动提交的评议无效。"
            }
        },
    )
}

/// After a review was stored.
pub fn thanks(post: &PostView) -> Markup {
    layout(
        "谢谢您的评议",
        html! {
            h1 { "谢谢您的评议！" }
            (post_card(post))
            p { "您的评议已收到，将作为评选“党员示范岗”的参考。" }
        },
    )
}

/// A page with one message (unknown post, too many reviews, …), with a
/// link back to the form when there is one to go back to.
pub fn message(title: &str, text: &str, back_to: Option<PostId>) -> Markup {
    layout(
        title,
        html! {
            h1 { (title) }
            p { (text) }
            @if let Some(post) = back_to {
                p { a href={ "/r/" (post) } { "返回评议页" } }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(name: &str) -> PostView {
        PostView {
            id: PostId::from_u128(1),
            name: name.to_owned(),
            member: Some("王<b>".to_owned()),
            unit: Some("市教育局".to_owned()),
        }
    }

    #[test]
    fn the_form_escapes_everything_and_stays_small() {
        let values = FormValues {
            rating: Some(4),
            comment: "</textarea><script>alert(1)</script>".to_owned(),
            reviewer: "\"><img src=x>".to_owned(),
        };
        let page = form(
            &post("<script>x</script>"),
            "1.abc",
            &values,
            Some("<i>"),
            30,
        )
        .into_string();
        assert!(!page.contains("<script"), "{page}");
        assert!(!page.contains("<img"), "{page}");
        assert!(!page.contains("<b>") && !page.contains("<i>"), "{page}");
        assert!(page.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(page.contains(r#"value="4" required checked"#), "{page}");
        assert!(!page.contains("style="), "the CSP forbids inline style");
        assert!(page.starts_with("<!DOCTYPE html><html lang=\"zh-CN\">"));
        for label in RATING_LABELS {
            assert!(page.contains(label));
        }
        let long = FormValues {
            comment: "党".repeat(NOTE_MAX),
            ..FormValues::default()
        };
        let empty = form(&post("办证窗口"), "1.abc", &FormValues::default(), None, 30);
        assert!(empty.into_string().len() < 4 * 1024);
        // Even a full comment sent back keeps the page about the comment's size.
        let full = form(&post("办证窗口"), "1.abc", &long, None, 30).into_string();
        assert!(full.len() < 4 * 1024 + NOTE_MAX * 3);
    }
}
