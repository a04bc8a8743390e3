//! Input generators: hostile text and numbers, arbitrary JSON from
//! scratch, and mutations of valid inputs (JSON-aware edits at any path,
//! and byte edits of the encoded form). All are proptest strategies, so a
//! failing input shrinks to a small one.

use proptest::prelude::*;
use serde_json::{Number, Value};

/// Strings a tester would try: controls, escapes, odd Unicode, injections,
/// numbers and dates as text, sizes around every limit.
const SPECIALS: &[&str] = &[
    "",
    " ",
    "\0",
    "\0\0\0",
    "王\0秀茗",
    "\u{1b}[31m红\u{1b}[0m",
    "\u{1b}]0;title\u{7}",
    "\u{9b}2J",
    "\u{85}",
    "\u{7f}",
    "a\r\nb",
    "第一行\n第二行",
    "\t",
    "\u{3000}",
    " 教育局 ",
    "e\u{301}",
    "\u{f900}",
    "\u{202e}evil",
    "\u{feff}",
    "\u{200b}",
    "\u{fffd}",
    "𝕏😀",
    "\u{10ffff}",
    "null",
    "true",
    "0",
    "-1",
    "1e999",
    "NaN",
    "2005-02-30",
    "2005-02-20",
    "9999-12-31",
    "0000-01-01",
    "2005-W53",
    "2010-H2",
    "2010-H3",
    "2005-03-14T09:30:00+08:00",
    "2005-03-14T25:30:00+08:00",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "\\u0000",
    "{\"a\":1}",
    "insert",
    "set",
    "office",
    "city",
    "branch",
    "village",
    "unit_organisation",
    "pending",
    "unit",
    "public",
    "wearing",
    "not_wearing",
    "excused",
    "funds",
    "project",
    "inspector",
    "member",
    "accepted",
    "returned",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "01930000-0000-7000-8000-00000000000G",
];

/// Hostile or ordinary text; `ids` adds the ids of the world under test,
/// so mutations reach records that exist (and places the phone may not write).
pub fn text(mut ids: Vec<String>) -> BoxedStrategy<String> {
    if ids.is_empty() {
        ids.push(uuid::Uuid::nil().to_string());
    }
    let long = prop_oneof![
        Just(99usize),
        Just(100),
        Just(101),
        Just(2_000),
        Just(2_001),
        Just(20_001),
        Just(200_000)
    ];
    prop_oneof![
        3 => prop::sample::select(SPECIALS).prop_map(str::to_owned),
        2 => any::<String>(),
        2 => "[a-z_]{0,12}",
        2 => "[\u{4e00}-\u{9fa5}]{1,12}",
        2 => prop::sample::select(ids),
        1 => any::<u128>().prop_map(|n| uuid::Uuid::from_u128(n).to_string()),
        1 => (long, prop::sample::select(&["x", "字", "😀", "\0", " "][..]))
            .prop_map(|(n, c)| c.repeat(n)),
    ]
    .boxed()
}

/// Numbers at the edges of every integer type, and a few floats.
pub fn number() -> BoxedStrategy<Value> {
    let int = prop::sample::select(vec![
        0i128,
        1,
        -1,
        2,
        5,
        30,
        31,
        100,
        101,
        255,
        256,
        i128::from(u32::MAX),
        i128::from(u32::MAX) + 1,
        i128::from(i64::MAX),
        i128::from(i64::MIN),
        (1i128 << 53) - 1,
        1i128 << 53,
        i128::from(u64::MAX),
    ]);
    prop_oneof![
        3 => int.prop_map(|n| {
            u64::try_from(n)
                .map(Number::from)
                .or_else(|_| i64::try_from(n).map(Number::from))
                .map(Value::Number)
                .unwrap_or(Value::Null)
        }),
        1 => any::<i64>().prop_map(|n| Value::Number(n.into())),
        1 => prop::sample::select(vec![0.5f64, -0.0, 1e308, -1e308, 3.5, 1e-9])
            .prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
    ]
    .boxed()
}

