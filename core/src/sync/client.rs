//! The phone's side of a sync session as a state machine: push the outbox
//! in batches until it is acknowledged, then pull pages until there are no
//! more. The app performs each [`Step`] over HTTP and feeds the answers
//! back; this type never does IO.

use super::change::Change;
use super::push::MAX_BATCH;
use super::wire::{PullRequest, PullResponse, PushRequest, PushResponse, MAX_PULL_PAGE};

/// What the app should do next.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Push(PushRequest),
    Pull(PullRequest),
    /// The session is complete: outbox acknowledged, log read to the end.
    Done,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Push,
    Pull,
    Done,
}

/// One sync session.
#[derive(Clone, Debug)]
pub struct ClientSync {
    phase: Phase,
    cursor: u64,
    acked: u64,
    batch: usize,
    /// The last number of the batch in flight, to notice a push that made no progress.
    in_flight: Option<u64>,
}

impl ClientSync {
    /// Starts a session from the cursor saved after the last one.
    pub fn new(cursor: u64) -> Self {
        Self {
            phase: Phase::Push,
            cursor,
            acked: 0,
            batch: MAX_BATCH,
            in_flight: None,
        }
    }

    /// Uses smaller batches (at least 1).
    pub fn with_batch(mut self, batch: usize) -> Self {
        self.batch = batch.clamp(1, MAX_BATCH);
        self
    }

    /// The next step, given the unacknowledged outbox in `seq` order.
    pub fn next(&mut self, outbox: &[Change]) -> Step {
        if self.phase == Phase::Push {
            let batch: Vec<Change> = outbox
                .iter()
                .filter(|c| c.seq > self.acked)
                .take(self.batch)
                .cloned()
                .collect();
            if let Some(last) = batch.last() {
                self.in_flight = Some(last.seq);
                return Step::Push(PushRequest { changes: batch });
            }
            self.phase = Phase::Pull;
        }
        match self.phase {
            Phase::Pull => Step::Pull(PullRequest {
                cursor: self.cursor,
                limit: Some(MAX_PULL_PAGE),
            }),
            _ => Step::Done,
        }
    }

    /// Records a push answer; returns the number up to which outbox entries
    /// may be deleted (they are acknowledged).
    pub fn on_push(&mut self, response: &PushResponse) -> u64 {
        self.acked = self.acked.max(response.last_seq);
        if self.in_flight.take().is_some_and(|sent| self.acked < sent) {
            // The server did not take the batch: stop pushing this session.
            self.phase = Phase::Pull;
        }
        self.acked
    }

    /// Records a pull page; returns the acknowledged number as in
    /// [`on_push`](Self::on_push). Save [`cursor`](Self::cursor) with the
    /// page's changes in the same storage transaction.
    pub fn on_pull(&mut self, response: &PullResponse) -> u64 {
        self.cursor = self.cursor.max(response.cursor);
        self.acked = self.acked.max(response.last_seq);
        if !response.more {
            self.phase = Phase::Done;
        }
        self.acked
    }

    pub fn cursor(&self) -> u64 {
        self.cursor
    }

    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }
}

#[cfg(test)]
mod tests {
    //! A whole session against a tiny in-memory server built from the same
    //! rules, with answers lost on the way: nothing lost, nothing doubled.
    use super::*;
    use crate::ids::DeviceId;
    use crate::schema::RecordKind;
    use crate::sync::{fact_outcome, plan_push, FactOutcome, Hlc, Op, ServerChange};
    use proptest::prelude::*;
    use serde_json::json;
    use std::collections::BTreeMap;
    use uuid::Uuid;

    #[derive(Default)]
    struct Server {
        last_seq: u64,
        facts: BTreeMap<Uuid, String>,
        log: Vec<ServerChange>,
    }

