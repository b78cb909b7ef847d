//! Demo data of construction control for `server seed-demo`: a registry of a few hundred
//! permitted constructions across all 44 municipalities (each with its history, some
//! changed later) and citizens' reports in every state of their verification, filed and
//! walked through by the same queries the app uses, at historical times over the last
//! year. Idempotent: skipped when the registry has entries.
//!
//! Everything is written in one transaction, so a seed that fails midway leaves nothing
//! behind and the next run starts again (the "registry is not empty" check would otherwise
//! skip a half-made registry for good).

use std::collections::HashMap;

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::model::{
    ConstructionFields, ConstructionId, ConstructionInput, ConstructionStatus, DiffAspect, Editor,
    Footprint, ReportAction, ReportKind, ReportStatus, ValidReport, ValidVerification,
};
use super::model::{FoundBy, IllegalFields, IllegalStatus, IllegalStep};
use super::queries::IllegalRegistry;
use super::queries::{Registry, Reports, supervision_departments, supervision_theme};
use crate::auth::model::{Role, UserId, ValidRegistration};
use crate::auth::queries::{Roles, Users};
use crate::geography::model::MunicipalityId;
use crate::i18n::Locale;
use crate::organisation::model::DepartmentId;
use crate::organisation::queries::RoutingRules;
use platform::db::schema::{departments, municipalities, users};
use platform::dice::Dice;
use platform::error::AppError;
use platform::geo::LatLon;

/// How many registry entries the demo registry holds.
pub const DEMO_ENTRIES: usize = 300;
/// How many citizens' reports are filed.
pub const DEMO_REPORTS: usize = 40;

/// What the demo seeding of construction control made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeedCounts {
    /// Registry entries added.
    pub entries: usize,
    /// Of those, entries changed again later (their history has two entries).
    pub updated: usize,
    /// Citizens' reports filed.
    pub reports: usize,
    /// Illegal constructions entered from inspections and agencies.
    pub illegal: usize,
}

/// Seeds the demo registry and reports unless the registry has entries. Reports are filed
/// by the demo residents (made by the problems' seeding); without any, only the registry
/// is made. `password_hash` is given to the supervision department's demo official when
/// that account has to be created.
pub async fn seed_constructions(
    conn: &mut AsyncMysqlConnection,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<SeedCounts, AppError> {
    if Registry::count(conn).await? > 0 {
        return Ok(SeedCounts::default());
    }
    conn.transaction(async |conn| seed_all(conn, password_hash, now).await)
        .await
}

/// A municipality as the generator needs it.
struct Place {
    id: MunicipalityId,
    slug: String,
    is_city: bool,
    name_ru: String,
    centre_ru: String,
    centre: LatLon,
    /// The OKTMO-like code written into permit numbers ("23-RU23306000-1234-2024").
    code: String,
}

impl Place {
    /// How much more construction it sees than a rural district: the big cities and the
    /// resorts lead, as in life.
    fn weight(&self) -> u64 {
        match self.slug.as_str() {
            "krasnodar" => 40,
            "sochi" => 22,
            "novorossiysk" => 13,
            "anapa" => 12,
            "gelendzhik" => 8,
            "armavir" | "goryachy-klyuch" => 5,
            "dinskoy" | "temryuksky" | "tuapsinsky" => 4,
            "seversky" | "yeysky" | "belorechensky" | "krymsky" | "slavyansky" => 3,
            "kavkazsky" | "labinsky" | "timashyovsky" | "tikhoretsky" | "ust-labinsky"
            | "korenovsky" | "abinsky" => 2,
            _ => 1,
        }
    }

    fn is_resort(&self) -> bool {
        matches!(
            self.slug.as_str(),
            "sochi" | "anapa" | "gelendzhik" | "tuapsinsky" | "temryuksky"
        )
    }

    /// How far from the centre points fall, in degrees (latitude, longitude).
    fn spread(&self) -> (f64, f64) {
        match self.slug.as_str() {
            "krasnodar" => (0.045, 0.065),
            "sochi" | "novorossiysk" => (0.02, 0.03),
            _ if self.is_city => (0.02, 0.03),
            _ => (0.015, 0.02),
        }
    }

    fn point(&self, dice: &mut Dice) -> LatLon {
        let (lat, lon) = self.spread();
        LatLon {
            lat: round6(self.centre.lat + dice.offset(lat)),
            lon: round6(self.centre.lon + dice.offset(lon)),
        }
    }

    fn streets(&self) -> &'static [&'static str] {
        match self.slug.as_str() {
            "krasnodar" => &KRASNODAR_STREETS,
            "sochi" => &SOCHI_STREETS,
            "novorossiysk" => &NOVOROSSIYSK_STREETS,
            "anapa" => &ANAPA_STREETS,
            _ => &STREETS,
        }
    }

    /// An address in the municipality: towns are "г. ...", villages keep their kind
    /// ("станица Динская").
    fn address(&self, street: &str, house: &str) -> String {
        let starts_upper = self
            .centre_ru
            .chars()
            .next()
            .is_some_and(char::is_uppercase);
        match (self.is_city, starts_upper) {
            (true, _) => format!("г. {}, {street}, {house}", self.centre_ru),
            (false, true) => format!("{}, г. {}, {street}, {house}", self.name_ru, self.centre_ru),
            (false, false) => format!("{}, {}, {street}, {house}", self.name_ru, self.centre_ru),
        }
    }

    /// The local permit issuer.
    fn issuer(&self) -> String {
        if self.slug == "krasnodar" {
            "Департамент архитектуры и градостроительства администрации муниципального \
             образования город Краснодар"
                .to_string()
        } else {
            format!(
                "Управление архитектуры и градостроительства администрации муниципального \
                 образования {}",
                self.name_ru
            )
        }
    }
}