/// Arbitrary JSON, keys drawn from the records' own field names so deep
/// structures look plausible to the decoders.
pub fn json(ids: Vec<String>) -> BoxedStrategy<Value> {
    let key = prop_oneof![
        3 => prop::sample::select(FIELD_NAMES).prop_map(str::to_owned),
        1 => text(Vec::new()),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text(ids).prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
    .boxed()
}

/// Field names of the records and messages (for generated keys).
const FIELD_NAMES: &[&str] = &[
    "id",
    "schema",
    "seq",
    "kind",
    "hlc",
    "wall",
    "counter",
    "device",
    "op",
    "record",
    "fields",
    "seen",
    "changes",
    "cursor",
    "limit",
    "name",
    "system",
    "unit",
    "branch",
    "village",
    "member",
    "post_type",
    "status",
    "units",
    "group",
    "inspector",
    "check",
    "outcome",
    "reason",
    "place",
    "description",
    "at",
    "mode",
    "note",
    "post",
    "promise",
    "items",
    "text",
    "fulfilment",
    "period",
    "deadline",
    "filed_on",
    "on",
    "rating",
    "comment",
    "reviewer",
    "badge_worn",
    "plate_shown",
    "service",
    "head",
    "size",
    "attribute",
    "causes",
    "contact",
    "household",
    "since",
    "until",
    "problems",
    "support",
    "amount",
    "value",
    "area",
    "resolved_on",
    "summary",
    "submitted_to",
    "to",
    "submitted_on",
    "report",
    "by",
    "decision",
    "version",
    "weights",
    "code",
    "device_name",
    "role",
    "scope",
    "level",
    "token",
];

/// One JSON-aware edit; indexes pick a node modulo the nodes there are.
#[derive(Clone, Debug)]
pub enum Edit {
    /// Replace any node (not the root) with this value.
    Replace(usize, Value),
    /// Remove an object member or array element.
    Remove(usize),
    /// Add a member to an object.
    Add(usize, String, Value),
    /// Replace a string with this text.
    Text(usize, String),
    /// Replace a number with this one.
    Number(usize, Value),
}

pub fn edits(ids: Vec<String>) -> BoxedStrategy<Vec<Edit>> {
    let edit = prop_oneof![
        1 => (any::<usize>(), json(ids.clone())).prop_map(|(i, v)| Edit::Replace(i, v)),
        1 => any::<usize>().prop_map(Edit::Remove),
        1 => (any::<usize>(), prop::sample::select(FIELD_NAMES), json(ids.clone()))
            .prop_map(|(i, k, v)| Edit::Add(i, k.to_owned(), v)),
        4 => (any::<usize>(), text(ids)).prop_map(|(i, t)| Edit::Text(i, t)),
        2 => (any::<usize>(), number()).prop_map(|(i, n)| Edit::Number(i, n)),
    ];
    prop::collection::vec(edit, 0..4).boxed()
}

/// JSON pointers to every node, by kind of node.
#[derive(Default)]
struct Nodes {
    all: Vec<String>,
    objects: Vec<String>,
    strings: Vec<String>,
    numbers: Vec<String>,
}

fn walk(value: &Value, at: String, nodes: &mut Nodes) {
    match value {
        Value::Object(map) => {
            nodes.objects.push(at.clone());
            for (k, v) in map {
                let key = k.replace('~', "~0").replace('/', "~1");
                walk(v, format!("{at}/{key}"), nodes);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, format!("{at}/{i}"), nodes);
            }
        }
        Value::String(_) => nodes.strings.push(at.clone()),
        Value::Number(_) => nodes.numbers.push(at.clone()),
        _ => {}
    }
    nodes.all.push(at);
}

fn pick(list: &[String], i: usize) -> Option<&str> {
    (!list.is_empty()).then(|| list[i % list.len()].as_str())
}

/// Applies the edits in order to a copy of `seed`.
pub fn apply(seed: &Value, edits: &[Edit]) -> Value {
    let mut value = seed.clone();
    for edit in edits {
        let mut nodes = Nodes::default();
        walk(&value, String::new(), &mut nodes);
        nodes.all.retain(|p| !p.is_empty());
        match edit {
            Edit::Replace(i, v) => {
                if let Some(at) = pick(&nodes.all, *i) {
                    if let Some(node) = value.pointer_mut(at) {
                        *node = v.clone();
                    }
                }
            }
            Edit::Text(i, t) => {
                if let Some(at) = pick(&nodes.strings, *i) {
                    if let Some(node) = value.pointer_mut(at) {
                        *node = Value::String(t.clone());
                    }
                }
            }
            Edit::Number(i, n) => {
                if let Some(at) = pick(&nodes.numbers, *i) {
                    if let Some(node) = value.pointer_mut(at) {
                        *node = n.clone();
                    }
                }
            }
            Edit::Add(i, k, v) => {
                if let Some(at) = pick(&nodes.objects, *i) {
                    if let Some(Value::Object(map)) = value.pointer_mut(at) {
                        map.insert(k.clone(), v.clone());
                    }
                }
            }
            Edit::Remove(i) => {
                if let Some(at) = pick(&nodes.all, *i) {
                    let (parent, last) = at.rsplit_once('/').unwrap_or(("", at));
                    let last = last.replace("~1", "/").replace("~0", "~");
                    match value.pointer_mut(parent) {
                        Some(Value::Object(map)) => {
                            map.remove(&last);
                        }
                        Some(Value::Array(items)) => {
                            if let Ok(n) = last.parse::<usize>() {
                                if n < items.len() {
                                    items.remove(n);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    value
}

/// One byte-level edit of an encoded input.
#[derive(Clone, Debug)]
pub enum ByteEdit {
    Set(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Truncate(usize),
}

pub fn byte_edits() -> BoxedStrategy<Vec<ByteEdit>> {
    let edit = prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| ByteEdit::Set(i, b)),
        (
            any::<usize>(),
            prop::sample::select(b"{}[]\",:\\0\x00\xff".to_vec())
        )
            .prop_map(|(i, b)| ByteEdit::Insert(i, b)),
        any::<usize>().prop_map(ByteEdit::Delete),
        any::<usize>().prop_map(ByteEdit::Truncate),
    ];
    prop::collection::vec(edit, 1..4).boxed()
}

pub fn apply_bytes(mut bytes: Vec<u8>, edits: &[ByteEdit]) -> Vec<u8> {
    for edit in edits {
        let len = bytes.len();
        match *edit {
            ByteEdit::Set(i, b) if len > 0 => bytes[i % len] = b,
            ByteEdit::Insert(i, b) => bytes.insert(i % (len + 1), b),
            ByteEdit::Delete(i) if len > 0 => {
                bytes.remove(i % len);
            }
            ByteEdit::Truncate(i) => bytes.truncate(i % (len + 1)),
            _ => {}
        }
    }
    bytes
}
