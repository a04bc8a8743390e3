//! The 巡察 section: badge spot checks, rosters, tallies, rankings.

use super::messages;

messages! {
    /// The 巡察 section: badge spot checks, rosters, tallies, rankings.
    SpotMsg {
        Title => "佩戴党徽巡察", "Badge spot checks";
        Empty => "还没有巡察记录。巡察功能即将上线：逐人记录佩戴情况，自动提醒、批评、警告并通报。", "No spot checks yet. Coming soon: record badge wearing member by member; reminders, criticism and warnings follow automatically.";
    }
}
