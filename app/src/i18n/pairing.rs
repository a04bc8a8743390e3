//! The 结对帮扶 section: household cards, visits, support, reports, totals.

use super::messages;

messages! {
    /// The 结对帮扶 section: household cards, visits, support, reports, totals.
    PairMsg {
        Title => "结对帮扶", "Pairing with households";
        Empty => "还没有结对帮扶登记卡。即将上线：登记卡、走访、资金物资和生产扶持、情况反映与汇总。", "No pairing cards yet. Coming soon: registration cards, visits, support in funds, goods and production, reports and totals.";
    }
}
