//! The name plate's QR code: the review page's address as an SVG (crisp at
//! any print size, a few KB), made with the `qrcode` crate.

use qrcode::render::svg;
use qrcode::types::QrError;
use qrcode::{EcLevel, QrCode};
use xianfeng_core::ids::PostId;

/// The public review page of `post` under `base_url`.
pub fn review_url(base_url: &str, post: PostId) -> String {
    format!("{}/r/{post}", base_url.trim_end_matches('/'))
}

/// The QR code of `url` as an SVG document. Error correction M (15 %)
/// survives a scuffed or partly covered plate.
pub fn svg(url: &str) -> Result<String, QrError> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_svgs() {
        let post = PostId::from_u128(1);
        assert_eq!(
            review_url("https://x.example/", post),
            "https://x.example/r/00000000-0000-0000-0000-000000000001"
        );
        let image = svg(&review_url("https://x.example", post)).unwrap();
        assert!(image.contains("<svg") && image.ends_with("</svg>"));
        assert_ne!(image, svg("https://x.example/r/other").unwrap());
    }
}
