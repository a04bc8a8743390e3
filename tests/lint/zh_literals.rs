//! UI text goes through the i18n tables (`app/src/i18n/`): no string or
//! char literal in the app's code outside them may hold Chinese. Comments
//! and doc comments may. Every `app/src/**/*.rs` outside `i18n/` is parsed
//! with `syn` and every literal is visited, including those inside macro
//! bodies (`view!`, `format!`, …: their token streams are walked) and in
//! attributes other than `#[doc]`. Items under `#[cfg(test)]` are exempt.
//! A literal counts as Chinese if it holds a CJK ideograph (U+4E00–U+9FFF),
//! CJK punctuation (U+3000–U+303F) or a full-width form (U+FF00–U+FFEF).

use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::visit::Visit;

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

/// One offending literal: where, and its source text.
struct Found {
    line: usize,
    literal: String,
}

#[derive(Default)]
struct Literals {
    found: Vec<Found>,
}

impl Literals {
    fn check(&mut self, lit: &proc_macro2::Literal) {
        // The value, escapes resolved (a `"\u{4e2d}"` counts too); a literal
        // that is no string, char or byte string is a number or a bool.
        let value = match syn::Lit::new(lit.clone()) {
            syn::Lit::Str(s) => s.value(),
            syn::Lit::Char(c) => c.value().to_string(),
            syn::Lit::ByteStr(b) => String::from_utf8_lossy(&b.value()).into_owned(),
            syn::Lit::CStr(c) => c.value().to_string_lossy().into_owned(),
            _ => return,
        };
        if value.chars().any(is_cjk) {
            self.found.push(Found {
                line: lit.span().start().line,
                literal: lit.to_string(),
            });
        }
    }

    fn tokens(&mut self, tokens: TokenStream) {
        let mut tokens = tokens.into_iter().peekable();
        while let Some(token) = tokens.next() {
            match token {
                TokenTree::Literal(lit) => self.check(&lit),
                TokenTree::Group(group) => self.tokens(group.stream()),
                // A doc comment inside a macro body: `#[doc = "…"]` / `#![doc = "…"]`.
                TokenTree::Punct(p) if p.as_char() == '#' => {
                    if matches!(tokens.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '!') {
                        tokens.next();
                    }
                    if let Some(TokenTree::Group(g)) = tokens.peek() {
                        if g.delimiter() == Delimiter::Bracket && !is_doc(g.stream()) {
                            self.tokens(g.stream());
                        }
                        tokens.next();
                    }
                }
                _ => {}
            }
        }
    }
}

fn is_doc(attr: TokenStream) -> bool {
    matches!(attr.into_iter().next(), Some(TokenTree::Ident(i)) if i == "doc")
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test")
    })
}

impl<'ast> Visit<'ast> for Literals {
    fn visit_lit(&mut self, lit: &'ast syn::Lit) {
        self.check(&lit_token(lit));
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        syn::visit::visit_path(self, &mac.path);
        self.tokens(mac.tokens.clone());
    }

    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        match &attr.meta {
            syn::Meta::Path(_) => {}
            // `#[error("…")]`: the list's arguments are a token stream.
            syn::Meta::List(list) => self.tokens(list.tokens.clone()),
            syn::Meta::NameValue(nv) if !nv.path.is_ident("doc") => self.visit_expr(&nv.value),
            syn::Meta::NameValue(_) => {}
        }
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if !is_cfg_test(&item.attrs) {
            syn::visit::visit_item_mod(self, item);
        }
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        if !is_cfg_test(&item.attrs) {
            syn::visit::visit_item_fn(self, item);
        }
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        if !is_cfg_test(&item.attrs) {
            syn::visit::visit_item_impl(self, item);
        }
    }
}

/// The literal token behind a parsed literal (its span and text).
fn lit_token(lit: &syn::Lit) -> proc_macro2::Literal {
    match lit {
        syn::Lit::Str(l) => l.token(),
        syn::Lit::ByteStr(l) => l.token(),
        syn::Lit::CStr(l) => l.token(),
        syn::Lit::Byte(l) => l.token(),
        syn::Lit::Char(l) => l.token(),
        syn::Lit::Int(l) => l.token(),
        syn::Lit::Float(l) => l.token(),
        syn::Lit::Bool(_) => proc_macro2::Literal::u8_unsuffixed(0),
        syn::Lit::Verbatim(l) => l.clone(),
        _ => proc_macro2::Literal::u8_unsuffixed(0),
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every offending literal of one file's source, as `(line, literal)`.
fn offenders(source: &str) -> Result<Vec<(usize, String)>, syn::Error> {
    let file = syn::parse_file(source)?;
    let mut v = Literals::default();
    v.visit_file(&file);
    Ok(v.found.into_iter().map(|f| (f.line, f.literal)).collect())
}

#[test]
fn no_chinese_string_literal_in_app_code_outside_i18n() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let i18n = root.join("i18n");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(
        files.len() > 20,
        "found only {} files under {}",
        files.len(),
        root.display()
    );
    let mut report = Vec::new();
    for path in files.iter().filter(|p| !p.starts_with(&i18n)) {
        let source = std::fs::read_to_string(path).unwrap();
        let shown = Path::new("app/src")
            .join(path.strip_prefix(&root).unwrap())
            .display()
            .to_string();
        match offenders(&source) {
            Ok(found) => report.extend(
                found
                    .into_iter()
                    .map(|(line, lit)| format!("{shown}:{line}: {lit}")),
            ),
            Err(e) => report.push(format!("{shown}: does not parse: {e}")),
        }
    }
    assert!(
        report.is_empty(),
        "{} Chinese string literal(s) in app/src outside i18n/ (UI text goes through the i18n tables):\n{}",
        report.len(),
        report.join("\n")
    );
}

/// The check itself: literals in code, macros and attributes are found;
/// comments, doc comments and `#[cfg(test)]` items are not.
#[test]
fn the_check_finds_what_it_should() {
    let source = r##"
        //! 模块说明
        /// 文档
        #[doc = "文档"]
        fn a() -> &'static str {
            // 注释
            let c = '党';
            let s = format!("{}：", 1);
            let v = view! { <p title="标题">"文本" {move || "闭包"}</p> };
            /* 块注释 */
            "中文"
        }
        macro_rules! m { () => { /// 宏里的文档
            struct S; } }
        #[error("错误")]
        struct E;
        const OK: &str = "plain \u{4e2d}";
        const R: &str = r#"原始"#;
        const FW: &str = "１";
        #[cfg(test)]
        mod tests { const T: &str = "测试"; }
    "##;
    let found: Vec<String> = offenders(source)
        .unwrap()
        .into_iter()
        .map(|(l, s)| format!("{l}:{s}"))
        .collect();
    assert_eq!(
        found,
        [
            "7:'党'",
            "8:\"{}：\"",
            "9:\"标题\"",
            "9:\"文本\"",
            "9:\"闭包\"",
            "11:\"中文\"",
            "15:\"错误\"",
            "17:\"plain \\u{4e2d}\"",
            "18:r#\"原始\"#",
            "19:\"１\"",
        ]
    );
}