fn round6(value: f64) -> f64 {
    (value * 1_000_000.0).round() / 1_000_000.0
}

/// The permit code of a city okrug; districts get 23601000, 23604000, ... by their order.
fn city_code(slug: &str) -> Option<&'static str> {
    Some(match slug {
        "anapa" => "23301000",
        "armavir" => "23303000",
        "gelendzhik" => "23304000",
        "goryachy-klyuch" => "23305000",
        "krasnodar" => "23306000",
        "novorossiysk" => "23308000",
        "sochi" => "23320000",
        _ => return None,
    })
}

/// The regional issuer, for objects of regional significance.
const REGIONAL_ISSUER: &str = "Департамент по архитектуре и градостроительству Краснодарского края";
const REGIONAL_CODE: &str = "23000000";

const STREETS: [&str; 14] = [
    "ул. Красная",
    "ул. Ленина",
    "ул. Мира",
    "ул. Садовая",
    "ул. Советская",
    "ул. Школьная",
    "ул. Северная",
    "ул. Кирова",
    "ул. Октябрьская",
    "ул. Гагарина",
    "ул. Набережная",
    "ул. Кубанская",
    "ул. Степная",
    "ул. Пушкина",
];

const KRASNODAR_STREETS: [&str; 14] = [
    "ул. Красных Партизан",
    "ул. Уральская",
    "ул. Ставропольская",
    "ул. Московская",
    "ул. Российская",
    "ул. Тургенева",
    "ул. Кубанская Набережная",
    "ул. Восточно-Кругликовская",
    "ул. Жлобы",
    "ул. Автолюбителей",
    "ул. Западный Обход",
    "пр-т Чекистов",
    "ул. Селезнёва",
    "ул. Стахановская",
];

const SOCHI_STREETS: [&str; 10] = [
    "Курортный пр-т",
    "ул. Пластунская",
    "ул. Донская",
    "ул. Виноградная",
    "ул. Ясногорская",
    "ул. Транспортная",
    "ул. Кипарисовая",
    "ул. Победы",
    "ул. Ленинградская",
    "ул. Бытха",
];

const NOVOROSSIYSK_STREETS: [&str; 8] = [
    "ул. Мысхакское шоссе",
    "пр-т Дзержинского",
    "ул. Южная",
    "ул. Видова",
    "ул. Куникова",
    "ул. Анапское шоссе",
    "ул. Хворостянского",
    "пр-т Ленина",
];

const ANAPA_STREETS: [&str; 8] = [
    "Пионерский пр-т",
    "ул. Ленина",
    "ул. Астраханская",
    "ул. Крестьянская",
    "ул. Владимирская",
    "Анапское шоссе",
    "ул. Шевченко",
    "ул. Объездная",
];

const ESTATES: [&str; 10] = [
    "Солнечный",
    "Кубанская гавань",
    "Южный квартал",
    "Черноморский",
    "Парковый",
    "Светлый",
    "Лазурный берег",
    "Новые горизонты",
    "Екатеринодарский",
    "Зелёная роща",
];

/// Who builds a kind of object.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Builder {
    /// A development company.
    Company,
    /// The region's or a municipality's construction agency (schools, clinics).
    Public,
    /// A sole trader (small shops, filling stations).
    Trader,
    /// A private person (houses).
    Person,
}

/// A kind of object: its name (with `{n}` for a size, `{estate}` for a housing estate's
/// name), permitted use and usual dimensions.
struct ObjectKind {
    name: &'static str,
    sizes: &'static [u32],
    permitted_use: &'static str,
    floors: (u16, u16),
    floor_area: (u32, u32),
    months: (u32, u32),
    builder: Builder,
    weight: u64,
    resort: bool,
}