    impl Server {
        fn push(&mut self, req: &PushRequest) -> PushResponse {
            let plan = plan_push(self.last_seq, &req.changes).expect("valid batch");
            for change in &req.changes[plan.skip..] {
                let Op::Insert { record } = &change.op else {
                    unreachable!()
                };
                let stored = self.facts.get(&change.id).map(String::as_str);
                if fact_outcome(change.kind, change.id, stored, record).unwrap() == FactOutcome::New
                {
                    self.facts
                        .insert(change.id, crate::sync::canonical_json(record));
                    self.log.push(ServerChange {
                        server_seq: self.log.len() as u64 + 1,
                        device: change.hlc.device,
                        change: change.clone(),
                    });
                }
            }
            self.last_seq = plan.new_last_seq;
            PushResponse {
                last_seq: self.last_seq,
                server_time_ms: 0,
            }
        }

        fn pull(&self, req: &PullRequest, page: usize) -> PullResponse {
            let rest: Vec<_> = self
                .log
                .iter()
                .filter(|c| c.server_seq > req.cursor)
                .collect();
            let changes: Vec<ServerChange> = rest.iter().take(page).map(|c| (*c).clone()).collect();
            PullResponse {
                cursor: changes.last().map_or(req.cursor, |c| c.server_seq),
                more: rest.len() > page,
                changes,
                last_seq: self.last_seq,
                log_end: self.log.last().map_or(0, |c| c.server_seq),
            }
        }
    }

    fn outbox(n: u64) -> Vec<Change> {
        (1..=n)
            .map(|seq| Change {
                schema: 1,
                seq,
                kind: RecordKind::Visit,
                id: Uuid::from_u128(seq as u128),
                hlc: Hlc::zero(DeviceId::from_u128(7)),
                op: Op::Insert {
                    record: json!({"n": seq}),
                },
            })
            .collect()
    }

    /// Runs sessions until one completes; `lose` says which answers vanish.
    fn run(
        server: &mut Server,
        mut out: Vec<Change>,
        batch: usize,
        page: usize,
        lose: &mut impl FnMut() -> bool,
    ) -> (Vec<Change>, Vec<ServerChange>) {
        let mut cursor = 0;
        let mut phone: Vec<ServerChange> = Vec::new();
        for _session in 0..1000 {
            let mut sync = ClientSync::new(cursor).with_batch(batch);
            loop {
                match sync.next(&out) {
                    Step::Push(req) => {
                        let resp = server.push(&req); // the server always applies…
                        if lose() {
                            break;
                        } // …but the answer may be lost
                        let acked = sync.on_push(&resp);
                        out.retain(|c| c.seq > acked);
                    }
                    Step::Pull(req) => {
                        let resp = server.pull(&req, page);
                        if lose() {
                            break;
                        }
                        phone.extend(resp.changes.iter().cloned());
                        let acked = sync.on_pull(&resp);
                        out.retain(|c| c.seq > acked);
                        cursor = sync.cursor();
                    }
                    Step::Done => return (out, phone),
                }
            }
        }
        panic!("never completed");
    }

    #[test]
    fn a_clean_session_drains_the_outbox_and_reads_the_log() {
        let mut server = Server::default();
        let (out, phone) = run(&mut server, outbox(25), 10, 7, &mut || false);
        assert!(out.is_empty());
        assert_eq!(server.facts.len(), 25);
        assert_eq!(phone.len(), 25);
    }

    proptest! {
        #[test]
        fn lost_answers_lose_and_double_nothing(n in 1u64..60, batch in 1usize..20, page in 1usize..20, seed in any::<u64>()) {
            let mut server = Server::default();
            let mut s = seed | 1;
            let mut lose = move || { s ^= s << 13; s ^= s >> 7; s ^= s << 17; s % 3 == 0 };
            let (out, phone) = run(&mut server, outbox(n), batch, page, &mut lose);
            prop_assert!(out.is_empty());
            prop_assert_eq!(server.facts.len() as u64, n);
            prop_assert_eq!(server.log.len() as u64, n);
            let mut ids: Vec<_> = phone.iter().map(|c| c.change.id).collect();
            ids.sort();
            ids.dedup();
            prop_assert_eq!(ids.len() as u64, n);
        }
    }
}
