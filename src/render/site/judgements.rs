//! The judgements report pages are made from, each made when first needed and let go of after
//! its last use. A report page shows its proposal's judgement and compares it with the
//! vendor's meeting before, so a judgement has up to two users: its own page and the page of
//! the vendor's next meeting. Holding every judgement until the end of a build was 210 MB of
//! the 355 MB a build with every page made took at 10,000 proposals; this holds only the few
//! in use.

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
    /// last one lets it go.
    pub fn done(&self, i: usize) {
        let slot = &self.slots[i];
        let before = slot
            .users
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
        if matches!(before, Ok(1) | Err(0)) {
            slot.held
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
        }
    }

    /// Whether proposal `i`'s judgement is held (for tests).
    #[cfg(test)]
    fn is_held(&self, i: usize) -> bool {
        self.slots[i]
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
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
            // Asked for again: the same judgement, made again, and let go at the next done.
            assert_eq!(*judgements.get(0), *first);
            judgements.done(0);
            assert!(!judgements.is_held(0));
        });
    }

    #[test]
    fn a_judgement_without_users_is_not_kept() {
        with_content(|content| {
            let (_, proposal) = content.proposals.first().expect("a proposal");
            let judgements = Judgements::new(&content.framework, [(proposal, 1)]);
            judgements.done(0);
            judgements.done(0);
            assert!(!judgements.is_held(0));
        });
    }
}
