//! Atomic writes for fixes and formatting: write a temporary file beside the target,
//! keep the target's permissions, rename over it. The target must still hold exactly
//! what was analysed, so an edit made meanwhile is never overwritten.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

pub fn write_atomically(path: &Path, expected: &[u8], new: &[u8]) -> io::Result<()> {
    let current = fs::read(path)?;
    if current != expected {
        return Err(io::Error::other("the file changed since it was read; nothing written"));
    }
    if current == new {
        return Ok(());
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.zonels-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(new)?;
        f.sync_all()?;
        let perms = fs::metadata(path)?.permissions();
        fs::set_permissions(&tmp, perms)?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_changed_files_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.zone");
        fs::write(&p, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        }
        assert!(write_atomically(&p, b"other", b"new").is_err());
        assert_eq!(fs::read_to_string(&p).unwrap(), "old");
        write_atomically(&p, b"old", b"new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o640);
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left behind");
    }
}
