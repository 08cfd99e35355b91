//! Alert subscriptions and the outbox, run against SQLite and PostgreSQL.

mod common;

use std::collections::BTreeSet;

use jiff::{Timestamp, ToSpan};
use mandat_store::*;
use serde_json::json;

conformance!(
    subscriptions_belong_to_their_owner,
    the_same_event_is_queued_once,
    failed_alerts_retry_then_die,
    new_subscriptions_start_at_the_latest_change,
);

async fn user(store: &Store, name: &str, clearance: Clearance) -> User {
    store
        .create_user(&Actor::system(), name, Role::Reader, clearance, None)
        .await
        .unwrap()
}

fn webhook(mission: Option<&str>) -> NewSubscription {
    NewSubscription {
        mission: mission.map(str::to_owned),
        kinds: BTreeSet::from([AlertKind::NewFact, AlertKind::MandateLapse]),
        within_days: 30,
        channel: Channel::Webhook,
        target: "https://example.org/hook".into(),
    }
}

fn alert(key: &str) -> NewAlert {
    NewAlert {
        event_key: key.into(),
        payload: json!({ "event": key }),
    }
}

async fn subscriptions_belong_to_their_owner(store: Store) {
    let ann = user(&store, "ann", Clearance::PUBLIC).await;
    let bob = user(&store, "bob", Clearance::SECRET).await;
    let a = store
        .create_subscription(ann.id, &webhook(Some("KFOR")))
        .await
        .unwrap();
    let secret = a.secret.clone().expect("a webhook has a secret");
    assert_eq!(secret.len(), 64);
    let mail = NewSubscription {
        channel: Channel::Email,
        target: "bob@example.org".into(),
        kinds: BTreeSet::from([AlertKind::CeilingExceeded]),
        ..webhook(None)
    };
    let b = store.create_subscription(bob.id, &mail).await.unwrap();
    assert_eq!(b.secret, None, "e-mail has no signing secret");
    assert_ne!(
        store
            .create_subscription(ann.id, &webhook(None))
            .await
            .unwrap()
            .secret,
        Some(secret.clone()),
        "every webhook gets its own secret"
    );

    let mine = store.subscriptions(ann.id).await.unwrap();
    assert_eq!(mine.len(), 2);
    assert_eq!(mine[0], a);
    assert_eq!(mine[0].mission.as_deref(), Some("KFOR"));
    assert_eq!(store.subscriptions(bob.id).await.unwrap(), vec![b.clone()]);
    assert_eq!(store.subscription(bob.id, a.id).await.unwrap(), None);

    let active = store.active_subscriptions().await.unwrap();
    assert_eq!(active.len(), 3);
    let of_bob = active.iter().find(|s| s.subscription.id == b.id).unwrap();
    assert_eq!(of_bob.clearance, Clearance::SECRET);

    // Only the owner deletes, and the queued alerts go with the subscription.
    store
        .enqueue_alerts(a.id, &[alert("x")], None)
        .await
        .unwrap();
    assert!(!store.delete_subscription(bob.id, a.id).await.unwrap());
    assert!(store.delete_subscription(ann.id, a.id).await.unwrap());
    assert!(!store.delete_subscription(ann.id, a.id).await.unwrap());
    assert!(store.outbox(a.id).await.unwrap().is_empty());
    assert_eq!(store.subscriptions(ann.id).await.unwrap().len(), 1);
}