const KINDS: [ObjectKind; 18] = [
    ObjectKind {
        name: "Многоквартирный жилой дом",
        sizes: &[],
        permitted_use: "Многоэтажная жилая застройка (высотная застройка)",
        floors: (9, 24),
        floor_area: (600, 1400),
        months: (24, 42),
        builder: Builder::Company,
        weight: 26,
        resort: false,
    },
    ObjectKind {
        name: "Жилой комплекс «{estate}», литер {n}",
        sizes: &[1, 2, 3, 4, 5, 6, 7, 8],
        permitted_use: "Многоэтажная жилая застройка (высотная застройка)",
        floors: (12, 25),
        floor_area: (700, 1500),
        months: (24, 48),
        builder: Builder::Company,
        weight: 14,
        resort: false,
    },
    ObjectKind {
        name: "Многоквартирный жилой дом со встроенными помещениями общественного назначения",
        sizes: &[],
        permitted_use: "Среднеэтажная жилая застройка",
        floors: (5, 8),
        floor_area: (500, 1100),
        months: (18, 30),
        builder: Builder::Company,
        weight: 10,
        resort: false,
    },
    ObjectKind {
        name: "Индивидуальный жилой дом",
        sizes: &[],
        permitted_use: "Для индивидуального жилищного строительства",
        floors: (1, 3),
        floor_area: (70, 160),
        months: (12, 36),
        builder: Builder::Person,
        weight: 24,
        resort: false,
    },
    ObjectKind {
        name: "Торгово-офисный центр",
        sizes: &[],
        permitted_use: "Деловое управление; магазины",
        floors: (3, 9),
        floor_area: (900, 2500),
        months: (18, 30),
        builder: Builder::Company,
        weight: 7,
        resort: false,
    },
    ObjectKind {
        name: "Торговый центр",
        sizes: &[],
        permitted_use: "Магазины",
        floors: (1, 4),
        floor_area: (2000, 8000),
        months: (12, 24),
        builder: Builder::Company,
        weight: 4,
        resort: false,
    },
    ObjectKind {
        name: "Школа на {n} мест",
        sizes: &[550, 825, 1100, 1550],
        permitted_use: "Образование и просвещение",
        floors: (3, 4),
        floor_area: (3000, 6000),
        months: (18, 30),
        builder: Builder::Public,
        weight: 5,
        resort: false,
    },
    ObjectKind {
        name: "Детский сад на {n} мест",
        sizes: &[160, 220, 250, 300],
        permitted_use: "Дошкольное, начальное и среднее общее образование",
        floors: (2, 3),
        floor_area: (1200, 2500),
        months: (12, 24),
        builder: Builder::Public,
        weight: 5,
        resort: false,
    },
    ObjectKind {
        name: "Гостиничный комплекс",
        sizes: &[],
        permitted_use: "Гостиничное обслуживание",
        floors: (5, 12),
        floor_area: (800, 2000),
        months: (24, 36),
        builder: Builder::Company,
        weight: 5,
        resort: true,
    },
    ObjectKind {
        name: "Апарт-отель",
        sizes: &[],
        permitted_use: "Гостиничное обслуживание",
        floors: (6, 16),
        floor_area: (600, 1300),
        months: (24, 36),
        builder: Builder::Company,
        weight: 3,
        resort: true,
    },
    ObjectKind {
        name: "Складской комплекс",
        sizes: &[],
        permitted_use: "Склады",
        floors: (1, 2),
        floor_area: (3000, 12000),
        months: (8, 18),
        builder: Builder::Company,
        weight: 5,
        resort: false,
    },
    ObjectKind {
        name: "Многоуровневая автостоянка на {n} машино-мест",
        sizes: &[300, 450, 600],
        permitted_use: "Хранение автотранспорта",
        floors: (4, 7),
        floor_area: (2000, 3500),
        months: (12, 20),
        builder: Builder::Company,
        weight: 2,
        resort: false,
    },
    ObjectKind {
        name: "Поликлиника на {n} посещений в смену",
        sizes: &[300, 500, 750],
        permitted_use: "Амбулаторно-поликлиническое обслуживание",
        floors: (3, 5),
        floor_area: (1800, 3500),
        months: (18, 30),
        builder: Builder::Public,
        weight: 2,
        resort: false,
    },
    ObjectKind {
        name: "Физкультурно-оздоровительный комплекс с плавательным бассейном",
        sizes: &[],
        permitted_use: "Обеспечение занятий спортом в помещениях",
        floors: (2, 3),
        floor_area: (1500, 3000),
        months: (14, 24),
        builder: Builder::Public,
        weight: 3,
        resort: false,
    },
    ObjectKind {
        name: "Административное здание",
        sizes: &[],
        permitted_use: "Деловое управление",
        floors: (3, 7),
        floor_area: (500, 1200),
        months: (12, 24),
        builder: Builder::Company,
        weight: 4,
        resort: false,
    },
    ObjectKind {
        name: "Производственный корпус",
        sizes: &[],
        permitted_use: "Производственная деятельность",
        floors: (1, 3),
        floor_area: (1500, 6000),
        months: (10, 20),
        builder: Builder::Company,
        weight: 3,
        resort: false,
    },
    ObjectKind {
        name: "Автозаправочная станция с магазином сопутствующих товаров",
        sizes: &[],
        permitted_use: "Объекты дорожного сервиса",
        floors: (1, 1),
        floor_area: (150, 400),
        months: (6, 12),
        builder: Builder::Trader,
        weight: 2,
        resort: false,
    },
    ObjectKind {
        name: "Магазин",
        sizes: &[],
        permitted_use: "Магазины",
        floors: (1, 2),
        floor_area: (200, 800),
        months: (6, 12),
        builder: Builder::Trader,
        weight: 4,
        resort: false,
    },
];

const COMPANIES: [&str; 20] = [
    "ООО СЗ «Южный квартал»",
    "ООО СЗ «Кубань-Девелопмент»",
    "АО «Черноморская строительная компания»",
    "ООО СЗ «Екатеринодар-Инвест»",
    "ООО СЗ «Новый горизонт»",
    "ООО «Азовстройинвест»",
    "ООО СЗ «Солнечный город»",
    "АО СЗ «Краевая жилищная корпорация»",
    "ООО «Гранит-Юг»",
    "ООО СЗ «Лазурный берег»",
    "ООО «Курортстрой»",
    "ООО СЗ «Парковый»",
    "ООО «Агрологистик-Кубань»",
    "ООО «Ритейл-Юг»",
    "ООО «Таманьтерминалстрой»",
    "ООО СЗ «Приморье»",
    "ООО «Отель-Сервис Сочи»",
    "ООО СЗ «Меридиан»",
    "ООО «Кубаньпромстрой»",
    "ООО СЗ «Дом на Набережной»",
];

const PUBLIC_BUILDERS: [&str; 3] = [
    "ГКУ КК «Дирекция по строительству объектов социальной сферы»",
    "МКУ «Управление капитального строительства»",
    "ГКУ КК «Управление капитального строительства Краснодарского края»",
];

const PEOPLE: [&str; 16] = [
    "Петренко Ольга Викторовна",
    "Иванов Сергей Петрович",
    "Ковальчук Андрей Николаевич",
    "Саркисян Армен Гагикович",
    "Мельникова Татьяна Сергеевна",
    "Григорьев Виктор Алексеевич",
    "Шевченко Наталья Ивановна",
    "Кузнецов Дмитрий Олегович",
    "Бондаренко Елена Михайловна",
    "Ткаченко Игорь Васильевич",
    "Захарова Марина Юрьевна",
    "Оганесян Карен Ашотович",
    "Литвиненко Павел Геннадьевич",
    "Сидоренко Алла Борисовна",
    "Попов Артём Андреевич",
    "Волкова Ирина Анатольевна",
];

