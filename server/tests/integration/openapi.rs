//! The OpenAPI document against the routes it describes: every path, with its examples
//! filled in, answers with a status the document lists for that operation (and 200 for
//! every path whose example names something that exists), so the description cannot
//! drift from the router unnoticed.

use crate::common;

use axum::http::StatusCode;
use common::published;

#[tokio::test(flavor = "multi_thread")]
async fn every_documented_path_answers_as_documented() {
    let (app, _) = published().await;
    let reply = app.get("/api/openapi.json", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let document = reply.json();
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["servers"][0]["url"], "http://localhost");
    let paths = document["paths"].as_object().expect("paths");
    assert!(paths.len() >= 15, "{} paths", paths.len());
    let mut checked = 0;
    for (pattern, item) in paths {
        let Some(operation) = item.get("get") else {
            continue;
        };
        let mut path = pattern.clone();
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            if parameter["in"] != "path" {
                continue;
            }
            let name = parameter["name"].as_str().expect("a name");
            let example = parameter["example"]
                .as_str()
                .unwrap_or_else(|| panic!("{pattern}: path parameter {name} has no example"));
            path = path.replace(&format!("{{{name}}}"), example);
        }
        assert!(
            !path.contains('{'),
            "{pattern}: unfilled parameter in {path}"
        );
        let answer = app.get(&path, None).await;
        let documented = operation["responses"]
            .as_object()
            .expect("responses")
            .contains_key(answer.status.as_str());
        assert!(
            documented,
            "GET {path} answered {}: {}",
            answer.status, answer.body
        );
        // An operation that needs credentials refuses a request without them.
        if operation.get("security").is_some() {
            assert_eq!(
                answer.status,
                StatusCode::UNAUTHORIZED,
                "GET {path}: {}",
                answer.body
            );
            checked += 1;
            continue;
        }
        // Examples that name real things must work; only Open311's ids and tokens are
        // placeholders that may not exist.
        let placeholder = pattern.contains("{id}") || pattern.contains("{token}");
        if !placeholder {
            assert_eq!(answer.status, StatusCode::OK, "GET {path}: {}", answer.body);
        }
        checked += 1;
    }
    assert!(checked >= 15, "{checked} operations checked");
}
