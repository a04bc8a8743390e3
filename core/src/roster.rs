//! Roster import (党员名册): a CSV file of members → a preview with per-row
//! errors → the branch and member records to store, only on confirmation.
//!
//! Why here: the office and cadres import rosters on the phone and the
//! server may import them too; the columns, the accepted spellings and the
//! errors must be the same everywhere. Parsing is pure; ids are handed in.
//!
//! Columns are found by their header, in Chinese or English, in any order:
//! 姓名/name, 支部/branch, 岗位类型/post_type, 状态/status (optional,
//! default 在岗). Values may be the Chinese label or the English code
//! (`领导岗位` or `leadership`). A byte-order mark and blank lines are fine.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{DomainError, Lang};
use crate::ids::{BranchId, MemberId, UnitId};
use crate::order;
use crate::org::{Branch, Member, MemberStatus, PostType};
use crate::validate::clean;

/// The most rows one import takes (000's whole institute had 552 members).
pub const MAX_ROWS: usize = 5_000;

/// One valid row of the file. `line` is the 1-based line in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterRow {
    pub line: usize,
    pub name: String,
    pub branch: String,
    pub post_type: PostType,
    pub status: MemberStatus,
}

/// A row that cannot be imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub error: DomainError,
}

/// What the user confirms before anything is stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RosterPreview {
    pub rows: Vec<RosterRow>,
    pub errors: Vec<RowError>,
}

impl RosterPreview {
    /// Branch names in the file that the unit does not have yet.
    pub fn new_branches(&self, existing: &[Branch]) -> Vec<String> {
        let known: BTreeSet<&str> = existing.iter().map(|b| b.name.as_str()).collect();
        let wanted: BTreeSet<&str> = self.rows.iter().map(|r| r.branch.as_str()).collect();
        wanted.difference(&known).map(|s| s.to_string()).collect()
    }

    /// Moves rows naming a member the unit already has (same name in a
    /// branch of the same name) to the errors as duplicates, so importing
    /// the same file twice adds nobody twice. Errors stay in line order.
    pub fn skip_existing(&mut self, unit: UnitId, branches: &[Branch], members: &[Member]) {
        let names: BTreeMap<BranchId, &str> = branches
            .iter()
            .filter(|b| b.unit == unit)
            .map(|b| (b.id, b.name.as_str()))
            .collect();
        let present: BTreeSet<(&str, &str)> = members
            .iter()
            .filter_map(|m| Some((*names.get(&m.branch)?, m.name.as_str())))
            .collect();
        let (known, fresh): (Vec<RosterRow>, Vec<RosterRow>) = std::mem::take(&mut self.rows)
            .into_iter()
            .partition(|r| present.contains(&(r.branch.as_str(), r.name.as_str())));
        self.rows = fresh;
        self.errors.extend(known.into_iter().map(|r| RowError {
            line: r.line,
            error: DomainError::Duplicate {
                field: "member_name",
                value: r.name,
            },
        }));
        order::sort_by_key(&mut self.errors, |e| e.line);
    }

