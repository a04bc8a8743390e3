//! Showing household data without showing more than needed.
//!
//! Why: the cards describe vulnerable people. Lists show a contact masked
//! (`138****5678`); only the card itself, opened by someone whose role and
//! scope may read it, shows it whole. Whether a user sees household
//! screens at all is the scope rule's answer ([`may_see_households`]), so
//! inspectors never do. The office's conflict list words a household
//! field's competing values the same way ([`field_value_text`]).

use serde_json::Value;

use crate::directory::Directory;
use crate::error::{field_zh, Lang};
use crate::schema::RecordKind;
use crate::scope::Actor;

use super::{HouseholdAttribute, PovertyCause};

/// A contact for lists: the first three and last four characters of a
/// long one (`13812345678` → `138****5678`), the first character of a
/// short one, nothing of a very short one. Counts characters, not bytes.
pub fn mask_contact(contact: &str) -> String {
    let chars: Vec<char> = contact.trim().chars().collect();
    let n = chars.len();
    let mut out = String::new();
    match n {
        0 => return out,
        1..=2 => {}
        3..=6 => out.push(chars[0]),
        _ => out.extend(&chars[..3]),
    }
    out.push_str("****");
    if n >= 7 {
        out.extend(&chars[n - 4..]);
    }
    out
}

/// Whether the user may read household data anywhere in their own scope
/// (so whether the household screens are shown at all).
pub fn may_see_households(actor: &Actor) -> bool {
    let corner = Directory::default().scope_location(&actor.scope);
    actor.may_read(RecordKind::Household, &corner)
}

/// A household field's label: `家庭人口` / `size`.
pub fn field_label(field: &str, lang: Lang) -> &str {
    match lang {
        Lang::ZhCn => field_zh(field),
        Lang::En => field,
    }
}

/// One value of a household card's field as a person reads it, for lists:
/// contacts masked, closed lists as labels, sizes with their unit.
pub fn field_value_text(field: &str, value: &Value, lang: Lang) -> String {
    let empty = match lang {
        Lang::ZhCn => "（空）",
        Lang::En => "(empty)",
    };
    match (field, value) {
        (_, Value::Null) => empty.to_string(),
        ("contact", Value::String(s)) => mask_contact(s),
        ("size", Value::Number(n)) => match lang {
            Lang::ZhCn => format!("{n}人"),
            Lang::En => n.to_string(),
        },
        ("attribute", Value::String(code)) => code
            .parse::<HouseholdAttribute>()
            .map_or_else(|_| code.clone(), |a| a.label(lang).to_string()),
        ("causes", Value::Array(items)) => {
            let labels: Vec<String> = items
                .iter()
                .map(|v| {
                    let code = v.as_str().unwrap_or_default();
                    code.parse::<PovertyCause>()
                        .map_or_else(|_| code.to_string(), |c| c.label(lang).to_string())
                })
                .collect();
            labels.join(if lang == Lang::ZhCn { "、" } else { ", " })
        }
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{BranchId, SystemId, UnitId, VillageId};
    use crate::scope::{Role, Scope};
    use serde_json::json;

    #[test]
    fn mask_contact_table() {
        let cases = [
            ("13812345678", "138****5678"),
            (" 13812345678 ", "138****5678"),
            ("0571-88886666", "057****6666"),
            ("1234567", "123****4567"),
            ("123456", "1****"),
            ("村委会转", "村****"),
            ("12", "****"),
            ("", ""),
            ("请打村委会电话转李大爷家", "请打村****李大爷家"),
        ];
        for (contact, masked) in cases {
            assert_eq!(mask_contact(contact), masked, "{contact:?}");
        }
    }

    #[test]
    fn who_sees_household_screens() {
        let v = Scope::Village(VillageId::from_u128(1));
        let b = Scope::Branch(BranchId::from_u128(2));
        let u = Scope::Unit(UnitId::from_u128(3));
        let s = Scope::System(SystemId::from_u128(4));
        let cases = [
            (Role::Office, Scope::City, true),
            (Role::Cadre, v, true),
            (Role::Cadre, b, true),
            (Role::Cadre, u, false),
            (Role::Inspector, Scope::City, false),
            (Role::Inspector, s, false),
            (Role::Inspector, u, false),
        ];
        for (role, scope, want) in cases {
            assert_eq!(
                may_see_households(&Actor::new(role, scope)),
                want,
                "{role:?} {scope:?}"
            );
        }
    }

    #[test]
    fn field_values_for_lists() {
        let zh = Lang::ZhCn;
        let cases = [
            ("contact", json!("13812345678"), "138****5678"),
            ("size", json!(5), "5人"),
            ("attribute", json!("dibao"), "低保"),
            (
                "causes",
                json!(["illness", "lack_of_funds"]),
                "因病、缺资金",
            ),
            ("head", json!("李大爷"), "李大爷"),
            ("contact", Value::Null, "（空）"),
            ("attribute", json!("unknown"), "unknown"),
        ];
        for (field, value, want) in cases {
            assert_eq!(field_value_text(field, &value, zh), want, "{field}");
        }
        assert_eq!(field_value_text("size", &json!(5), Lang::En), "5");
        assert_eq!(
            field_value_text("causes", &json!(["illness"]), Lang::En),
            "Illness"
        );
        assert_eq!(field_label("size", zh), "家庭人口");
        assert_eq!(field_label("contact", Lang::En), "contact");
    }
}