/// Codes of tax offices of the region (the 3rd and 4th digits of a Kuban INN).
const TAX_OFFICES: [u32; 12] = [8, 9, 10, 11, 12, 20, 25, 31, 43, 48, 62, 66];

const INN_10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN_11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN_12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

fn inn_digit(digits: &[u32], weights: &[u32]) -> u32 {
    digits
        .iter()
        .zip(weights)
        .map(|(digit, weight)| digit * weight)
        .sum::<u32>()
        % 11
        % 10
}

/// A Kuban INN with valid check digits: 10 digits for an organisation, 12 for a person.
pub(crate) fn demo_inn(dice: &mut Dice, person: bool) -> String {
    let office = *dice.pick(&TAX_OFFICES);
    let mut digits = vec![2, 3, office / 10, office % 10];
    let serial_length = if person { 6 } else { 5 };
    for _ in 0..serial_length {
        digits.push(dice.below(10) as u32);
    }
    if person {
        let eleventh = inn_digit(&digits, &INN_11);
        digits.push(eleventh);
        let twelfth = inn_digit(&digits, &INN_12);
        digits.push(twelfth);
    } else {
        let tenth = inn_digit(&digits, &INN_10);
        digits.push(tenth);
    }
    digits.iter().map(|digit| digit.to_string()).collect()
}

/// A developer: name and INN.
#[derive(Clone)]
struct Developer {
    name: String,
    inn: String,
}

struct Developers {
    companies: Vec<Developer>,
    public: Vec<Developer>,
    traders: Vec<Developer>,
    people: Vec<Developer>,
}

impl Developers {
    fn new(dice: &mut Dice) -> Self {
        let mut make = |names: &[&str], prefix: &str, person: bool| -> Vec<Developer> {
            names
                .iter()
                .map(|name| Developer {
                    name: format!("{prefix}{name}"),
                    inn: demo_inn(dice, person),
                })
                .collect()
        };
        Self {
            companies: make(&COMPANIES, "", false),
            public: make(&PUBLIC_BUILDERS, "", false),
            traders: make(&PEOPLE[..6], "ИП ", true),
            people: make(&PEOPLE, "", true),
        }
    }

    /// A developer for `builder`; the first companies build most, so the developer filter
    /// finds several permits of one INN.
    fn pick(&self, dice: &mut Dice, builder: Builder) -> Developer {
        let list = match builder {
            Builder::Company => &self.companies,
            Builder::Public => &self.public,
            Builder::Trader => &self.traders,
            Builder::Person => &self.people,
        };
        let length = list.len() as u64;
        let index = dice.below(length).min(dice.below(length)) as usize;
        list[index.min(list.len().saturating_sub(1))].clone()
    }
}

/// A registry entry to make: its first state, and its later change if it has one.
struct Planned {
    first: ConstructionFields,
    created_at: NaiveDateTime,
    later: Option<(ConstructionFields, NaiveDateTime)>,
    /// The issuer's permit code, to number the permit once entries are in date order.
    code: String,
}

fn pick_weighted<'a, T>(dice: &mut Dice, items: &'a [T], weight: impl Fn(&T) -> u64) -> &'a T {
    let total: u64 = items.iter().map(&weight).sum();
    let mut roll = dice.below(total);
    for item in items {
        let w = weight(item);
        if roll < w {
            return item;
        }
        roll -= w;
    }
    &items[items.len() - 1]
}

fn in_range(dice: &mut Dice, (low, high): (u32, u32)) -> u32 {
    low + dice.below(u64::from(high.saturating_sub(low)) + 1) as u32
}

/// Where a construction stands after `age_days` of its permit and `months` of planned work.
fn status_for(dice: &mut Dice, age_days: i64, months: u32) -> ConstructionStatus {
    let roll = dice.below(100);
    if roll < 4 {
        ConstructionStatus::Revoked
    } else if roll < 10 && age_days > 90 {
        ConstructionStatus::Suspended
    } else if age_days > i64::from(months) * 30 {
        // Some run late, as in life.
        if roll < 35 {
            ConstructionStatus::UnderConstruction
        } else {
            ConstructionStatus::Commissioned
        }
    } else if age_days > 45 {
        ConstructionStatus::UnderConstruction
    } else {
        ConstructionStatus::PermitIssued
    }
}

/// The status an entry had before its recorded change to `status`, if it had one.
fn earlier_status(dice: &mut Dice, status: ConstructionStatus) -> Option<ConstructionStatus> {
    use ConstructionStatus as S;
    match status {
        S::UnderConstruction if dice.below(3) == 0 => Some(S::PermitIssued),
        S::Commissioned if dice.below(2) == 0 => Some(S::UnderConstruction),
        S::Suspended => Some(S::UnderConstruction),
        S::Revoked => Some(S::PermitIssued),
        _ => None,
    }
}

