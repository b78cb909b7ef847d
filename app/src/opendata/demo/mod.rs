//! The demo's uploaded dataset: Krasnodar's parks and squares, published through the same
//! path as a moderator's upload (read, propose the structure, check every cell, publish),
//! so a new visitor sees an uploaded dataset with a map and the upload path is exercised
//! on every `seed-demo`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use sha2::{Digest, Sha256};

use super::manage::{Manage, encode_rows};
use super::model::{PassportForm, PublishOutcome};
use super::queries::{Datasets, Publisher};
use super::table::read_table;
use crate::auth::model::UserId;
use platform::db::schema::users;
use platform::error::AppError;

/// The demo file, as a moderator in Krasnodar would export it from Excel (semicolons,
/// decimal commas).
const PARKS_CSV: &str = include_str!("parks-krasnodar.csv");

/// The demo dataset's code.
pub const PARKS_CODE: &str = "parks-krasnodar";

/// Defines the demo parks dataset (once) and publishes today's version of it as the demo
/// moderator; returns the outcome (`Unchanged` on a second run).
pub async fn seed_parks(
    conn: &mut AsyncMysqlConnection,
    publisher: &Publisher,
    now: NaiveDateTime,
) -> Result<PublishOutcome, AppError> {
    let identifier = format!("{}-{PARKS_CODE}", publisher.inn);
    if Datasets::by_identifier(conn, &identifier).await?.is_none() {
        let form = PassportForm {
            code: PARKS_CODE.into(),
            title_ru: "Парки и скверы Краснодара".into(),
            title_en: "Parks and squares of Krasnodar".into(),
            description_ru: "Парки, скверы и набережные города Краснодара: вид, площадь, год открытия, адрес и координаты входа. Демонстрационные данные портала.".into(),
            description_en: "Parks, squares and embankments of Krasnodar: kind, area, year opened, address and the entrance's coordinates. The portal's demo data.".into(),
            creator: publisher.creator.clone(),
            subject: "парки, скверы, благоустройство, Краснодар".into(),
            publisher_name: publisher.person.clone(),
            publisher_phone: publisher.phone.clone(),
            publisher_mbox: publisher.email.clone(),
            valid_days: 365,
        };
        Manage::create_uploaded(conn, &publisher.inn, &form, now).await?;
    }
    let dataset = Datasets::by_identifier(conn, &identifier)
        .await?
        .ok_or(AppError::Internal)?;
    if !Datasets::versions(conn, dataset.id).await?.is_empty() {
        // The demo file never changes, so a published version is already its content.
        return Ok(PublishOutcome::Unchanged);
    }
    let moderator: UserId = users::table
        .filter(users::email.eq("moderator@openregion.demo"))
        .select(users::id)
        .first(conn)
        .await?;
    let table = read_table(PARKS_CSV.as_bytes()).map_err(|error| {
        tracing::error!(?error, "the demo parks file does not read");
        AppError::Internal
    })?;
    let mut structure = Manage::propose_structure(conn, dataset.id, &table, now.date()).await?;
    // The inferred English descriptions are empty for Russian headers; a moderator would
    // type them, the demo names them here.
    let english = [
        "Name",
        "Kind",
        "Area, ha",
        "Year opened",
        "Paid entry",
        "Address",
        "Latitude",
        "Longitude",
    ];
    for (column, english) in structure.columns.iter_mut().zip(english) {
        if column.english.is_empty() {
            column.english = english.to_string();
        }
    }
    let rows = encode_rows(&table, &structure).map_err(|(problems, _)| {
        tracing::error!(?problems, "the demo parks file does not fit its structure");
        AppError::Internal
    })?;
    let upload = Manage::stage(
        conn,
        dataset.id,
        moderator,
        "parks-krasnodar.csv",
        table.kind.as_db(),
        &hex::encode(Sha256::digest(PARKS_CSV)),
        table.rows.len() as u32,
        &structure,
        now,
    )
    .await?;
    Manage::publish_upload(conn, upload, structure, rows, now).await
}
