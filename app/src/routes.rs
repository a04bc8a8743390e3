//! The app's routes: one table of paths and screens, read by one matcher.
//!
//! Why not leptos_router's `<Routes>`: its route tree is one nested generic
//! type, and every route of it compiled its own matching, choosing and
//! preloading code into the main module: ~87 KB of wasm (before
//! compression) that every first visit downloaded, though all but a few
//! screens live in lazily loaded parts (issue 15). Here a route is data,
//! `(path, Screen)`, and one non-generic function matches a path against
//! the table.
//!
//! leptos_router still gives the rest: `<Router>` (the location, link
//! clicks, history), `<A>`, `use_navigate`, `use_query_map`. Screens read
//! their path parameters with `use_params_map()` as before: [`Screens`]
//! provides the map that hook reads.
//!
//! A tapped link's URL is pushed to the history when the new screen's
//! path is matched (`<Routes>` waited for the screen's part; a part is
//! mostly fetched ahead, so the difference is rarely seen).
//!
//! As with `<Routes>`, moving to another path of the same screen (one
//! card to another) keeps the screen and changes only its parameters; a
//! screen is built anew when the path names another screen.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use leptos_router::location::{BrowserUrl, LocationProvider};
use leptos_router::params::ParamsMap;

use crate::lazy::PartMissing;

/// Builds a screen's view.
pub type Make = fn() -> AnyView;

/// A part being fetched, giving its screen's [`Make`] once it is here.
pub type Loading = Pin<Box<dyn Future<Output = Result<Make, PartMissing>>>>;

/// Where a screen's code lives.
#[derive(Clone, Copy)]
pub enum Screen {
    /// In the main module: shown at once.
    Here(Make),
    /// In a lazily loaded part (`crate::lazy_screens!`): shown once the
    /// part is fetched, or `crate::lazy::part_missing` when it cannot be.
    Part(fn() -> Loading),
}

/// A path pattern and its screen. A pattern is absolute; a segment
/// `:name` matches any one segment and names it as a parameter.
#[derive(Clone, Copy)]
pub struct Route {
    pub path: &'static str,
    pub screen: Screen,
}

impl Route {
    pub const fn here(path: &'static str, make: Make) -> Route {
        Route {
            path,
            screen: Screen::Here(make),
        }
    }

    pub const fn part(path: &'static str, load: fn() -> Loading) -> Route {
        Route {
            path,
            screen: Screen::Part(load),
        }
    }
}

/// A path matched: the route's place in the table and its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// (table, route within it).
    pub at: (usize, usize),
    pub params: Vec<(&'static str, String)>,
}

/// The first route, in table order, whose pattern `path` matches (so a
/// fixed segment listed before a parameter wins: `/posts/new` before
/// `/posts/:id`). A trailing `/` is ignored; the query is not part of
/// `path`.
pub fn find(tables: &[&[Route]], path: &str) -> Option<Found> {
    let path = match path.strip_suffix('/') {
        Some(trimmed) if !trimmed.is_empty() => trimmed,
        _ => path,
    };
    tables.iter().enumerate().find_map(|(t, table)| {
        table.iter().enumerate().find_map(|(r, route)| {
            matches(route.path, path).map(|params| Found { at: (t, r), params })
        })
    })
}

/// `path`'s parameters when it matches `pattern`.
fn matches(pattern: &'static str, path: &str) -> Option<Vec<(&'static str, String)>> {
    let mut params = Vec::new();
    let mut wanted = pattern.split('/');
    let mut given = path.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return Some(params),
            (Some(w), Some(g)) => match w.strip_prefix(':') {
                Some(name) if !g.is_empty() => params.push((name, g.to_string())),
                None if w == g => {}
                _ => return None,
            },
            _ => return None,
        }
    }
}

/// The screen the current path names, or `not_found`. Provides the path
/// parameters that `use_params_map()` reads.
pub fn screens(tables: &'static [&'static [Route]], not_found: Make) -> impl IntoView {
    let location = use_location();
    let found = Memo::new(move |_| location.pathname.with(|path| find(tables, path)));
    let params = ArcMemo::new(move |_| {
        let mut map = ParamsMap::new();
        found.with(|f| {
            for (name, value) in f.iter().flat_map(|f| &f.params) {
                map.insert(*name, value.clone());
            }
        });
        map
    });
    provide_context(params);
    // A tapped link's URL enters the history once the router is told the
    // new screen is on its way (`<Routes>` told it; this table must too,
    // or the address bar and 返回 would stay on the screen before).
    let router = use_context::<BrowserUrl>();
    Effect::new(move |_| {
        location.pathname.track();
        if let Some(router) = &router {
            router.ready_to_complete();
        }
    });
    let at = Memo::new(move |_| found.with(|f| f.as_ref().map(|f| f.at)));
    move || match at.get() {
        Some((t, r)) => match tables[t][r].screen {
            Screen::Here(make) => make(),
            Screen::Part(load) => crate::lazy::later(load).into_any(),
        },
        None => not_found(),
    }
}