fn plan_entry(
    dice: &mut Dice,
    index: usize,
    place: &Place,
    developers: &Developers,
    now: NaiveDateTime,
) -> Planned {
    let kind = pick_weighted(dice, &KINDS, |kind| {
        if kind.resort && place.is_resort() {
            kind.weight * 4
        } else if kind.resort {
            kind.weight / 3
        } else {
            kind.weight
        }
    });
    let size = if kind.sizes.is_empty() {
        String::new()
    } else {
        dice.pick(kind.sizes).to_string()
    };
    let estate: &&str = dice.pick(&ESTATES);
    let object_name = kind
        .name
        .replace("{n}", &size)
        .replace("{estate}", estate.as_ref());
    let developer = developers.pick(dice, kind.builder);
    let street = dice.pick(place.streets());
    let house = match kind.builder {
        Builder::Person => format!("{}", 1 + dice.below(180)),
        _ if dice.below(4) == 0 => format!("{}/{}", 1 + dice.below(250), 1 + dice.below(5)),
        _ => format!("{}", 1 + dice.below(250)),
    };
    let permit_date = now.date() - Duration::days(1 + dice.below(4 * 365) as i64);
    let months = in_range(dice, kind.months);
    let floors = in_range(dice, (u32::from(kind.floors.0), u32::from(kind.floors.1))) as u16;
    let area = f64::from(floors) * f64::from(in_range(dice, kind.floor_area))
        + dice.below(10) as f64 / 10.0;
    let regional = kind.builder == Builder::Public && dice.below(2) == 0;
    let age_days = (now.date() - permit_date).num_days();
    // The first five entries take one status each, so every status is shown.
    let status = ConstructionStatus::ALL
        .get(index)
        .copied()
        .unwrap_or_else(|| status_for(dice, age_days, months));
    let planned_completion = permit_date.checked_add_months(Months::new(months));
    let point = place.point(dice);
    // A third of the entries carry their approved outline: a rectangle of one floor's
    // area around the point, as a cadastral plan would give.
    let footprint = (dice.below(3) == 0)
        .then(|| plot_outline(point, area / f64::from(floors.max(1))))
        .flatten();
    let mut first = ConstructionFields {
        registry_number: String::new(),
        object_name,
        address: place.address(street, &house),
        point,
        municipality_id: place.id,
        developer_name: developer.name,
        developer_inn: developer.inn,
        permit_number: String::new(),
        permit_date,
        permit_issuer: if regional {
            REGIONAL_ISSUER.to_string()
        } else {
            place.issuer()
        },
        permitted_use: kind.permitted_use.to_string(),
        // A few entries lack the optional particulars, as real registers do.
        floors: (dice.below(25) != 0).then_some(floors),
        total_area_m2: (dice.below(20) != 0).then_some(area),
        planned_completion: planned_completion.filter(|_| dice.below(20) != 0),
        status,
        footprint,
    };
    let latest = now - Duration::hours(1);
    let created_at = (permit_date.and_hms_opt(9, 0, 0).unwrap_or(now)
        + Duration::days(1 + dice.below(14) as i64)
        + Duration::minutes(dice.below(8 * 60) as i64))
    .min(latest);
    let span_hours = (latest - created_at).num_hours();
    let later_at = created_at + Duration::hours(span_hours * (30 + dice.below(60) as i64) / 100);
    let later = if span_hours < 48 {
        None
    } else if let Some(before) = earlier_status(dice, status) {
        let later = first.clone();
        first.status = before;
        Some((later, later_at))
    } else if status == ConstructionStatus::PermitIssued && dice.below(6) == 0 {
        // The permit was amended: one floor more than first registered.
        let later = ConstructionFields {
            floors: first.floors.map(|floors| floors + 1),
            total_area_m2: first.total_area_m2.map(|area| {
                let floors = f64::from(first.floors.unwrap_or(1));
                (area * (floors + 1.0) / floors * 10.0).round() / 10.0
            }),
            ..first.clone()
        };
        (later != first).then_some((later, later_at))
    } else {
        None
    };
    Planned {
        first,
        created_at,
        later,
        code: if regional {
            REGIONAL_CODE.to_string()
        } else {
            place.code.clone()
        },
    }
}

/// A 3:2 rectangle of `area_m2` square metres centred on `centre`.
fn plot_outline(centre: LatLon, area_m2: f64) -> Option<Footprint> {
    const METRES_PER_DEGREE: f64 = 111_320.0;
    let (long_side, short_side) = ((area_m2 * 1.5).sqrt(), (area_m2 / 1.5).sqrt());
    let half_lat = short_side / 2.0 / METRES_PER_DEGREE;
    let half_lon = long_side / 2.0 / (METRES_PER_DEGREE * centre.lat.to_radians().cos());
    let corner = |lat: f64, lon: f64| LatLon::new(centre.lat + lat, centre.lon + lon);
    let corners = vec![
        corner(-half_lat, -half_lon)?,
        corner(-half_lat, half_lon)?,
        corner(half_lat, half_lon)?,
        corner(half_lat, -half_lon)?,
    ];
    Footprint::new(corners).ok()
}

/// The data as the official's form would accept it: the demo registry must pass the same
/// validation (INN checksum, region, lengths) as anything an official types.
fn validated(fields: &ConstructionFields) -> Result<ConstructionFields, AppError> {
    ConstructionInput::from_fields(fields)
        .validate()
        .map_err(|errors| {
            tracing::error!(?errors, number = %fields.registry_number, "demo entry is invalid");
            AppError::Internal
        })
}

async fn load_places(conn: &mut AsyncMysqlConnection) -> Result<Vec<Place>, AppError> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(MunicipalityId, String, String, String, String, f64, f64)> =
        municipalities::table
            .select((
                municipalities::id,
                municipalities::slug,
                municipalities::kind,
                municipalities::name_ru,
                municipalities::centre_name_ru,
                municipalities::centre_lat,
                municipalities::centre_lon,
            ))
            .order(municipalities::id)
            .load(conn)
            .await?;
    let mut districts = 0;
    Ok(rows
        .into_iter()
        .map(|(id, slug, kind, name_ru, centre_ru, lat, lon)| {
            let code = match city_code(&slug) {
                Some(code) => code.to_string(),
                None => {
                    districts += 1;
                    format!("23{:03}000", 598 + districts * 3)
                }
            };
            Place {
                id,
                is_city: kind == "city_okrug",
                slug,
                name_ru,
                centre_ru,
                centre: LatLon { lat, lon },
                code,
            }
        })
        .collect())
}

