//! Every message table is complete in both languages.

use wasm_bindgen_test::*;
use xianfeng_app::i18n::{Lang, Msg, PairMsg, PostMsg, SpotMsg, Text};

fn complete<T: Text + std::fmt::Debug>(all: &[T]) {
    for msg in all {
        assert!(!msg.text(Lang::ZhCn).is_empty(), "{msg:?} zh-CN");
        assert!(!msg.text(Lang::En).is_empty(), "{msg:?} en");
    }
}

#[wasm_bindgen_test]
fn every_message_has_both_languages() {
    complete(Msg::ALL);
    complete(SpotMsg::ALL);
    complete(PostMsg::ALL);
    complete(PairMsg::ALL);
    assert_eq!(Msg::AppName.text(Lang::ZhCn), "先锋");
}

#[wasm_bindgen_test]
fn language_tags_round_trip() {
    for lang in [Lang::ZhCn, Lang::En] {
        assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
    }
    assert_eq!(Lang::from_tag("fr"), None);
}
