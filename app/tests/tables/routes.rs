//! The app's route table and its matcher (`xianfeng_app::routes`): every
//! route is reachable, fixed segments win over parameters, and a path
//! that names no screen finds none (the shell then shows 页面不存在).

use wasm_bindgen_test::*;
use xianfeng_app::routes::{find, Found};
use xianfeng_app::shell::ROUTES;

/// The route at `path`'s place in the table.
fn pattern(found: &Found) -> &'static str {
    ROUTES[found.at.0][found.at.1].path
}

#[wasm_bindgen_test]
fn every_route_is_reachable_with_its_parameters() {
    for (t, table) in ROUTES.iter().enumerate() {
        for (r, route) in table.iter().enumerate() {
            // Each parameter gets a value of its own name.
            let path: Vec<String> = route
                .path
                .split('/')
                .map(|s| {
                    s.strip_prefix(':')
                        .map_or(s.to_string(), |n| format!("v-{n}"))
                })
                .collect();
            let path = path.join("/");
            let found = find(ROUTES, &path).unwrap_or_else(|| panic!("{path} finds nothing"));
            assert_eq!(found.at, (t, r), "{path} finds {}", pattern(&found));
            let expected: Vec<(&str, String)> = route
                .path
                .split('/')
                .filter_map(|s| s.strip_prefix(':'))
                .map(|n| (n, format!("v-{n}")))
                .collect();
            assert_eq!(found.params, expected, "{path}");
        }
    }
}

#[wasm_bindgen_test]
fn fixed_segments_win_over_parameters() {
    let id = "6f1c2d9e-0b7a-4c55-9a43-2f0e5d8b7c10";
    let cases = [
        ("/posts/new", "/posts/new"),
        ("/posts/awards", "/posts/awards"),
        ("/posts/rubric", "/posts/rubric"),
        (&format!("/posts/{id}"), "/posts/:id"),
        (&format!("/posts/{id}/plate"), "/posts/:id/plate"),
        ("/pairing/reports/new", "/pairing/reports/new"),
        (&format!("/pairing/reports/{id}"), "/pairing/reports/:id"),
        (
            &format!("/spot-checks/check/{id}/summary"),
            "/spot-checks/check/:id/summary",
        ),
    ];
    for (path, expected) in cases {
        let found = find(ROUTES, path).unwrap_or_else(|| panic!("{path} finds nothing"));
        assert_eq!(pattern(&found), expected, "{path}");
    }
    let found = find(ROUTES, &format!("/study/transition/{id}/review")).unwrap();
    assert_eq!(found.params, vec![("id", id.to_string())]);
}

#[wasm_bindgen_test]
fn a_trailing_slash_is_ignored() {
    for (path, expected) in [
        ("/", "/"),
        ("/spot-checks/", "/spot-checks"),
        ("/study/members/", "/study/members"),
        ("/me/", "/me"),
    ] {
        let found = find(ROUTES, path).unwrap_or_else(|| panic!("{path} finds nothing"));
        assert_eq!(pattern(&found), expected, "{path}");
    }
}

#[wasm_bindgen_test]
fn a_path_that_names_no_screen_finds_none() {
    for path in [
        "",
        "/nowhere",
        "/spot-checks/nowhere",
        "/spot-checks/check",
        "/spot-checks/check//summary",
        "/spot-checks/check/x/summary/more",
        "/posts/x/plate/more",
        "/spot-checks//",
        "spot-checks",
    ] {
        assert_eq!(find(ROUTES, path), None, "{path}");
    }
}
