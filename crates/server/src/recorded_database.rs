//! Where the `orderpath` command finds its database when `DATABASE_URL` is not set: the URL
//! that `scripts/run` recorded in the project's `.orderpath/database-url`, looked up from the
//! current folder upwards. So `orderpath token create`, run in the clone while `scripts/run`
//! serves, makes its token in the database the service reads.

use std::path::{Path, PathBuf};

/// The file, relative to the project folder, in which `scripts/run` records the URL of the
/// database it chose (without a password).
pub const RECORD: &str = ".orderpath/database-url";

/// `DATABASE_URL`, else the recorded URL (saying on the log where it came from).
pub fn database_url() -> Result<String, String> {
    if let Some(url) = std::env::var("DATABASE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
    {
        return Ok(url);
    }
    let recorded = std::env::current_dir()
        .ok()
        .and_then(|folder| find_recorded(&folder));
    match recorded {
        Some((url, file)) => {
            log::info!(
                "DATABASE_URL is not set: using {url}, recorded by scripts/run in {}",
                file.display()
            );
            Ok(url)
        }
        None => Err(format!(
            "DATABASE_URL is not set, and no {RECORD} was found in this folder or above it \
             (scripts/run records the database it chose there)"
        )),
    }
}

/// The recorded URL and its file, from the nearest `folder` or ancestor that has one.
pub fn find_recorded(folder: &Path) -> Option<(String, PathBuf)> {
    folder.ancestors().find_map(|dir| {
        let file = dir.join(RECORD);
        let url = std::fs::read_to_string(&file).ok()?.trim().to_string();
        (!url.is_empty()).then_some((url, file))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_record_above_the_folder_wins() {
        let project =
            std::env::temp_dir().join(format!("orderpath-record-{}", uuid::Uuid::new_v4()));
        let nested = project.join("crates/server");
        std::fs::create_dir_all(&nested).expect("folders");
        assert_eq!(find_recorded(&nested), None);

        std::fs::create_dir_all(project.join(".orderpath")).expect("folder");
        std::fs::write(
            project.join(RECORD),
            "postgres://postgres@127.0.0.1:55432/orderpath\n",
        )
        .expect("record");
        assert_eq!(
            find_recorded(&nested),
            Some((
                "postgres://postgres@127.0.0.1:55432/orderpath".to_string(),
                project.join(RECORD)
            ))
        );

        std::fs::create_dir_all(nested.join(".orderpath")).expect("folder");
        std::fs::write(nested.join(RECORD), "  \n").expect("empty record");
        assert_eq!(
            find_recorded(&nested).map(|(_, file)| file),
            Some(project.join(RECORD)),
            "an empty record is passed over"
        );
        std::fs::remove_dir_all(&project).expect("clean up");
    }
}