async fn the_same_event_is_queued_once(store: Store) {
    let ann = user(&store, "ann", Clearance::PUBLIC).await;
    let a = store
        .create_subscription(ann.id, &webhook(None))
        .await
        .unwrap();
    let b = store
        .create_subscription(ann.id, &webhook(None))
        .await
        .unwrap();
    let n = store
        .enqueue_alerts(
            a.id,
            &[alert("fact:1"), alert("lapse:KFOR:2026-06-30")],
            Some(7),
        )
        .await
        .unwrap();
    assert_eq!(n, 2);
    // Evaluated again (a restart, the next tick): nothing new.
    let n = store
        .enqueue_alerts(a.id, &[alert("fact:1"), alert("fact:2")], Some(5))
        .await
        .unwrap();
    assert_eq!(n, 1);
    // Another subscription may get the same event.
    assert_eq!(
        store
            .enqueue_alerts(b.id, &[alert("fact:1")], None)
            .await
            .unwrap(),
        1
    );
    let keys: Vec<String> = store
        .outbox(a.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event_key)
        .collect();
    assert_eq!(keys, ["fact:1", "lapse:KFOR:2026-06-30", "fact:2"]);
    // The cursor only moves forward.
    let sub = store.subscription(ann.id, a.id).await.unwrap().unwrap();
    assert_eq!(sub.fact_cursor, 7);

    let due = store.due_alerts(Timestamp::now(), 100).await.unwrap();
    assert_eq!(due.len(), 4);
    assert_eq!(due[0].0.payload, json!({ "event": "fact:1" }));
    assert!(due.iter().all(|(e, s)| e.subscription == s.id));
    let due = store.due_alerts(Timestamp::now(), 2).await.unwrap();
    assert_eq!(due.len(), 2);

    let first = due[0].0.id;
    assert!(store.mark_delivered(first, Timestamp::now()).await.unwrap());
    assert!(!store.mark_delivered(first, Timestamp::now()).await.unwrap());
    let due = store.due_alerts(Timestamp::now(), 100).await.unwrap();
    assert_eq!(due.len(), 3);
    assert!(due.iter().all(|(e, _)| e.id != first));
    assert!(matches!(
        store.mark_failed(first, Timestamp::now(), "x", 3).await,
        Err(StoreError::AlertNotPending(_))
    ));
}

async fn failed_alerts_retry_then_die(store: Store) {
    let ann = user(&store, "ann", Clearance::PUBLIC).await;
    let a = store
        .create_subscription(ann.id, &webhook(None))
        .await
        .unwrap();
    store
        .enqueue_alerts(a.id, &[alert("fact:9")], None)
        .await
        .unwrap();
    let id = store.outbox(a.id).await.unwrap()[0].id;
    let now = Timestamp::now();
    let later = now + 1.hour();
    assert_eq!(
        store.mark_failed(id, later, "HTTP 500", 3).await.unwrap(),
        FailureOutcome::Retry
    );
    // Not due before its next attempt, due after it.
    assert!(store.due_alerts(now, 10).await.unwrap().is_empty());
    assert_eq!(store.due_alerts(later, 10).await.unwrap().len(), 1);
    assert_eq!(
        store.mark_failed(id, later, "timeout", 3).await.unwrap(),
        FailureOutcome::Retry
    );
    assert_eq!(
        store.mark_failed(id, later, "HTTP 502", 3).await.unwrap(),
        FailureOutcome::Dead
    );
    let e = &store.outbox(a.id).await.unwrap()[0];
    assert_eq!(e.attempts, 3);
    assert!(e.dead);
    assert_eq!(e.last_error.as_deref(), Some("HTTP 502"));
    assert_eq!(e.delivered_at, None);
    assert!(
        store
            .due_alerts(later + 1.hour(), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn new_subscriptions_start_at_the_latest_change(store: Store) {
    let ann = user(&store, "ann", Clearance::PUBLIC).await;
    let empty = store
        .create_subscription(ann.id, &webhook(None))
        .await
        .unwrap();
    assert_eq!(empty.fact_cursor, 0);
    let claim = NewClaim {
        fact_id: FactId::new("f1").unwrap(),
        kind: "mandate".into(),
        missions: vec!["KFOR".into()],
        valid_from: Some("2025-06-01".into()),
        recorded_at: None,
        payload: json!({ "id": "f1" }),
        evidence: NewEvidence::Unsourced,
        classification: Clearance::PUBLIC,
    };
    store
        .record_claims(vec![claim], ClaimStatus::Accepted, &Actor::system())
        .await
        .unwrap();
    let last = store.last_change().await.unwrap();
    assert!(last > 0);
    let later = store
        .create_subscription(ann.id, &webhook(None))
        .await
        .unwrap();
    assert_eq!(later.fact_cursor, last);
}