    /// The records to store for `unit`: new branches (reusing existing ones
    /// by name) and one member per row. `new_id` supplies fresh UUIDs.
    pub fn into_records(
        &self,
        unit: UnitId,
        existing: &[Branch],
        mut new_id: impl FnMut() -> uuid::Uuid,
    ) -> Result<(Vec<Branch>, Vec<Member>), DomainError> {
        let mut branch_ids: BTreeMap<String, BranchId> = existing
            .iter()
            .filter(|b| b.unit == unit)
            .map(|b| (b.name.clone(), b.id))
            .collect();
        let mut branches = Vec::new();
        for name in self.new_branches(
            &existing
                .iter()
                .filter(|b| b.unit == unit)
                .cloned()
                .collect::<Vec<_>>(),
        ) {
            let branch = Branch::new(BranchId::from_uuid(new_id()), unit, name.clone())?;
            branch_ids.insert(name, branch.id);
            branches.push(branch);
        }
        let members = self
            .rows
            .iter()
            .map(|r| {
                Member::new(
                    MemberId::from_uuid(new_id()),
                    r.name.clone(),
                    branch_ids[&r.branch],
                    r.post_type,
                    r.status,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok((branches, members))
    }
}

const NAME: (&str, &str) = ("姓名", "name");
const BRANCH: (&str, &str) = ("支部", "branch");
const POST_TYPE: (&str, &str) = ("岗位类型", "post_type");
const STATUS: (&str, &str) = ("状态", "status");

fn column(headers: &csv::StringRecord, (zh, en): (&str, &str)) -> Option<usize> {
    headers.iter().position(|h| {
        let h = h.trim().trim_start_matches('\u{feff}');
        h == zh || h.eq_ignore_ascii_case(en)
    })
}

/// Reads a labelled value by its Chinese label, English label or code.
fn parse_labelled<T: Copy>(
    all: &[T],
    text: &str,
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T, Lang) -> &'static str,
) -> Option<T> {
    let text = text.trim();
    all.iter().copied().find(|&v| {
        code(v).eq_ignore_ascii_case(text)
            || label(v, Lang::ZhCn) == text
            || label(v, Lang::En).eq_ignore_ascii_case(text)
    })
}

/// Parses a roster file. A file-level problem (unreadable, a needed
/// column missing, too many rows) is an `Err`; row problems are listed in
/// the preview and those rows are left out.
pub fn parse_roster(text: &str) -> Result<RosterPreview, DomainError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| DomainError::InvalidCsv {
            detail: e.to_string(),
        })?
        .clone();
    let name_col = column(&headers, NAME).ok_or(DomainError::MissingColumn {
        column: "member_name",
    })?;
    let branch_col =
        column(&headers, BRANCH).ok_or(DomainError::MissingColumn { column: "branch" })?;
    let post_col = column(&headers, POST_TYPE).ok_or(DomainError::MissingColumn {
        column: "post_type",
    })?;
    let status_col = column(&headers, STATUS);

