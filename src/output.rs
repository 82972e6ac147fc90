//! Writing `output/` safely: everything is built in a staging folder beside it and swapped in
//! at the end, so a failed build leaves the previous output as it was. A marker file says a
//! folder is dealbook's; a folder without it is never replaced unless `--force` is given.

use std::path::{Path, PathBuf};

use crate::diag::os_error;

/// The file that marks an output folder as made by dealbook.
pub const MARKER: &str = ".dealbook-output";

/// A build's files, written into a staging folder until `commit`.
pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
    /// Folders already made, so writing thousands of reports does not ask for `reports/`
    /// thousands of times.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

/// Checks that `target` is a folder dealbook may replace. `protected` are folders that must
/// never be the output, contain it, or lie inside it (the content and theme folders, the PDF
/// cache). Paths are compared as real paths, symbolic links resolved, so no link can make the
/// output the content folder under another name. Only "not made by dealbook" yields to
/// `force`; every other refusal stands.
pub fn check_target(target: &Path, protected: &[&Path], force: bool) -> Result<(), String> {
    let target = real(target);
    let cwd = std::env::current_dir()
        .map(|d| real(&d))
        .unwrap_or_default();
    if target.parent().is_none() {
        return Err(format!("拒绝把根目录 {} 用作输出文件夹", target.display()));
    }
    if target == cwd {
        return Err("拒绝把当前文件夹用作输出文件夹：构建会替换整个输出文件夹".into());
    }
    // A file (or a link to one) at the output path would be swapped out of the way and lost.
    if target.exists() && !target.is_dir() {
        return Err(format!(
            "输出路径 {} 已是一个文件，不是文件夹；拒绝替换它，请用 --output 指定文件夹",
            target.display()
        ));
    }
    if let Some(home) = std::env::var_os("HOME").map(|h| real(Path::new(&h)))
        && home.starts_with(&target)
    {
        return Err(format!(
            "拒绝把主目录或包含它的文件夹 {} 用作输出文件夹",
            target.display()
        ));
    }
    for folder in protected {
        let folder = real(folder);
        if target.starts_with(&folder) || folder.starts_with(&target) {
            return Err(format!(
                "输出文件夹 {} 与源文件夹 {} 重叠，拒绝写入",
                target.display(),
                folder.display()
            ));
        }
    }
    if let Some(repository) = git_repository_in(&target) {
        return Err(format!(
            "{} 中有 git 仓库（{}），拒绝用作输出文件夹",
            target.display(),
            repository.display()
        ));
    }
    let non_empty = std::fs::read_dir(&target)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if non_empty && !target.join(MARKER).exists() && !force {
        return Err(format!(
            "{} 不是空文件夹，也不是 dealbook 生成的输出（没有 {MARKER}）；确认可以整个替换时加 --force",
            target.display()
        ));
    }
    Ok(())
}

/// The first `.git` (a repository's folder, or a worktree's file) at any depth in `folder`,
/// links not followed.
fn git_repository_in(folder: &Path) -> Option<PathBuf> {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .flatten()
        .find(|entry| entry.file_name() == ".git")
        .map(walkdir::DirEntry::into_path)
}

/// `path` with symbolic links resolved: its real path when it exists, else the real path of
/// its nearest existing folder with the rest of `path` after it.
fn real(path: &Path) -> PathBuf {
    let path = absolute(path);
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |out, part| out.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return path.clone(),
        }
    }
}

/// `path` made absolute and without `.` / `..` parts, without touching the file system.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// One build per output folder at a time: an exclusive lock on `.NAME.dealbook-lock` beside
/// the output (not inside it: the output is replaced whole), held until dropped. The file is
/// left in place: removing it could let a third build lock a file the second no longer holds.
pub struct OutputLock {
    _held: std::fs::File,
}

