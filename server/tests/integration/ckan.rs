//! The CKAN Action API over HTTP against a real MariaDB, after `seed-demo` and a
//! publication of the live datasets: every action's envelope and result under both
//! prefixes, by GET, JSON POST and form POST; package search with the queries, filters,
//! sorts and paging harvesters send; the datastore's filters, full text, paging and
//! totals against the stored rows; resource URLs that serve the data; ids that survive a
//! new version; and every error in CKAN's shape and status.

use crate::common;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use common::{TestApp, published, urlencode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use app::opendata::live::LIVE_DATASETS;
use app::opendata::queries::{Datasets, Publisher};

/// The organisation the demo publisher's creator becomes.
const ORGANIZATION: &str = "administratsiya-krasnodarskogo-kraya";

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }

    /// The `result` of a successful call (asserting the envelope).
    fn result(&self) -> Value {
        assert_eq!(self.status, StatusCode::OK, "{}", self.body);
        let body = self.json();
        assert_eq!(body["success"], true, "{}", self.body);
        body["result"].clone()
    }

    /// The `error` of a failed call with `status` (asserting the envelope).
    fn error(&self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "{}", self.body);
        let body = self.json();
        assert_eq!(body["success"], false, "{}", self.body);
        assert!(body.get("result").is_none());
        assert!(
            body["help"].as_str().is_some_and(
                |help| help.starts_with("http://portal.test/api/3/action/help_show?name=")
            ),
            "{}",
            self.body
        );
        body["error"].clone()
    }

    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
    }
}

async fn send(app: &TestApp, request: Request<Body>) -> Answer {
    let response = app
        .router
        .clone()
        .oneshot(request)
        .await
        .expect("the router answers");
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).expect("UTF-8"),
    }
}

fn request(method: Method, path: &str) -> axum::http::request::Builder {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "portal.test")
}

/// GET `path` (with its query string).
async fn get(app: &TestApp, path: &str) -> Answer {
    send(
        app,
        request(Method::GET, path)
            .body(Body::empty())
            .expect("a request"),
    )
    .await
}

/// POST `body` as JSON to `path`, as ckanapi does.
async fn post(app: &TestApp, path: &str, body: &Value) -> Answer {
    post_raw(app, path, "application/json", body.to_string()).await
}

async fn post_raw(app: &TestApp, path: &str, content_type: &str, body: String) -> Answer {
    send(
        app,
        request(Method::POST, path)
            .header(header::CONTENT_TYPE, content_type)
            .header(
                header::USER_AGENT,
                "ckanapi/4.11 (+https://github.com/ckan/ckanapi)",
            )
            .body(Body::from(body))
            .expect("a request"),
    )
    .await
}

/// `datastore_search` by POST with `params`.
async fn datastore(app: &TestApp, params: Value) -> Value {
    post(app, "/api/3/action/datastore_search", &params)
        .await
        .result()
}

fn identifier(code: &str) -> String {
    format!("{}-{code}", Publisher::demo().inn)
}

