//! The bars each rule's schedule fires on, worked out once per schedule and first bar for
//! all the runs on a shared frame: a sweep's variants mostly differ in a number or a symbol,
//! not in when their rules are considered, and working a schedule out is a pass over the
//! period's dates.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::check::ScheduleKind;

/// A frame's rule schedules, each as a flag for every bar of the frame, by schedule (`None`:
/// a rule without one, which fires on every bar) and first bar of the period.
#[derive(Debug, Default)]
pub struct Firings(Mutex<Vec<Worked>>);

/// `(schedule, start, flags)`
type Worked = (Option<ScheduleKind>, usize, Arc<[bool]>);

fn lock(m: &Mutex<Vec<Worked>>) -> MutexGuard<'_, Vec<Worked>> {
    // Entries are pushed whole: a list a panicking worker left is consistent.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Firings {
    /// The flags of `kind` from bar `start` on, made by `work_out` the first time they are
    /// asked. Every caller must pass the same frame, and `work_out` must give the flags of
    /// `kind` and `start` on it.
    pub fn of(&self, kind: Option<&ScheduleKind>, start: usize, work_out: impl FnOnce() -> Vec<bool>) -> Arc<[bool]> {
        let found = |list: &[Worked]| {
            (list.iter())
                .find(|(k, s, _)| k.as_ref() == kind && *s == start)
                .map(|(_, _, flags)| Arc::clone(flags))
        };
        if let Some(flags) = found(&lock(&self.0)) {
            return flags;
        }
        // Worked out outside the lock, so runs on the frame are not held up; two runs may
        // work the same flags out at once, and the first one stored is kept.
        let flags: Arc<[bool]> = work_out().into();
        let mut list = lock(&self.0);
        if let Some(stored) = found(&list) {
            return stored;
        }
        list.push((kind.cloned(), start, Arc::clone(&flags)));
        flags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_schedule_and_start_is_worked_out_once() {
        let firings = Firings::default();
        let mut worked = 0;
        let mut of = |kind: Option<&ScheduleKind>, start: usize, flags: Vec<bool>| {
            firings.of(kind, start, || {
                worked += 1;
                flags
            })
        };
        let daily = of(Some(&ScheduleKind::Daily), 2, vec![false, false, true]);
        // The same schedule and start: the flags already worked out, not the new ones.
        assert_eq!(&*of(Some(&ScheduleKind::Daily), 2, vec![true; 3]), &*daily);
        // Another start, another schedule, no schedule: each its own.
        assert_eq!(
            &*of(Some(&ScheduleKind::Daily), 1, vec![false, true, true]),
            &[false, true, true]
        );
        assert_eq!(&*of(Some(&ScheduleKind::EveryBar), 2, vec![true; 3]), &[true; 3]);
        assert_eq!(&*of(None, 2, vec![true, false, true]), &[true, false, true]);
        assert_eq!(worked, 4);
    }
}