impl OutputLock {
    /// Takes the lock of `target`; when another build holds it, calls `waiting` and waits.
    pub fn take(target: &Path, waiting: impl FnOnce()) -> Result<OutputLock, String> {
        let (parent, name) = made_parent(&absolute(target))?;
        let path = parent.join(format!(".{name}.dealbook-lock"));
        let failed = |e: std::io::Error| format!("无法锁定 {}：{}", path.display(), os_error(&e));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(failed)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                waiting();
                file.lock().map_err(failed)?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(failed(e)),
        }
        Ok(OutputLock { _held: file })
    }
}

impl Staging {
    /// A fresh staging folder beside `target` (same file system, so the swap is a rename).
    pub fn new(target: &Path) -> Result<Staging, String> {
        let target = absolute(target);
        let (parent, name) = made_parent(&target)?;
        remove_stale(&parent, &name);
        let dir = sibling(&target, "tmp");
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("无法创建 {}：{}", dir.display(), os_error(&e)))?;
        Ok(Staging {
            dir,
            target,
            made: Default::default(),
        })
    }

    /// Writes one file, creating its folders.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), String> {
        let path = self.dir.join(relative);
        self.make_parent(&path)?;
        std::fs::write(&path, bytes)
            .map_err(|e| format!("无法写入 {}：{}", path.display(), os_error(&e)))
    }

    fn make_parent(&self, path: &Path) -> Result<(), String> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        if !made.contains(parent) {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("无法创建 {}：{}", parent.display(), os_error(&e)))?;
            made.insert(parent.to_path_buf());
        }
        Ok(())
    }

    /// Puts an existing file at `relative`: a hard link where the file system allows (the
    /// previous output is about to be removed, the bytes stay), else a copy.
    pub fn link(&self, relative: &str, source: &Path) -> Result<(), String> {
        let path = self.dir.join(relative);
        self.make_parent(&path)?;
        if std::fs::hard_link(source, &path).is_ok() {
            return Ok(());
        }
        std::fs::copy(source, &path)
            .map(|_| ())
            .map_err(|e| format!("无法写入 {}：{}", path.display(), os_error(&e)))
    }

    /// Swaps the staging folder in place of the target. Where the system can exchange two
    /// folders in one step (Linux), there is no moment without a complete output folder;
    /// elsewhere the old folder is moved aside first and put back by the next run if this
    /// one is killed in between.
    pub fn commit(self) -> Result<PathBuf, String> {
        self.write(
            MARKER,
            b"This folder is generated by dealbook build; it is replaced whole on every build.\n",
        )?;
        if !self.target.exists() {
            std::fs::rename(&self.dir, &self.target)
                .map_err(|e| format!("无法写入输出 {}：{}", self.target.display(), os_error(&e)))?;
            return Ok(self.target.clone());
        }
        if exchange(&self.dir, &self.target).is_ok() {
            // The staging folder now holds the previous output; `drop` removes it.
            return Ok(self.target.clone());
        }
        let old = sibling(&self.target, "old");
        std::fs::rename(&self.target, &old).map_err(|e| {
            format!(
                "无法移开旧的输出 {}：{}",
                self.target.display(),
                os_error(&e)
            )
        })?;
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            let _ = std::fs::rename(&old, &self.target);
            return Err(format!(
                "无法写入输出 {}：{}",
                self.target.display(),
                os_error(&e)
            ));
        }
        let _ = std::fs::remove_dir_all(&old);
        Ok(self.target.clone())
    }
}