fn names_of(results: &Value) -> Vec<String> {
    results
        .as_array()
        .expect("a list")
        .iter()
        .map(|package| package["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The id of a package's resource in `format` (`CSV`, `JSON`, `XML`).
fn resource_id(package: &Value, format: &str) -> String {
    package["resources"]
        .as_array()
        .and_then(|resources| {
            resources
                .iter()
                .find(|r| r["format"] == format && r["resource_type"] == "file")
        })
        .and_then(|r| r["id"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn packages_organisations_and_resources_read_like_ckan() {
    let (app, day) = published().await;
    let mut all: Vec<String> = LIVE_DATASETS.iter().map(|d| identifier(d.code)).collect();
    all.sort();

    // package_list under both prefixes, by GET, JSON POST (ckanapi's extra keys
    // ignored) and form POST; the envelope and headers every answer has.
    let listed = get(&app, "/api/3/action/package_list").await;
    assert_eq!(
        listed.header(header::CONTENT_TYPE),
        "application/json;charset=utf-8"
    );
    assert_eq!(listed.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    assert_eq!(
        listed.json()["help"],
        "http://portal.test/api/3/action/help_show?name=package_list"
    );
    assert_eq!(listed.result(), json!(all));
    let ckanapi =
        json!({"include_private": false, "include_drafts": false, "include_deleted": false});
    assert_eq!(
        post(&app, "/api/action/package_list", &ckanapi)
            .await
            .result(),
        json!(all)
    );
    assert_eq!(
        get(&app, "/api/action/package_list?limit=2&offset=1")
            .await
            .result(),
        json!(all[1..3])
    );
    let form = post_raw(
        &app,
        "/api/3/action/package_list",
        "application/x-www-form-urlencoded",
        "limit=1".into(),
    )
    .await;
    assert_eq!(form.result(), json!(all[..1]));
    // `curl -d '{…}'`: JSON sent as a form.
    let curl = post_raw(
        &app,
        "/api/3/action/package_list",
        "application/x-www-form-urlencoded",
        "{\"limit\": 2}".into(),
    )
    .await;
    assert_eq!(curl.result(), json!(all[..2]));

    // package_show by name and by id, with ckanapi dump's extra keys.
    let name = identifier("construction-registry");
    let by_name = get(&app, &format!("/api/3/action/package_show?id={name}"))
        .await
        .result();
    assert_eq!(by_name["name"], name.as_str());
    assert_eq!(
        by_name["title"],
        "Реестр объектов капитального строительства"
    );
    assert_eq!(by_name["type"], "dataset");
    assert_eq!(by_name["state"], "active");
    assert_eq!(by_name["private"], false);
    assert_eq!(by_name["license_id"], "cc-by");
    assert_eq!(
        by_name["license_url"],
        "http://creativecommons.org/licenses/by/4.0/"
    );
    assert_eq!(
        by_name["maintainer_email"],
        Publisher::demo().email.as_str()
    );
    assert_eq!(by_name["version"], day.as_str());
    assert_eq!(
        by_name["url"],
        format!("http://portal.test/opendata/{name}")
    );
    assert_eq!(by_name["organization"]["name"], ORGANIZATION);
    assert_eq!(
        by_name["organization"]["title"],
        Publisher::demo().creator.as_str()
    );
    assert_eq!(by_name["owner_org"], by_name["organization"]["id"]);
    assert_eq!(by_name["groups"], json!([]));
    assert_eq!(by_name["num_resources"], 4);
    let tags: Vec<&str> = by_name["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(|tag| tag["name"].as_str())
        .collect();
    assert_eq!(
        tags,
        [
            "строительство",
            "разрешения на строительство",
            "застройщики",
            "градостроительство"
        ]
    );
    let modified = by_name["metadata_modified"].as_str().unwrap_or_default();
    assert_eq!(modified.len(), 26, "YYYY-MM-DDTHH:MM:SS.ffffff: {modified}");
    assert!(modified.starts_with(&format!("{}-{}-{}T", &day[..4], &day[4..6], &day[6..])));
    let id = by_name["id"].as_str().expect("an id").to_string();
    assert_eq!(id.len(), 36);
    assert_eq!(&id[14..15], "5", "a version 5 UUID");
    let by_id = post(
        &app,
        "/api/action/package_show",
        &json!({"id": id, "include_datasets": false, "include_users": false}),
    )
    .await
    .result();
    assert_eq!(by_id, by_name);
    assert_eq!(
        get(
            &app,
            &format!("/api/3/action/package_show?name_or_id={name}")
        )
        .await
        .result()["id"],
        id.as_str()
    );

    // Every resource's URL serves its file through the same router.
    let resources = by_name["resources"].as_array().expect("resources").clone();
    let stem = format!("data-{day}-structure-{day}");
    let expected = [
        ("CSV", "text/csv", format!("{stem}.csv"), true),
        ("XML", "application/xml", format!("{stem}.xml"), false),
        ("JSON", "application/json", format!("{stem}.json"), false),
        ("CSV", "text/csv", format!("structure-{day}.csv"), false),
    ];
    for (resource, (format, mimetype, file, datastore)) in resources.iter().zip(&expected) {
        assert_eq!(resource["format"], *format);
        assert_eq!(resource["mimetype"], *mimetype);
        assert_eq!(resource["name"], file.as_str());
        assert_eq!(resource["datastore_active"], *datastore);
        assert_eq!(resource["package_id"], id.as_str());
        let url = resource["url"].as_str().expect("a URL");
        assert_eq!(url, format!("http://portal.test/opendata/{name}/{file}"));
        let served = get(&app, url.trim_start_matches("http://portal.test")).await;
        assert_eq!(served.status, StatusCode::OK, "{url}");
        assert!(
            served.header(header::CONTENT_TYPE).starts_with(mimetype),
            "{url}"
        );
        // resource_show gives the same dict.
        let shown = get(
            &app,
            &format!(
                "/api/3/action/resource_show?id={}",
                resource["id"].as_str().unwrap_or_default()
            ),
        )
        .await
        .result();
        assert_eq!(&shown, resource);
    }
    assert_eq!(resources[3]["resource_type"], "documentation");
    let csv = get(&app, &format!("/opendata/{name}/{stem}.csv")).await;
    let data_rows = csv::Reader::from_reader(csv.body.as_bytes())
        .records()
        .count();
    assert_eq!(data_rows as i64, app.count("constructions").await);

    // Organisations: the creator, with its datasets counted.
    assert_eq!(
        get(&app, "/api/3/action/organization_list").await.result(),
        json!([ORGANIZATION])
    );
    let orgs = get(&app, "/api/3/action/organization_list?all_fields=true")
        .await
        .result();
    assert_eq!(orgs[0]["name"], ORGANIZATION);
    assert_eq!(orgs[0]["package_count"], LIVE_DATASETS.len());
    assert_eq!(orgs[0]["is_organization"], true);
    let org = post(
        &app,
        "/api/action/organization_show",
        &json!({"id": ORGANIZATION}),
    )
    .await
    .result();
    assert_eq!(org["id"], by_name["organization"]["id"]);
    assert_eq!(org["title"], Publisher::demo().creator.as_str());
    assert!(org.get("packages").is_none());
    let with_datasets = get(
        &app,
        &format!(
            "/api/3/action/organization_show?id={}&include_datasets=true",
            org["id"].as_str().unwrap_or_default()
        ),
    )
    .await
    .result();
    assert_eq!(names_of(&with_datasets["packages"]), all);
    assert_eq!(
        get(&app, "/api/3/action/organization_list?organizations=nobody")
            .await
            .result(),
        json!([])
    );

    // No groups: keywords are tags.
    assert_eq!(
        get(&app, "/api/3/action/group_list").await.result(),
        json!([])
    );
    assert_eq!(
        get(&app, "/api/3/action/group_list?all_fields=true")
            .await
            .result(),
        json!([])
    );

    // piveau's DKAN dialect: packages with resources, newest first.
    let current = get(
        &app,
        "/api/3/action/current_package_list_with_resources?limit=3",
    )
    .await
    .result();
    assert_eq!(current.as_array().map(Vec::len), Some(3));
    assert_eq!(current[0]["resources"].as_array().map(Vec::len), Some(4));

    // The site.
    let status = get(&app, "/api/3/action/status_show").await.result();
    assert_eq!(status["site_url"], "http://portal.test");
    assert_eq!(status["site_title"], "Открытые данные Краснодарского края");
    assert_eq!(status["extensions"], json!(["datastore"]));
    assert_eq!(status["locale_default"], "ru");
    assert_eq!(
        get(&app, "/api/action/site_read").await.result(),
        json!(true)
    );
    let help = get(&app, "/api/3/action/help_show?name=datastore_search")
        .await
        .result();
    assert!(
        help.as_str()
            .is_some_and(|text| text.contains("resource_id")),
        "{help}"
    );
    assert_eq!(get(&app, "/api/3").await.json(), json!({"version": 3}));
    assert_eq!(get(&app, "/api").await.json(), json!({"version": 1}));
}

#[tokio::test(flavor = "multi_thread")]
async fn package_search_answers_the_queries_harvesters_send() {
    let (app, _) = published().await;
    let total = LIVE_DATASETS.len();
    let search = |query: String| {
        let app = &app;
        async move {
            get(app, &format!("/api/3/action/package_search?{query}"))
                .await
                .result()
        }
    };

    let everything = search(String::new()).await;
    assert_eq!(everything["count"], total);
    assert_eq!(everything["sort"], "score desc, metadata_modified desc");
    assert_eq!(everything["facets"], json!({}));
    assert_eq!(
        everything["results"].as_array().map(Vec::len),
        Some(total.min(10))
    );
    assert_eq!(
        everything["results"][0]["resources"]
            .as_array()
            .map(Vec::len),
        Some(4)
    );

    // ckanext-harvest: pages of `rows` by `start`, sorted by id, until an empty page.
    let mut harvested = Vec::new();
    let mut start = 0;
    loop {
        let page = search(format!("rows=3&start={start}&sort=id+asc")).await;
        assert_eq!(page["count"], total);
        let ids: Vec<String> = page["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter_map(|p| p["id"].as_str().map(str::to_string))
            .collect();
        if ids.is_empty() {
            break;
        }
        assert!(ids.len() <= 3);
        harvested.extend(ids);
        start += 3;
    }
    let mut sorted = harvested.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(harvested, sorted, "ids ascending, none twice");
    assert_eq!(harvested.len(), total);

    // Sorts.
    let by_name = search("sort=name+desc&rows=100".into()).await;
    let mut names = names_of(&by_name["results"]);
    let mut descending = names.clone();
    descending.sort_by(|a, b| b.cmp(a));
    assert_eq!(names, descending);
    names.sort();
    assert_eq!(
        names_of(&search("sort=name+asc&rows=100".into()).await["results"]),
        names
    );
    assert_eq!(
        search("sort=title_string+asc&rows=1".into()).await["results"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // fq on tags, organisation and name; negation; the incremental window.
    let with_tag = |tag: &str| {
        let mut names: Vec<String> = LIVE_DATASETS
            .iter()
            .filter(|d| d.subject.contains(&tag))
            .map(|d| identifier(d.code))
            .collect();
        names.sort();
        names
    };
    let citizens = search(format!(
        "fq={}&rows=100&sort=name+asc",
        urlencode("tags:\"обращения граждан\"")
    ))
    .await;
    assert_eq!(
        names_of(&citizens["results"]),
        with_tag("обращения граждан")
    );
    assert!(citizens["count"].as_u64().is_some_and(|n| n >= 2));
    let org = search(format!("fq=organization:{ORGANIZATION}&rows=0")).await;
    assert_eq!(org["count"], total);
    assert_eq!(org["results"], json!([]));
    let name = identifier("municipalities");
    let one = search(format!("fq=name:{name}")).await;
    assert_eq!(names_of(&one["results"]), std::slice::from_ref(&name));
    let others = search(format!("q=-name:{name}&rows=100")).await;
    assert_eq!(others["count"], total - 1);
    let harvest = search(format!(
        "fq=organization:{ORGANIZATION}+OR+organization:nobody+metadata_modified:[2000-01-01T00:00:00.000000Z+TO+*]&sort=id+asc"
    ))
    .await;
    assert_eq!(harvest["count"], total);
    let future = search("q=metadata_modified:[2999-01-01T00:00:00Z+TO+*]".into()).await;
    assert_eq!(future["count"], 0);
    let excluded = search(format!("fq=-organization:{ORGANIZATION}")).await;
    assert_eq!(excluded["count"], 0);
    assert_eq!(search("fq=groups:anything".into()).await["count"], 0);
    // udata-ckan's filters: `key:value AND …` in q.
    let udata = search(format!(
        "q={}&rows=1000",
        urlencode(&format!(
            "organization:{ORGANIZATION} AND tags:\"обращения граждан\""
        ))
    ))
    .await;
    assert_eq!(udata["count"], citizens["count"]);
    // `fq` repeated in the query string: each one more filter.
    let repeated = search(format!(
        "fq={}&fq={}",
        urlencode(&format!("organization:{ORGANIZATION}")),
        urlencode("tags:\"обращения граждан\"")
    ))
    .await;
    assert_eq!(repeated["count"], citizens["count"]);

    // Free text: the title, description and keywords, in any case.
    let building = search(format!(
        "q={}&rows=100&sort=name+asc",
        urlencode("СТРОИТЕЛЬСТВА")
    ))
    .await;
    let building_names = names_of(&building["results"]);
    assert!(building_names.contains(&identifier("construction-registry")));
    assert!(!building_names.contains(&identifier("municipalities")));

    // fq_list and facets.
    let faceted = post(
        &app,
        "/api/action/package_search",
        &json!({
            "fq_list": [format!("organization:{ORGANIZATION}"), "tags:\"обращения граждан\""],
            "facet.field": "[\"tags\", \"organization\", \"res_format\"]",
            "rows": 0,
        }),
    )
    .await
    .result();
    assert_eq!(faceted["count"], citizens["count"]);
    assert_eq!(
        faceted["facets"]["tags"]["обращения граждан"],
        citizens["count"]
    );
    assert_eq!(
        faceted["facets"]["organization"][ORGANIZATION],
        citizens["count"]
    );
    assert_eq!(faceted["facets"]["res_format"]["CSV"], citizens["count"]);
    let org_item = &faceted["search_facets"]["organization"]["items"][0];
    assert_eq!(org_item["name"], ORGANIZATION);
    assert_eq!(org_item["display_name"], Publisher::demo().creator.as_str());
}

#[tokio::test(flavor = "multi_thread")]
async fn datastore_search_reads_the_newest_version() {
    let (app, _) = published().await;
    let municipalities = get(
        &app,
        &format!(
            "/api/3/action/package_show?id={}",
            identifier("municipalities")
        ),
    )
    .await
    .result();
    let resource = resource_id(&municipalities, "CSV");
    let rows = app.count("municipalities").await;
    assert!(rows > 5, "the demo data has municipalities");

    // Everything, by GET as ckanapi's get_only mode sends it.
    let first = get(
        &app,
        &format!("/api/action/datastore_search?resource_id={resource}&limit=0"),
    )
    .await
    .result();
    assert_eq!(first["total"], rows);
    assert_eq!(first["records"], json!([]));
    assert_eq!(first["total_was_estimated"], false);
    let field_ids: Vec<&str> = first["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert_eq!(
        field_ids,
        [
            "_id", "code", "name", "name_en", "kind", "centre", "lat", "lon"
        ]
    );
    assert_eq!(first["fields"][0], json!({"id": "_id", "type": "int"}));
    assert_eq!(first["fields"][6]["type"], "numeric");
    assert_eq!(first["fields"][2]["info"]["label"], "Наименование");

    let all = datastore(&app, json!({"resource_id": resource, "limit": 10000})).await;
    let records = all["records"].as_array().expect("records").clone();
    assert_eq!(records.len() as i64, rows);
    assert_eq!(all["limit"], 10000);
    let ids: Vec<i64> = records.iter().filter_map(|r| r["_id"].as_i64()).collect();
    assert_eq!(ids, (1..=rows).collect::<Vec<_>>(), "_id is the row number");
    assert!(
        records[0]["lat"].is_f64(),
        "numbers are numbers: {}",
        records[0]
    );
    let codes = app
        .scalar("SELECT COUNT(DISTINCT slug) AS n FROM municipalities")
        .await;
    assert_eq!(
        records
            .iter()
            .filter_map(|r| r["code"].as_str())
            .collect::<std::collections::HashSet<_>>()
            .len() as i64,
        codes
    );

    // limit and offset: a window of the same rows; _links to the next page.
    let window = datastore(
        &app,
        json!({"resource_id": resource, "limit": 3, "offset": 2}),
    )
    .await;
    assert_eq!(window["records"], json!(records[2..5]));
    assert_eq!(window["total"], rows);
    assert_eq!(window["offset"], 2);
    assert_eq!(
        window["_links"]["next"],
        format!("/api/3/action/datastore_search?limit=3&resource_id={resource}&offset=5")
    );
    let clamped = datastore(&app, json!({"resource_id": resource, "limit": 100000})).await;
    assert_eq!(clamped["limit"], 10000, "the largest page");

    // filters: text, typed number, a list; the total counts the matches.
    let okrugs = app
        .scalar("SELECT COUNT(*) AS n FROM municipalities WHERE kind = 'city_okrug'")
        .await;
    assert!(okrugs > 0 && okrugs < rows);
    let filtered = get(
        &app,
        &format!(
            "/api/3/action/datastore_search?resource_id={resource}&filters=%7B%22kind%22%3A%22city_okrug%22%7D"
        ),
    )
    .await
    .result();
    assert_eq!(filtered["total"], okrugs);
    assert_eq!(filtered["filters"], json!({"kind": "city_okrug"}));
    assert!(
        filtered["records"]
            .as_array()
            .expect("records")
            .iter()
            .all(|r| r["kind"] == "city_okrug")
    );
    let sample = &records[3];
    let by_lat = datastore(
        &app,
        json!({"resource_id": resource, "filters": {"lat": sample["lat"], "code": sample["code"]}}),
    )
    .await;
    assert_eq!(by_lat["records"], json!([sample]));
    let either = datastore(
        &app,
        json!({"resource_id": resource, "filters": {"code": [records[0]["code"], records[1]["code"]]}}),
    )
    .await;
    assert_eq!(either["total"], 2);
    let by_id = datastore(
        &app,
        json!({"resource_id": resource, "filters": {"_id": 4}}),
    )
    .await;
    assert_eq!(by_id["records"], json!([sample]));
    // Filtered pages skip by OFFSET.
    let second_okrug = datastore(
        &app,
        json!({"resource_id": resource, "filters": {"kind": "city_okrug"}, "limit": 1, "offset": 1}),
    )
    .await;
    assert_eq!(second_okrug["records"][0], filtered["records"][1]);

    // q: words anywhere in the row, in any case.
    // One word of a name: q's words may lie apart in a row, a phrase would not.
    let word = sample["name"]
        .as_str()
        .and_then(|name| name.split_whitespace().next())
        .expect("a name")
        .to_string();
    let expected = records
        .iter()
        .filter(|r| r.to_string().to_lowercase().contains(&word.to_lowercase()))
        .count();
    let found = datastore(
        &app,
        json!({"resource_id": resource, "q": word.to_uppercase()}),
    )
    .await;
    assert_eq!(found["total"], expected);
    assert!(
        found["records"]
            .as_array()
            .is_some_and(|r| r.contains(sample))
    );
    let nothing = datastore(
        &app,
        json!({"resource_id": resource, "q": "no-such-words-here"}),
    )
    .await;
    assert_eq!(nothing["total"], 0);
    let in_column = datastore(
        &app,
        json!({"resource_id": resource, "q": {"code": sample["code"]}}),
    )
    .await;
    assert!(
        in_column["records"]
            .as_array()
            .is_some_and(|r| r.contains(sample))
    );

    // fields, sort, lists, no total.
    let picked = datastore(
        &app,
        json!({"resource_id": resource, "fields": "code,_id", "sort": "_id desc", "limit": 1,
               "records_format": "lists", "include_total": false}),
    )
    .await;
    assert_eq!(
        picked["records"],
        json!([[records.last().map(|r| r["code"].clone()), rows]])
    );
    assert_eq!(
        picked["fields"],
        json!([{"id": "code", "type": "text", "info": {"label": "Код", "notes": "Code (stable Latin identifier)"}},
               {"id": "_id", "type": "int"}])
    );
    assert!(picked.get("total").is_none());
    let by_lat_desc = datastore(
        &app,
        json!({"resource_id": resource, "sort": "lat desc", "limit": 10000}),
    )
    .await;
    let lats: Vec<f64> = by_lat_desc["records"]
        .as_array()
        .expect("records")
        .iter()
        .filter_map(|r| r["lat"].as_f64())
        .collect();
    assert!(lats.windows(2).all(|w| w[0] >= w[1]), "{lats:?}");

    // An integer column compares as a number.
    let themes = get(
        &app,
        &format!(
            "/api/3/action/package_show?id={}",
            identifier("problem-themes")
        ),
    )
    .await
    .result();
    let themes_resource = resource_id(&themes, "CSV");
    let theme_rows = datastore(&app, json!({"resource_id": themes_resource, "limit": 1000})).await;
    let days = theme_rows["records"][0]["reaction_days"]
        .as_i64()
        .expect("days");
    let same_days = theme_rows["records"]
        .as_array()
        .expect("records")
        .iter()
        .filter(|r| r["reaction_days"] == days)
        .count();
    let by_days = datastore(
        &app,
        json!({"resource_id": themes_resource, "filters": {"reaction_days": days.to_string()}}),
    )
    .await;
    assert_eq!(by_days["total"], same_days);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_version_keeps_every_id_and_moves_the_urls() {
    let (app, day) = published().await;
    let name = identifier("municipalities");
    let before = get(&app, &format!("/api/3/action/package_show?id={name}"))
        .await
        .result();

    let mut conn = app.db.conn().await;
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query(
            "UPDATE municipalities SET name_ru = CONCAT(name_ru, ' (переименовано)') ORDER BY id LIMIT 1",
        ),
        &mut conn,
    )
    .await
    .expect("a change");
    let tomorrow = platform::clock::now() + chrono::Duration::days(1);
    let dataset = LIVE_DATASETS
        .iter()
        .find(|d| d.key == "municipalities")
        .expect("a live dataset");
    Datasets::publish_live(&mut conn, dataset, tomorrow.date(), tomorrow)
        .await
        .expect("a new version");
    drop(conn);

    let after = get(&app, &format!("/api/3/action/package_show?id={name}"))
        .await
        .result();
    assert_eq!(after["id"], before["id"]);
    let next_day = tomorrow.date().format("%Y%m%d").to_string();
    assert_eq!(after["version"], next_day.as_str());
    assert!(after["metadata_modified"].as_str() > before["metadata_modified"].as_str());
    for (old, new) in before["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .zip(after["resources"].as_array().expect("resources"))
    {
        assert_eq!(old["id"], new["id"], "a resource keeps its id");
        if old["resource_type"] == "file" {
            assert_eq!(
                new["name"]
                    .as_str()
                    .map(|n| n.starts_with(&format!("data-{next_day}-structure-{day}"))),
                Some(true),
                "{}",
                new["name"]
            );
            assert_ne!(old["url"], new["url"]);
        }
    }
    // The datastore reads the new version.
    let found = datastore(
        &app,
        json!({"resource_id": resource_id(&after, "CSV"), "q": "переименовано"}),
    )
    .await;
    assert_eq!(found["total"], 1);
    assert!(
        found["records"][0]["name"]
            .as_str()
            .is_some_and(|name| name.ends_with(" (переименовано)")),
        "{found}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_have_ckans_shape_and_status() {
    let (app, _) = published().await;

    // An unknown action and an unreadable body: 400 with a bare JSON string.
    for prefix in ["/api/3/action", "/api/action"] {
        let unknown = get(&app, &format!("{prefix}/package_create")).await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            unknown.json(),
            json!("Bad request - Action name not known: package_create")
        );
        assert_eq!(
            unknown.header(header::CONTENT_TYPE),
            "application/json;charset=utf-8"
        );
        assert_eq!(unknown.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    }
    let broken = post_raw(
        &app,
        "/api/3/action/package_show",
        "application/json",
        "{\"id\": ".into(),
    )
    .await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    assert!(
        broken
            .json()
            .as_str()
            .is_some_and(|s| s.starts_with("Bad request - JSON Error: Error decoding JSON data.")),
        "{}",
        broken.body
    );
    let list = post_raw(
        &app,
        "/api/3/action/package_show",
        "application/json",
        "[1, 2]".into(),
    )
    .await;
    assert_eq!(
        list.json(),
        json!(
            "Bad request - JSON Error: Request data JSON decoded to [1,2] but it needs to be a dictionary."
        )
    );

    // Unknown ids: 404 Not Found Error.
    for path in [
        "/api/3/action/package_show?id=0000000000-nothing",
        "/api/3/action/resource_show?id=00000000-0000-5000-8000-000000000000",
        "/api/3/action/organization_show?id=nobody",
        "/api/action/group_show?id=culture",
        "/api/3/action/help_show?name=package_create",
    ] {
        let error = get(&app, path).await.error(StatusCode::NOT_FOUND);
        assert_eq!(error["__type"], "Not Found Error", "{path}");
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("Not found")),
            "{path}"
        );
    }
    let missing_resource = post(
        &app,
        "/api/3/action/datastore_search",
        &json!({"resource_id": "no-such-resource"}),
    )
    .await
    .error(StatusCode::NOT_FOUND);
    assert_eq!(
        missing_resource["message"],
        "Not found: Resource \"no-such-resource\" was not found."
    );
    // Only the CSV resource is a datastore table.
    let package = get(
        &app,
        &format!(
            "/api/3/action/package_show?id={}",
            identifier("municipalities")
        ),
    )
    .await
    .result();
    let json_resource = resource_id(&package, "JSON");
    post(
        &app,
        "/api/3/action/datastore_search",
        &json!({"resource_id": json_resource}),
    )
    .await
    .error(StatusCode::NOT_FOUND);

    // Missing ids: 409 Validation Error, by field.
    for (path, field) in [
        ("/api/3/action/package_show", "name_or_id"),
        ("/api/3/action/resource_show", "id"),
        ("/api/3/action/organization_show", "id"),
        ("/api/3/action/group_show", "id"),
        ("/api/3/action/datastore_search", "resource_id"),
        ("/api/3/action/help_show", "name"),
    ] {
        let error = post(&app, path, &json!({}))
            .await
            .error(StatusCode::CONFLICT);
        assert_eq!(
            error,
            json!({field: ["Missing value"], "__type": "Validation Error"}),
            "{path}"
        );
    }

    // Bad parameters: 409 with each refused field.
    let resource = resource_id(&package, "CSV");
    let bad = post(
        &app,
        "/api/3/action/datastore_search",
        &json!({"resource_id": resource, "limit": "lots", "filters": "{not json"}),
    )
    .await
    .error(StatusCode::CONFLICT);
    assert_eq!(
        bad,
        json!({"limit": ["Invalid integer"], "filters": ["Could not parse as valid JSON"], "__type": "Validation Error"})
    );
    let unknown_column = get(
        &app,
        &format!(
            "/api/3/action/datastore_search?resource_id={resource}&filters=%7B%22colour%22%3A1%7D"
        ),
    )
    .await
    .error(StatusCode::CONFLICT);
    assert_eq!(
        unknown_column["filters"],
        json!(["invalid value \"colour\""])
    );
    let junk = post(
        &app,
        "/api/3/action/datastore_search",
        &json!({"resource_id": resource, "colour": "red"}),
    )
    .await
    .error(StatusCode::CONFLICT);
    assert_eq!(
        junk["__junk"],
        json!(["The input field colour was not expected."])
    );
    let negative = get(&app, "/api/3/action/package_search?rows=-1")
        .await
        .error(StatusCode::CONFLICT);
    assert_eq!(negative["rows"], json!(["Must be a natural number"]));
    let limit = get(&app, "/api/3/action/package_list?limit=x")
        .await
        .error(StatusCode::CONFLICT);
    assert_eq!(limit["limit"], json!(["Invalid integer"]));
    let org_sort = get(&app, "/api/3/action/organization_list?sort=colour")
        .await
        .error(StatusCode::CONFLICT);
    assert_eq!(
        org_sort,
        json!({"message": "Cannot sort by field `colour`", "__type": "Validation Error"})
    );

    // Queries package_search cannot read: 400 Search Query Error.
    for query in [
        "sort=colour+asc",
        "q=colour:red",
        "fq=name:(a",
        "q=metadata_modified:[yesterday+TO+*]",
    ] {
        let error = get(&app, &format!("/api/3/action/package_search?{query}"))
            .await
            .error(StatusCode::BAD_REQUEST);
        assert_eq!(error["__type"], "Search Query Error", "{query}");
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("Search Query is invalid: '")),
            "{query}: {error}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn browser_apps_on_other_origins_can_query() {
    let app = TestApp::new().await;
    let preflight = send(
        &app,
        request(Method::OPTIONS, "/api/3/action/package_search")
            .header(header::ORIGIN, "https://dashboard.example")
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
            .body(Body::empty())
            .expect("a request"),
    )
    .await;
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
    assert_eq!(preflight.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    assert!(
        preflight
            .header(header::ACCESS_CONTROL_ALLOW_METHODS)
            .contains("POST")
    );
    assert!(
        preflight
            .header(header::ACCESS_CONTROL_ALLOW_HEADERS)
            .contains("Content-Type")
    );
    // A cross-origin POST reads (the API changes nothing), while other POSTs stay refused.
    let cross = send(
        &app,
        request(Method::POST, "/api/action/package_search")
            .header(header::ORIGIN, "https://dashboard.example")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{\"q\": \"\"}"))
            .expect("a request"),
    )
    .await;
    let result = cross.result();
    assert_eq!(result["count"], 0, "nothing published in an empty portal");
    assert_eq!(cross.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    let login = send(
        &app,
        request(Method::POST, "/api/auth/login")
            .header(header::ORIGIN, "https://dashboard.example")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("email=a&password=b"))
            .expect("a request"),
    )
    .await;
    assert_eq!(login.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_search_queries_are_refused_and_the_server_keeps_answering() {
    let app = TestApp::new().await;
    // Each of these once recursed one stack frame per character in the query parser: a
    // few hundred thousand overflowed the worker's stack and aborted the whole server.
    // A GET's whole URI stays under http's 64 KiB limit; a POST body has no such bound.
    let dashes = "-".repeat(60_000);
    let parentheses = "(".repeat(300_000);
    let long = get(
        &app,
        &format!("/api/3/action/package_search?q={dashes}name:x"),
    )
    .await
    .error(StatusCode::BAD_REQUEST);
    assert_eq!(long["__type"], "Search Query Error");
    let posted = post(
        &app,
        "/api/3/action/package_search",
        &json!({"q": "*:*", "fq": format!("{parentheses}name:x")}),
    )
    .await
    .error(StatusCode::BAD_REQUEST);
    assert_eq!(posted["__type"], "Search Query Error");
    let deep = get(
        &app,
        &format!(
            "/api/3/action/package_search?q={}name:x",
            urlencode(&"NOT ".repeat(40))
        ),
    )
    .await
    .error(StatusCode::BAD_REQUEST);
    assert!(
        deep["message"]
            .as_str()
            .is_some_and(|m| m.contains("query nested too deeply")),
        "{deep}"
    );
    let many_filters = post(
        &app,
        "/api/3/action/package_search",
        &json!({"fq_list": vec!["name:x"; 1_000]}),
    )
    .await
    .error(StatusCode::BAD_REQUEST);
    assert!(
        many_filters["message"]
            .as_str()
            .is_some_and(|m| m.contains("too many filters")),
        "{many_filters}"
    );
    // The same instance still answers.
    let list = get(&app, "/api/3/action/package_list").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
}
