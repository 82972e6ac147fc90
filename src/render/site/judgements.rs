//! The judgements report pages are made from, each made when first needed and let go of after
//! its last use. A report page shows its proposal's judgement and compares it with the
//! vendor's meeting before, so a judgement has up to two users: its own page and the page of
//! the vendor's next meeting, whichever comes last lets it go. Holding every judgement until
//! the end of a build was 210 MB of the 355 MB a build with every page made took at 10,000
//! proposals. Now a judgement is held only while one of its two pages is still to be made:
//! pages are made newest first, so about one per vendor (11 to 32 at a time for the 10
//! vendors of the benchmark; at worst half of them, were every vendor met twice).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::judge::judge;
use crate::judge::judgement::Judgement;
use crate::model::framework::Framework;
use crate::model::proposal::Proposal;

/// One judgement per proposal, by index.
pub struct Judgements<'a> {
    framework: &'a Framework,
    slots: Vec<Slot<'a>>,
}

struct Slot<'a> {
    proposal: &'a Proposal,
    held: Mutex<Option<Arc<Judgement<'a>>>>,
    /// Users that have not said they are done with it.
    users: AtomicUsize,
}

impl<'a> Judgements<'a> {
    /// A slot for each proposal, with how many users will say they are done with it.
    pub fn new(
        framework: &'a Framework,
        proposals: impl IntoIterator<Item = (&'a Proposal, usize)>,
    ) -> Self {
        let slots = proposals
            .into_iter()
            .map(|(proposal, users)| Slot {
                proposal,
                held: Mutex::new(None),
                users: AtomicUsize::new(users),
            })
            .collect();
        Judgements { framework, slots }
    }

    /// The judgement of proposal `i`, made now when no one holds it. Judging is pure, so one
    /// asked for again after its users let it go (which a build does not do) is the same.
    pub fn get(&self, i: usize) -> Arc<Judgement<'a>> {
        let slot = &self.slots[i];
        let mut held = slot.held.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(held.get_or_insert_with(|| Arc::new(judge(self.framework, slot.proposal))))
    }

    /// One user of proposal `i`'s judgement is done with it (whether it used it or not); the
    /// last one lets it go. Each user says so once: one more is a miscount (a debug build
    /// stops there; a release build lets the judgement go, and it is made again if asked for).
    pub fn done(&self, i: usize) {
        let slot = &self.slots[i];
        let before = slot
            .users
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
        debug_assert!(
            before.is_ok(),
            "judgement {i}: more users done than counted"
        );
        if matches!(before, Ok(1) | Err(0)) {
            slot.held
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
        }
    }

    /// Whether proposal `i`'s judgement is held.
    fn is_held(&self, i: usize) -> bool {
        self.slots[i]
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }
}

/// In a debug build (every test), a build whose counts were wrong stops here: a judgement
/// still held, or a user that never said it was done, would be memory kept for nothing.
impl Drop for Judgements<'_> {
    fn drop(&mut self) {
        if cfg!(debug_assertions) && !std::thread::panicking() {
            for (i, slot) in self.slots.iter().enumerate() {
                let users = slot.users.load(Ordering::Acquire);
                assert!(
                    users == 0 && !self.is_held(i),
                    "judgement {i}: {users} users left"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{ContentDir, load_content};

    fn with_content(test: impl FnOnce(&crate::content::Content)) {
        let dir = ContentDir::new(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
        let content = load_content(&dir).expect("the shipped content loads");
        test(&content);
    }

    #[test]
    fn made_once_shared_and_let_go_after_the_last_user() {
        with_content(|content| {
            let (_, proposal) = content.proposals.first().expect("a proposal");
            let judgements = Judgements::new(&content.framework, [(proposal, 2)]);
            assert!(!judgements.is_held(0));
            let first = judgements.get(0);
            let second = judgements.get(0);
            assert!(Arc::ptr_eq(&first, &second), "made once, then shared");
            assert_eq!(*first, judge(&content.framework, proposal));
            judgements.done(0);
            assert!(judgements.is_held(0), "one user is left");
            judgements.done(0);
            assert!(!judgements.is_held(0), "the last user lets it go");
        });
    }

    #[test]
    fn users_that_never_ask_still_count() {
        with_content(|content| {
            let (_, proposal) = content.proposals.first().expect("a proposal");
            let judgements = Judgements::new(&content.framework, [(proposal, 2)]);
            // A kept page never asks for its judgement; the next meeting's page does.
            judgements.done(0);
            assert!(!judgements.is_held(0));
            let judgement = judgements.get(0);
            assert!(judgements.is_held(0));
            judgements.done(0);
            assert!(
                !judgements.is_held(0),
                "let go while the page still reads it"
            );
            assert_eq!(*judgement, judge(&content.framework, proposal));
        });
    }

    #[test]
    #[should_panic(expected = "1 users left")]
    fn a_user_that_never_says_it_is_done_is_caught() {
        with_content(|content| {
            let (_, proposal) = content.proposals.first().expect("a proposal");
            let judgements = Judgements::new(&content.framework, [(proposal, 2)]);
            drop(judgements.get(0));
            judgements.done(0);
        });
    }

    #[test]
    #[should_panic(expected = "more users done than counted")]
    fn one_done_too_many_is_caught() {
        with_content(|content| {
            let (_, proposal) = content.proposals.first().expect("a proposal");
            let judgements = Judgements::new(&content.framework, [(proposal, 1)]);
            judgements.done(0);
            judgements.done(0);
        });
    }
}