    let mut preview = RosterPreview::default();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    for result in reader.records() {
        let record = result.map_err(|e| DomainError::InvalidCsv {
            detail: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        if preview.rows.len() + preview.errors.len() >= MAX_ROWS {
            return Err(DomainError::OutOfRange {
                field: "rows",
                value: (MAX_ROWS + 1) as i64,
                min: 1,
                max: MAX_ROWS as i64,
            });
        }
        let field = |col: usize| record.get(col).unwrap_or("");
        let row = (|| {
            let name = clean(field(name_col));
            crate::validate::name("member_name", &name)?;
            let branch = clean(field(branch_col));
            crate::validate::name("branch", &branch)?;
            let post_text = field(post_col);
            let post_type =
                parse_labelled(PostType::ALL, post_text, PostType::code, PostType::label).ok_or(
                    DomainError::UnknownValue {
                        field: "post_type",
                        value: post_text.to_string(),
                    },
                )?;
            let status_text = status_col.map(field).unwrap_or("");
            let status = if status_text.is_empty() {
                MemberStatus::InPost
            } else {
                parse_labelled(
                    MemberStatus::ALL,
                    status_text,
                    MemberStatus::code,
                    MemberStatus::label,
                )
                .ok_or(DomainError::UnknownValue {
                    field: "status",
                    value: status_text.to_string(),
                })?
            };
            if !seen.insert((branch.clone(), name.clone())) {
                return Err(DomainError::Duplicate {
                    field: "member_name",
                    value: name,
                });
            }
            Ok(RosterRow {
                line,
                name,
                branch,
                post_type,
                status,
            })
        })();
        match row {
            Ok(row) => preview.rows.push(row),
            Err(error) => preview.errors.push(RowError { line, error }),
        }
    }
    Ok(preview)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_chinese_and_english_headers_and_values() {
        let text = "\u{feff}姓名,支部,岗位类型,状态\n张三,第一支部,领导岗位,在岗\n李四,第一支部,research,\n王五,第二支部,离退休,年老体弱\n\n";
        let p = parse_roster(text).unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let got: Vec<_> = p
            .rows
            .iter()
            .map(|r| {
                (
                    r.line,
                    r.name.as_str(),
                    r.branch.as_str(),
                    r.post_type,
                    r.status,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    2,
                    "张三",
                    "第一支部",
                    PostType::Leadership,
                    MemberStatus::InPost
                ),
                (
                    3,
                    "李四",
                    "第一支部",
                    PostType::Research,
                    MemberStatus::InPost
                ),
                (
                    4,
                    "王五",
                    "第二支部",
                    PostType::Retired,
                    MemberStatus::Frail
                ),
            ]
        );
        let english = "branch,name,post_type\nBranch 1,Zhang San,Leadership\n";
        assert_eq!(parse_roster(english).unwrap().rows[0].name, "Zhang San");
    }

    #[test]
    fn row_errors_are_listed_with_their_line() {
        let text = "姓名,支部,岗位类型,状态\n,第一支部,领导岗位,\n张三,第一支部,厨师,\n李四,第一支部,研究岗位,出差\n赵六,第一支部,研究岗位,\n赵六,第一支部,研究岗位,\n";
        let p = parse_roster(text).unwrap();
        let errs: Vec<_> = p.errors.iter().map(|e| (e.line, e.error.code())).collect();
        assert_eq!(
            errs,
            vec![
                (2, "empty_name"),
                (3, "unknown_value"),
                (4, "unknown_value"),
                (6, "duplicate")
            ]
        );
        assert_eq!(p.rows.len(), 1);
        assert_eq!(
            p.errors[1].error.message(Lang::ZhCn),
            "岗位类型的取值“厨师”无法识别"
        );
    }

    #[test]
    fn file_level_problems_are_errors() {
        assert_eq!(
            parse_roster("姓名,岗位类型\n张三,领导岗位\n")
                .unwrap_err()
                .code(),
            "missing_column"
        );
        let big: String = std::iter::once("姓名,支部,岗位类型\n".to_string())
            .chain((0..=MAX_ROWS).map(|i| format!("人{i},支部,研究岗位\n")))
            .collect();
        assert_eq!(parse_roster(&big).unwrap_err().code(), "out_of_range");
    }

    #[test]
    fn rows_already_in_the_unit_become_duplicates() {
        let unit = UnitId::from_u128(1);
        let other = UnitId::from_u128(9);
        let b1 = Branch::new(BranchId::from_u128(2), unit, "第一支部").unwrap();
        let b9 = Branch::new(BranchId::from_u128(3), other, "第二支部").unwrap();
        let member = |n: u128, name: &str, b: &Branch| {
            Member::new(
                MemberId::from_u128(n),
                name,
                b.id,
                PostType::Research,
                MemberStatus::InPost,
            )
            .unwrap()
        };
        let members = [member(10, "张三", &b1), member(11, "李四", &b9)];
        let mut p = parse_roster(
            "姓名,支部,岗位类型\n张三,第一支部,领导岗位\n张三,第二支部,研究岗位\n李四,第二支部,研究岗位\n王五,,研究岗位\n",
        )
        .unwrap();
        p.skip_existing(unit, &[b1, b9], &members);
        let rows: Vec<(usize, &str, &str)> = p
            .rows
            .iter()
            .map(|r| (r.line, r.name.as_str(), r.branch.as_str()))
            .collect();
        // 李四 is in a 第二支部 of another unit: new here.
        assert_eq!(rows, vec![(3, "张三", "第二支部"), (4, "李四", "第二支部")]);
        let errs: Vec<(usize, &str)> = p.errors.iter().map(|e| (e.line, e.error.code())).collect();
        assert_eq!(errs, vec![(2, "duplicate"), (5, "empty_name")]);
        assert_eq!(p.errors[0].error.message(Lang::ZhCn), "姓名中“张三”重复");
    }

    #[test]
    fn records_reuse_existing_branches_by_name() {
        let unit = UnitId::from_u128(1);
        let existing = [Branch::new(BranchId::from_u128(2), unit, "第一支部").unwrap()];
        let p =
            parse_roster("姓名,支部,岗位类型\n张三,第一支部,领导岗位\n李四,第二支部,研究岗位\n")
                .unwrap();
        assert_eq!(p.new_branches(&existing), vec!["第二支部".to_string()]);
        let mut n = 100u128;
        let (branches, members) = p
            .into_records(unit, &existing, || {
                n += 1;
                uuid::Uuid::from_u128(n)
            })
            .unwrap();
        assert_eq!(branches.len(), 1);
        assert_eq!(members[0].branch, BranchId::from_u128(2));
        assert_eq!(members[1].branch, branches[0].id);
    }
}