impl Drop for Staging {
    /// A build that stops early leaves no staging folder behind.
    fn drop(&mut self) {
        if self.dir.exists() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// The folder `target` lies in and `target`'s name.
fn parent_and_name(target: &Path) -> (PathBuf, String) {
    let parent = target.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (parent, name)
}

/// [`parent_and_name`], the folder made when it is missing.
fn made_parent(target: &Path) -> Result<(PathBuf, String), String> {
    let (parent, name) = parent_and_name(target);
    std::fs::create_dir_all(&parent)
        .map_err(|e| format!("无法创建 {}：{}", parent.display(), os_error(&e)))?;
    Ok((parent, name))
}

/// `.NAME.dealbook-KIND-PID` beside `target`: this process's staging or old folder.
fn sibling(target: &Path, kind: &str) -> PathBuf {
    let (parent, name) = parent_and_name(target);
    parent.join(format!(".{name}.dealbook-{kind}-{}", std::process::id()))
}

/// Exchanges two folders atomically (`renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let status = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if status == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Cleans up after builds that were killed: an output moved aside and never replaced is put
/// back; staging and old folders of processes that are gone are removed. Folders of a build
/// still running (another process) are left alone.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let mut stale: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter_map(|entry| {
            let file = entry.file_name().to_string_lossy().into_owned();
            let rest = file.strip_prefix(&format!(".{name}.dealbook-"))?;
            let (kind, pid) = rest.split_once('-')?;
            let pid: u32 = pid.parse().ok()?;
            let ours = pid == std::process::id();
            let ended = ours || !process_alive(pid);
            let known = kind == "tmp" || kind == "old";
            (known && ended && entry.path().is_dir()).then(|| (kind.to_string(), entry.path()))
        })
        .collect();
    stale.sort();
    let target = parent.join(name);
    for (kind, path) in stale {
        if kind == "old" && !target.exists() && std::fs::rename(&path, &target).is_ok() {
            continue;
        }
        let _ = std::fs::remove_dir_all(&path);
    }
}

/// Whether process `pid` still runs (a signal 0 reaches it).
#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let status = unsafe { libc::kill(pid, 0) };
    status == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_alive(_: u32) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_targets() {
        let content = Path::new("/tmp/x/content");
        assert!(check_target(Path::new("/"), &[content], true).is_err());
        assert!(check_target(Path::new("/tmp/x/content"), &[content], true).is_err());
        assert!(check_target(Path::new("/tmp/x/content/out"), &[content], true).is_err());
        assert!(check_target(Path::new("/tmp/x"), &[content], true).is_err());
        assert!(check_target(Path::new("/tmp/x/content/../output"), &[content], true).is_ok());
    }

    /// A fresh, empty folder for one test.
    fn scratch(test: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("dealbook-output-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// No process has this id (above any pid the kernel hands out).
    const GONE: u32 = 3_999_999_999;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn commit_replaces_the_previous_output_and_leaves_nothing_beside_it() {
        let dir = scratch("commit");
        let target = dir.join("out");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();
        let staging = Staging::new(&target).unwrap();
        staging.write("new/page.html", b"new").unwrap();
        staging.commit().unwrap();
        assert_eq!(names(&dir), ["out"]);
        assert_eq!(names(&target), [MARKER, "new"]);
        assert_eq!(std::fs::read(target.join("new/page.html")).unwrap(), b"new");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_dropped_staging_leaves_the_output_untouched() {
        let dir = scratch("drop");
        let target = dir.join("out");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();
        let staging = Staging::new(&target).unwrap();
        staging.write("page.html", b"half").unwrap();
        drop(staging);
        assert_eq!(names(&dir), ["out"]);
        assert_eq!(std::fs::read(target.join("old.html")).unwrap(), b"old");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_output_moved_aside_by_a_killed_build_is_put_back() {
        let dir = scratch("restore");
        let aside = dir.join(format!(".out.dealbook-old-{GONE}"));
        std::fs::create_dir_all(&aside).unwrap();
        std::fs::write(aside.join("index.html"), "previous").unwrap();
        let killed = dir.join(format!(".out.dealbook-tmp-{GONE}"));
        std::fs::create_dir_all(&killed).unwrap();
        let staging = Staging::new(&dir.join("out")).unwrap();
        drop(staging);
        assert_eq!(names(&dir), ["out"]);
        let restored = std::fs::read(dir.join("out/index.html")).unwrap();
        assert_eq!(restored, b"previous");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn folders_of_a_build_still_running_are_left_alone() {
        let dir = scratch("running");
        // Process 1 always runs.
        let running = dir.join(".out.dealbook-tmp-1");
        std::fs::create_dir_all(&running).unwrap();
        let foreign = dir.join(".out.dealbook-tmp-notes");
        std::fs::create_dir_all(&foreign).unwrap();
        drop(Staging::new(&dir.join("out")).unwrap());
        assert!(running.is_dir());
        assert!(foreign.is_dir());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