/// The demo official of `department`, created on first use (the same account the
/// problems' seeding makes for departments that react: `staff-<slug>@openregion.demo`).
async fn staff(
    conn: &mut AsyncMysqlConnection,
    department: DepartmentId,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<UserId, AppError> {
    let (slug, name): (String, String) = departments::table
        .find(department)
        .select((departments::slug, departments::name_ru))
        .first(conn)
        .await?;
    let email = format!("staff-{slug}@openregion.demo");
    if let Some(id) = users::table
        .filter(users::email.eq(&email))
        .select(users::id)
        .first(conn)
        .await
        .optional()?
    {
        // The account may exist from the problems' seeding, or from an earlier failed run.
        Roles::grant(conn, id, Role::Official, Some(department), None, now).await?;
        return Ok(id);
    }
    let short: String = name.chars().take(60).collect();
    let home: MunicipalityId = municipalities::table
        .select(municipalities::id)
        .order(municipalities::id)
        .first(conn)
        .await?;
    let registration = ValidRegistration {
        email,
        password: String::new(),
        display_name: format!("Специалист: {short}"),
        home_municipality_id: home,
    };
    let id = Users::create(conn, &registration, password_hash, Locale::Ru, now).await?;
    Roles::grant(conn, id, Role::Official, Some(department), None, now).await?;
    Ok(id)
}

async fn seed_all(
    conn: &mut AsyncMysqlConnection,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<SeedCounts, AppError> {
    let places = load_places(conn).await?;
    let departments = supervision_departments(conn).await?;
    let Some(&department) = departments.as_slice().first() else {
        tracing::warn!("no construction-supervision department: demo registry skipped");
        return Ok(SeedCounts::default());
    };
    let start = now - Duration::days(4 * 366 + 30);
    let editor = Editor {
        user: staff(conn, department, password_hash, start).await?,
        import: None,
    };
    let mut dice = Dice(0xC0_4E57_2023);
    let developers = Developers::new(&mut dice);
    let mut planned = Vec::with_capacity(DEMO_ENTRIES);
    for index in 0..DEMO_ENTRIES {
        // One entry in every municipality first, the rest where construction is busiest.
        let place = match places.get(index) {
            Some(place) => place,
            None if places.is_empty() => break,
            None => pick_weighted(&mut dice, &places, Place::weight),
        };
        planned.push(plan_entry(&mut dice, index, place, &developers, now));
    }
    // Registry and permit numbers follow the permit dates, as they would in a real register.
    planned.sort_by_key(|entry| (entry.first.permit_date, entry.created_at));
    let mut registry_numbers: HashMap<i32, u32> = HashMap::new();
    let mut permit_numbers: HashMap<(String, i32), u32> = HashMap::new();
    let mut counts = SeedCounts::default();
    let mut made: Vec<(ConstructionId, ConstructionFields)> = Vec::with_capacity(planned.len());
    for mut entry in planned {
        let year = entry.first.permit_date.year();
        let number = registry_numbers.entry(year).or_insert(0);
        *number += 1;
        let registry_number = format!("РНС-{year}-{number:05}");
        let permit = permit_numbers
            .entry((entry.code.clone(), year))
            .or_insert_with(|| 100 + dice.below(400) as u32);
        *permit += 1 + dice.below(30) as u32;
        let permit_number = format!("23-RU{}-{permit}-{year}", entry.code);
        for fields in
            std::iter::once(&mut entry.first).chain(entry.later.as_mut().map(|(fields, _)| fields))
        {
            fields.registry_number = registry_number.clone();
            fields.permit_number = permit_number.clone();
        }
        let first = validated(&entry.first)?;
        let id = Registry::create(conn, &first, editor, entry.created_at).await?;
        counts.entries += 1;
        let current = match entry.later {
            Some((later, at)) => {
                let later = validated(&later)?;
                if Registry::update(conn, id, &later, editor, at).await? {
                    counts.updated += 1;
                }
                later
            }
            None => first,
        };
        made.push((id, current));
    }
    counts.reports = seed_reports(conn, &mut dice, &places, &made, password_hash, now).await?;
    counts.illegal = seed_illegal(conn, &mut dice, &places, editor.user, now).await?;
    Ok(counts)
}

/// How many illegal constructions found by inspections and agencies are entered (the
/// confirmed "not in the registry" reports add theirs).
pub const DEMO_ILLEGAL: usize = 30;

/// The steps a demo case takes, by its index: every status is reached by some entries,
/// with the decision documents a real case would have.
const ILLEGAL_PATHS: [&[(IllegalStatus, &str)]; 6] = [
    &[],
    &[(
        IllegalStatus::CaseOpened,
        "Протокол об административном правонарушении по ст. 9.5 КоАП РФ.",
    )],
    &[
        (
            IllegalStatus::CaseOpened,
            "Уведомление о выявлении самовольной постройки направлено в администрацию.",
        ),
        (
            IllegalStatus::Court,
            "Иск администрации о сносе самовольной постройки принят к производству районным судом.",
        ),
    ],
    &[
        (
            IllegalStatus::Court,
            "Иск о сносе принят к производству арбитражным судом.",
        ),
        (
            IllegalStatus::DemolitionOrdered,
            "Решение суда о сносе самовольной постройки за счёт застройщика в течение шести месяцев.",
        ),
    ],
    &[
        (
            IllegalStatus::DemolitionOrdered,
            "Постановление администрации о сносе самовольной постройки.",
        ),
        (
            IllegalStatus::Demolished,
            "Акт о сносе: постройка демонтирована, участок освобождён.",
        ),
    ],
    &[
        (
            IllegalStatus::Court,
            "Иск собственника о признании права собственности на постройку.",
        ),
        (
            IllegalStatus::Legalised,
            "Решение суда о признании права собственности; постройка соответствует нормам.",
        ),
    ],
];

const ILLEGAL_OBJECTS: [&str; 6] = [
    "Трёхэтажный гостевой дом",
    "Пристройка к торговому павильону",
    "Металлический ангар",
    "Надстройка мансардного этажа",
    "Кафе на берегу",
    "Капитальный гараж на придомовой территории",
];

/// Enters `DEMO_ILLEGAL` illegal constructions found by the supervision's inspections and
/// other agencies over the last two years, walked through the steps of their cases.
async fn seed_illegal(
    conn: &mut AsyncMysqlConnection,
    dice: &mut Dice,
    places: &[Place],
    official: UserId,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let mut made = 0;
    for index in 0..DEMO_ILLEGAL {
        if places.is_empty() {
            break;
        }
        let place = pick_weighted(dice, places, Place::weight);
        let identified_on = (now - Duration::days(60 + dice.below(660) as i64)).date();
        let found_by = if index % 3 == 2 {
            FoundBy::Agency
        } else {
            FoundBy::Inspection
        };
        let street = *dice.pick(place.streets());
        let house = (1 + dice.below(150)).to_string();
        let fields = IllegalFields {
            registry_number: format!("СП-{}-{:04}", identified_on.year(), index + 1),
            object_name: dice.pick(&ILLEGAL_OBJECTS).to_string(),
            address: place.address(street, &house),
            point: place.point(dice),
            municipality_id: place.id,
            cadastral_number: (index % 2 == 0).then(|| {
                format!(
                    "23:43:{:07}:{}",
                    dice.below(10_000_000),
                    1 + dice.below(900)
                )
            }),
            owner_name: (index % 4 != 3).then(|| format!("ООО «{}»", dice.pick(&ILLEGAL_OWNERS))),
            floors: Some(1 + dice.below(4) as u16),
            total_area_m2: Some((40 + dice.below(900)) as f64),
            found_by,
            identified_on,
        };
        let entered = identified_on.and_hms_opt(10, 0, 0).unwrap_or(now);
        let id = IllegalRegistry::create(conn, &fields, None, official, entered).await?;
        let mut day = identified_on;
        for (status, document) in ILLEGAL_PATHS[index % ILLEGAL_PATHS.len()] {
            let next = day + Duration::days(20 + dice.below(90) as i64);
            if next >= now.date() {
                break;
            }
            day = next;
            let step = IllegalStep {
                status: *status,
                decided_on: day,
                document: Some((*document).to_string()),
            };
            let at = day.and_hms_opt(12, 0, 0).unwrap_or(now);
            IllegalRegistry::step(conn, id, &step, official, at).await?;
        }
        made += 1;
    }
    Ok(made)
}

const ILLEGAL_OWNERS: [&str; 5] = [
    "Южный дом",
    "КубаньСтройИнвест",
    "Причал",
    "Лазурный берег",
    "Агроторг-Юг",
];

const UNREGISTERED: [&str; 6] = [
    "Во дворе жилого дома без каких-либо табличек возводят трёхэтажное здание, \
     информационного щита с номером разрешения на строительство нет.",
    "На берегу реки строят гостевой дом, паспорт объекта не вывешен, работы идут по ночам.",
    "На месте снесённого частного дома строят многоэтажный дом, в реестре разрешений этого \
     адреса нет.",
    "В охранной зоне газопровода монтируют металлический каркас большого ангара.",
    "На территории сквера начали заливать фундамент, жителям ничего не сообщали.",
    "К частному дому пристраивают ещё два этажа и мансарду, похоже на будущую гостиницу.",
];

fn differs_text(aspect: DiffAspect, fields: &ConstructionFields) -> String {
    match aspect {
        DiffAspect::Floors => match fields.floors {
            Some(floors) => format!(
                "Этажность по разрешению — {floors}, а на доме уже возводят {}-й этаж.",
                floors + 2
            ),
            None => "Дом строят заметно выше, чем у соседних объектов по тому же проекту: \
                     надстроены ещё два этажа."
                .to_string(),
        },
        DiffAspect::Footprint => "Здание вышло за границы разрешённого пятна застройки: новая \
             пристройка заняла часть тротуара и газона."
            .to_string(),
        DiffAspect::Use => format!(
            "По разрешению здесь «{}», а фактически на первом этаже открыли автосервис и склад.",
            fields.permitted_use
        ),
        DiffAspect::Location => "Стройка идёт не на том участке, что указан в разрешении: \
             забор и техника стоят на соседнем участке у дороги."
            .to_string(),
    }
}

const CONFIRMED: [&str; 3] = [
    "Выездной проверкой установлено, что строительство ведётся без разрешения на \
     строительство. Составлен акт, застройщику выдано предписание о приостановке работ.",
    "Подтверждено отклонение от параметров, указанных в разрешении на строительство. \
     Возбуждено дело об административном правонарушении.",
    "Нарушение подтверждено. Материалы направлены в администрацию муниципального \
     образования для обращения в суд с иском о сносе самовольной постройки.",
];

const NOT_CONFIRMED: [&str; 3] = [
    "Проверкой установлено, что работы ведутся в соответствии с выданным разрешением на \
     строительство; нарушений не выявлено.",
    "На участке ведётся реконструкция, не требующая разрешения на строительство \
     (ч. 17 ст. 51 ГрК РФ). Нарушений не выявлено.",
    "Объект является некапитальным сооружением; оснований для мер строительного надзора нет.",
];

const MEASURES: [&str; 3] = [
    "Застройщик привлечён к ответственности по ч. 1 ст. 9.5 КоАП РФ, назначен штраф \
     500 000 рублей; работы приостановлены до устранения нарушений.",
    "Судом принято решение о сносе самовольной постройки; исполнительный лист направлен в \
     службу судебных приставов.",
    "Застройщик демонтировал надстроенный этаж; повторной проверкой устранение нарушения \
     подтверждено.",
];

const LANDMARKS: [&str; 4] = [
    "напротив дома",
    "за домом",
    "рядом с домом",
    "во дворе дома",
];

async fn seed_reports(
    conn: &mut AsyncMysqlConnection,
    dice: &mut Dice,
    places: &[Place],
    entries: &[(ConstructionId, ConstructionFields)],
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    // The demo citizen first, then the residents of the problems' seeding.
    let residents: Vec<UserId> = users::table
        .filter(
            users::email
                .eq("citizen@openregion.demo")
                .or(users::email.like("resident%@openregion.demo")),
        )
        .select(users::id)
        .order(users::id)
        .load(conn)
        .await?;
    let Some(theme) = supervision_theme(conn).await? else {
        tracing::warn!("no illegal-construction theme: demo reports skipped");
        return Ok(0);
    };
    if residents.is_empty() || places.is_empty() {
        tracing::warn!("no demo residents: demo construction reports skipped");
        return Ok(0);
    }
    // Reports about entries that are being (or were) built.
    let targets: Vec<&(ConstructionId, ConstructionFields)> = entries
        .iter()
        .filter(|(_, fields)| {
            matches!(
                fields.status,
                ConstructionStatus::UnderConstruction | ConstructionStatus::Commissioned
            )
        })
        .collect();
    let latest = now - Duration::minutes(5);
    let mut officials: HashMap<DepartmentId, UserId> = HashMap::new();
    let mut made = 0;
    for index in 0..DEMO_REPORTS {
        // Five fates in turn and two kinds in turn: every fate gets both kinds, and the
        // "differs" reports (odd indices) go through all four aspects.
        let fate = ReportStatus::ALL[index % ReportStatus::ALL.len()];
        let target = (index % 2 == 1)
            .then(|| targets.get(dice.below(targets.len() as u64) as usize))
            .flatten();
        let aspect = DiffAspect::ALL[(index / 2) % DiffAspect::ALL.len()];
        let (valid, point, municipality) = match target {
            Some((id, fields)) => (
                ValidReport {
                    kind: ReportKind::DiffersFromPermit,
                    construction_id: Some(*id),
                    aspect: Some(aspect),
                    point: None,
                    address: fields.address.clone(),
                    description: differs_text(aspect, fields),
                    photo_tokens: Vec::new(),
                },
                fields.point,
                fields.municipality_id,
            ),
            None => {
                let place = pick_weighted(dice, places, Place::weight);
                let point = place.point(dice);
                let address = format!(
                    "{}, {} {}",
                    dice.pick(place.streets()),
                    dice.pick(&LANDMARKS),
                    1 + dice.below(120)
                );
                (
                    ValidReport {
                        kind: ReportKind::NotInRegistry,
                        construction_id: None,
                        aspect: None,
                        point: Some(point),
                        address,
                        description: dice.pick(&UNREGISTERED).to_string(),
                        photo_tokens: Vec::new(),
                    },
                    point,
                    place.id,
                )
            }
        };
        let Some(department) = RoutingRules::resolve(conn, theme, municipality).await? else {
            continue;
        };
        let official = match officials.get(&department) {
            Some(official) => *official,
            None => {
                let official = staff(conn, department, password_hash, now).await?;
                officials.insert(department, official);
                official
            }
        };
        // Open reports are recent; decided ones spread over the year, so the analytics by
        // month has something in every month.
        let days_ago = match fate {
            ReportStatus::Submitted => 1 + dice.below(14),
            ReportStatus::UnderVerification => 4 + dice.below(40),
            _ => 20 + (index as u64 * 8) % 300 + dice.below(5),
        };
        let reported =
            now - Duration::days(days_ago as i64) - Duration::minutes(dice.below(600) as i64);
        let author = if index % 6 == 0 {
            residents[0]
        } else {
            *dice.pick(&residents)
        };
        let id = Reports::create(
            conn,
            author,
            &valid,
            point,
            municipality,
            department,
            reported,
        )
        .await?;
        made += 1;
        let mut at = reported;
        let mut next_step = |dice: &mut Dice, hours: (u32, u32)| {
            at = (at + Duration::hours(i64::from(in_range(dice, hours)))).min(latest);
            at
        };
        let mut steps: Vec<(ReportAction, ValidVerification, NaiveDateTime)> = Vec::new();
        if fate != ReportStatus::Submitted {
            let when = next_step(dice, (4, 72));
            steps.push((
                ReportAction::StartVerification,
                plain(String::new(), None),
                when,
            ));
        }
        if fate.has_result() {
            let when = next_step(dice, (72, 20 * 24));
            let (action, text) = if fate == ReportStatus::NotConfirmed {
                (ReportAction::Dismiss, dice.pick(&NOT_CONFIRMED))
            } else {
                (ReportAction::ConfirmViolation, dice.pick(&CONFIRMED))
            };
            steps.push((action, plain(text.to_string(), Some(when.date())), when));
        }
        if fate == ReportStatus::MeasuresTaken {
            let when = next_step(dice, (5 * 24, 40 * 24));
            let text = dice.pick(&MEASURES).to_string();
            steps.push((ReportAction::TakeMeasures, plain(text, None), when));
        }
        for (action, input, when) in steps {
            Reports::step(conn, id, action, official, &[department], &input, when).await?;
        }
    }
    Ok(made)
}

fn plain(text: String, verified_on: Option<NaiveDate>) -> ValidVerification {
    ValidVerification {
        verified_on,
        text,
        photo_tokens: Vec::new(),
        act: None,
    }
}
