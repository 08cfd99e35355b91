//! Handlers of the server clone the `App` for every request: a clone must share the compiled mission
//! registry (aliases and automata), not copy it.

#[tokio::test]
async fn a_cloned_app_shares_the_mission_registry() {
    let app = mandat_app::App::open("sqlite::memory:")
        .await
        .expect("in-memory store opens");
    let copy = app.clone();
    assert!(std::ptr::eq(app.missions(), copy.missions()));
    assert!(!app.missions().missions().is_empty());
}
