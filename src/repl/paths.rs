//! Paths in a session's `data` and `use` lines. They are relative to the folder of the
//! session's file (as in any strategy file), while paths typed at the prompt or given on
//! the command line are relative to the current folder; these functions move a path from
//! one base to another, lexically (no file needs to exist).

use std::path::{Component, Path, PathBuf};

/// `path`, relative to `from`, written relative to `to` instead. An absolute `path` stays
/// as it is; so does one that cannot be written relative to `to` (another drive).
pub fn rebase(path: &Path, from: &Path, to: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    let (Some(target), Some(base)) = (absolute(&from.join(path)), absolute(to)) else {
        return path.to_path_buf();
    };
    relative(&target, &base).unwrap_or(target)
}

/// Whether `a` (relative to `from_a`) and `b` (relative to `from_b`) name the same place.
pub fn same(a: &Path, from_a: &Path, b: &Path, from_b: &Path) -> bool {
    let place = |p: &Path, from: &Path| {
        if p.is_absolute() {
            absolute(p)
        } else {
            absolute(&from.join(p))
        }
    };
    place(a, from_a) == place(b, from_b)
}

/// The current folder joined with `path`, with `.` and `..` resolved lexically.
fn absolute(path: &Path) -> Option<PathBuf> {
    let joined = std::env::current_dir().ok()?.join(path);
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    Some(out)
}

/// `target` written relative to `base` (both absolute and normalised): `..` for each of
/// `base`'s own components, then the rest of `target`; `.` for `base` itself.
fn relative(target: &Path, base: &Path) -> Option<PathBuf> {
    let t: Vec<Component> = target.components().collect();
    let b: Vec<Component> = base.components().collect();
    if t.first() != b.first() {
        return None;
    }
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_move_between_folders() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(relative(&p("/a/b/c"), &p("/a")), Some(p("b/c")));
        assert_eq!(relative(&p("/a/b"), &p("/a/b")), Some(p(".")));
        assert_eq!(relative(&p("/a/x"), &p("/a/b/c")), Some(p("../../x")));
        // `data` typed in the current folder, saved into `data/`: the folder itself.
        assert_eq!(rebase(&p("data"), &p(""), &p("data")), p("."));
        assert_eq!(rebase(&p("prices/IWO.csv"), &p("s"), &p("t")), p("../s/prices/IWO.csv"));
        assert_eq!(rebase(&p("../up.csv"), &p("s/t"), &p("")), p("s/up.csv"));
        assert_eq!(rebase(&p("/abs/x.csv"), &p("s"), &p("t")), p("/abs/x.csv"));
    }
}
