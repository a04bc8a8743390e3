//! Macros shared by the domain modules.
//!
//! Why: closed lists (post types, statuses, causes of difficulty, …) all
//! need the same things: a stable snake_case JSON code, a zh-CN and an
//! English label, and parsing from either so forms and imports work. One
//! macro, no copy-paste.

/// Declares a closed list with codes and labels.
///
/// ```text
/// labelled_enum! {
///     /// doc
///     pub enum PostType: "post_type" {
///         Leadership = "leadership", "领导岗位", "Leadership";
///     }
/// }
/// ```
/// gives `ALL`, `code()`, `label(lang)`, `Display` (the code) and `FromStr`
/// (code, zh-CN or English label; anything else is `unknown_value`).
macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $field:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $zh:literal, $en:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable JSON code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The label shown to people.
            pub fn label(self, lang: $crate::error::Lang) -> &'static str {
                match lang {
                    $crate::error::Lang::ZhCn => match self { $($name::$variant => $zh),+ },
                    $crate::error::Lang::En => match self { $($name::$variant => $en),+ },
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::error::DomainError;

            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                let t = s.trim();
                $(
                    if t == $code || t == $zh || t.eq_ignore_ascii_case($en) {
                        return Ok($name::$variant);
                    }
                )+
                Err($crate::error::DomainError::UnknownValue {
                    field: $field,
                    value: s.to_string(),
                })
            }
        }
    };
}
