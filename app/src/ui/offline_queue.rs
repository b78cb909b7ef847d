//! Submissions kept on the device while it has no network: an IndexedDB store in the
//! browser that outlives a closed tab or a restarted phone. Each record holds the
//! device's id of the submission (sent with it, so that the server takes a repeated one as
//! the same), its kind, a title to show while it waits, the form's input as JSON and its
//! files, kept as the browser's own `File` objects.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransactionMode};

/// The database and its one store, keyed by the record's `id`.
const DATABASE: &str = "open-region";
const STORE: &str = "waiting";

/// One kept submission.
pub struct Kept {
    /// The device's id of the submission.
    pub id: String,
    /// What it is (the feature's name for it).
    pub kind: String,
    /// What the waiting list shows.
    pub title: String,
    /// The form's input, as JSON.
    pub input: String,
    /// Its files.
    pub files: Vec<web_sys::File>,
}

/// A new id for a submission (a random UUID).
pub fn new_id() -> Option<String> {
    web_sys::window()?
        .crypto()
        .ok()
        .map(|crypto| crypto.random_uuid())
}

/// Whether the browser believes it has a network.
pub fn is_online() -> bool {
    web_sys::window().is_none_or(|window| window.navigator().on_line())
}

/// Keeps `kept` (replacing a record with its id).
pub async fn put(kept: &Kept) -> Result<(), JsValue> {
    let record = js_sys::Object::new();
    let files: js_sys::Array = kept.files.iter().collect();
    for (key, value) in [
        ("id", JsValue::from_str(&kept.id)),
        ("kind", JsValue::from_str(&kept.kind)),
        ("title", JsValue::from_str(&kept.title)),
        ("input", JsValue::from_str(&kept.input)),
        ("files", files.into()),
    ] {
        js_sys::Reflect::set(&record, &JsValue::from_str(key), &value)?;
    }
    let store = store(IdbTransactionMode::Readwrite).await?;
    done(&store.put(&record)?).await.map(drop)
}

/// Every kept submission of `kind`, oldest first.
pub async fn all(kind: &str) -> Result<Vec<Kept>, JsValue> {
    let store = store(IdbTransactionMode::Readonly).await?;
    let records: js_sys::Array = done(&store.get_all()?).await?.dyn_into()?;
    let text = |record: &JsValue, key: &str| {
        js_sys::Reflect::get(record, &JsValue::from_str(key))
            .ok()
            .and_then(|value| value.as_string())
            .unwrap_or_default()
    };
    let mut kept = Vec::new();
    for record in records.iter() {
        if text(&record, "kind") != kind {
            continue;
        }
        let files: js_sys::Array = js_sys::Reflect::get(&record, &JsValue::from_str("files"))?
            .dyn_into()
            .unwrap_or_else(|_| js_sys::Array::new());
        kept.push(Kept {
            id: text(&record, "id"),
            kind: text(&record, "kind"),
            title: text(&record, "title"),
            input: text(&record, "input"),
            files: files
                .iter()
                .filter_map(|file| file.dyn_into().ok())
                .collect(),
        });
    }
    Ok(kept)
}

/// Forgets the submission `id` (it was sent).
pub async fn delete(id: &str) -> Result<(), JsValue> {
    let store = store(IdbTransactionMode::Readwrite).await?;
    done(&store.delete(&JsValue::from_str(id))?).await.map(drop)
}

/// The store, in a new transaction.
async fn store(mode: IdbTransactionMode) -> Result<IdbObjectStore, JsValue> {
    database()
        .await?
        .transaction_with_str_and_mode(STORE, mode)?
        .object_store(STORE)
}

/// The database, created with its store on first use.
async fn database() -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .indexed_db()?
        .ok_or_else(|| JsValue::from_str("no IndexedDB"))?;
    let open = factory.open_with_u32(DATABASE, 1)?;
    let request = open.clone();
    let upgrade = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
        if let Ok(database) = request.result() {
            let parameters = web_sys::IdbObjectStoreParameters::new();
            parameters.set_key_path(&JsValue::from_str("id"));
            let database: IdbDatabase = database.unchecked_into();
            // Fails only if the store exists, which an upgrade from nothing rules out.
            let _ = database.create_object_store_with_optional_parameters(STORE, &parameters);
        }
    });
    open.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let database = done(&open).await;
    open.set_onupgradeneeded(None);
    drop(upgrade);
    database?.dyn_into()
}

/// The result of `request` once it succeeded, or its error.
async fn done(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await?;
    request.result()
}
