//! Shared helpers of the integration tests: locating the development data beside the repository.

use std::path::PathBuf;

/// `../shared` beside the repository; the tests that need it fail with a clear message without it.
pub fn shared_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    assert!(
        dir.is_dir(),
        "development data not found at {}: these tests need the shared corpus, seeds and peer suites",
        dir.display()
    );
    dir
}
