//! Demo initiatives for `server seed-demo`: sixteen regional and municipal initiatives in
//! every stage, each walked through the real steps (the same `Initiatives`, `Drafts` and
//! `Expertises` code the app uses) at historical times, with supports, a discussion with
//! positions, the scheduler's moves, a draft in two versions with amendments, expert
//! conclusions with remarks and their dispositions, a reaction on time, an overdue one
//! and an adopted act. Idempotent: skipped when initiatives exist. Runs after the demo
//! problems, whose residents support and discuss.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::model::drafting::{Disposition, ValidAmendment, split_articles};
use super::model::expertise::{Act, RemarkCategory, ValidConclusion, ValidRemark, Verdict};
use super::model::{Action, CONCEPT_DAYS, DISCUSSION_DAYS, InitiativeId, ValidInitiative};
use super::queries::Initiatives;
use super::queries::disposition::{Dispositions, Proposal};
use super::queries::drafting::Drafts;
use super::queries::expertise::Expertises;
use crate::auth::model::{Acting, Role, UserId};
use crate::geography::model::MunicipalityId;
use crate::organisation::model::{DepartmentId, ThemeId};
use platform::db::schema::{initiatives, municipalities, themes, user_roles, users};
use platform::error::AppError;

/// How far one demo initiative goes.
#[derive(Clone, Copy)]
enum Fate {
    Moderation,
    Refused,
    Concept {
        supports: usize,
    },
    Discussion,
    Drafting,
    /// Drafted as `text`, experts' remarks waiting for the editor.
    Expertise {
        text: &'static str,
    },
    /// Drafted as `text`, examined, the government's reaction due (or overdue).
    Reaction {
        text: &'static str,
    },
    /// Drafted as `text`, examined and adopted as act number `act`.
    Adopted {
        text: &'static str,
        act: &'static str,
    },
    NotSupported,
    Withdrawn,
}

/// One demo initiative: its level (a municipality's slug, or `None` for the region), its
/// theme's slug, its texts, its age in days and how far it goes.
struct Demo {
    municipality: Option<&'static str>,
    theme: &'static str,
    title: &'static str,
    problem: &'static str,
    goal: &'static str,
    proposal: &'static str,
    age_days: i64,
    fate: Fate,
}

const DEMOS: [Demo; 16] = [
    Demo {
        municipality: None,
        theme: "housing-management",
        title: "О тишине во дворах в ночное время",
        problem: "Ремонтные и погрузочные работы во дворах многоквартирных домов идут до полуночи, жители не могут выспаться.",
        goal: "Ночной покой жителей многоквартирных домов.",
        proposal: "Запретить шумные работы во дворах и на придомовых территориях с 22:00 до 8:00 в будни и до 10:00 в выходные, установить штраф для организаций.",
        age_days: 1,
        fate: Fate::Moderation,
    },
    Demo {
        municipality: Some("sochi"),
        theme: "parks-greenery",
        title: "Пешеходная набережная без автомобилей",
        problem: "По набережной в курортный сезон ездят и паркуются автомобили, отдыхающим с детьми опасно.",
        goal: "Безопасная пешеходная зона у моря.",
        proposal: "Закрыть въезд автомобилей на набережную с мая по сентябрь, кроме экстренных служб и доставки с 6:00 до 9:00.",
        age_days: 2,
        fate: Fate::Moderation,
    },
    Demo {
        municipality: Some("krasnodar"),
        theme: "road-damage",
        title: "Купите нашу плитку",
        problem: "Предлагаем лучшую тротуарную плитку по выгодной цене, звоните.",
        goal: "Продать больше плитки.",
        proposal: "Обязать город закупать плитку только у нашей компании по нашему прайсу.",
        age_days: 6,
        fate: Fate::Refused,
    },
    Demo {
        municipality: Some("krasnodar"),
        theme: "public-transport",
        title: "Выделенные полосы для автобусов на главных улицах",
        problem: "Автобусы стоят в тех же пробках, что и автомобили, интервалы движения срываются.",
        goal: "Автобус быстрее автомобиля в час пик.",
        proposal: "Ввести выделенные полосы для общественного транспорта на улицах Красной, Северной и Ставропольской с 7:00 до 10:00 и с 17:00 до 20:00.",
        age_days: 10,
        fate: Fate::Concept { supports: 24 },
    },
    Demo {
        municipality: Some("abinsky"),
        theme: "education",
        title: "Озеленение школьных дворов",
        problem: "Школьные дворы в районе заасфальтированы, летом на них невозможно находиться.",
        goal: "Тень и зелень на каждом школьном дворе.",
        proposal: "Предусматривать в муниципальной программе высадку не менее 20 деревьев на каждом школьном дворе и ежегодный уход за ними.",
        age_days: 50,
        fate: Fate::Concept { supports: 17 },
    },
    Demo {
        municipality: None,
        theme: "road-damage",
        title: "Открытые данные о ремонте дорог",
        problem: "Жители не знают, какие дороги и когда будут ремонтировать, и по какой цене заключены контракты.",
        goal: "Прозрачность дорожного ремонта.",
        proposal: "Публиковать на портале открытых данных перечень ремонтируемых дорог с адресами, сроками, подрядчиком и ценой контракта, обновлять ежемесячно.",
        age_days: 3,
        fate: Fate::Concept { supports: 9 },
    },
    Demo {
        municipality: Some("novorossiysk"),
        theme: "public-transport",
        title: "Ночные автобусы",
        problem: "После 22:00 общественный транспорт не ходит, работники ночных смен добираются на такси.",
        goal: "Доступный транспорт ночью.",
        proposal: "Организовать два ночных автобусных маршрута с интервалом 40 минут с 23:00 до 5:00 через центр и промышленные районы.",
        age_days: 18,
        fate: Fate::Discussion,
    },
    Demo {
        municipality: None,
        theme: "accessibility",
        title: "Доступная среда на пляжах",
        problem: "На большинстве пляжей нет пандусов и настилов до воды, людям на колясках море недоступно.",
        goal: "Хотя бы один доступный пляж в каждом курортном городе.",
        proposal: "Требовать при выдаче права пользования пляжем оборудовать настил до воды, пандус, доступную раздевалку и туалет.",
        age_days: 30,
        fate: Fate::Discussion,
    },
    Demo {
        municipality: Some("anapa"),
        theme: "ecology",
        title: "Запрет пластиковой посуды в пляжных кафе",
        problem: "Пляжи и море засоряются одноразовой посудой из прибрежных кафе.",
        goal: "Чистые пляжи.",
        proposal: "Запретить использование одноразовой пластиковой посуды в нестационарных торговых объектах на пляжах с 2027 года.",
        age_days: 25,
        fate: Fate::Discussion,
    },
    Demo {
        municipality: Some("gelendzhik"),
        theme: "yard-improvement",
        title: "Правила размещения летних кафе",
        problem: "Летние веранды занимают тротуары целиком, пешеходы выходят на проезжую часть.",
        goal: "Свободный проход по тротуарам.",
        proposal: "Установить, что летнее кафе оставляет не менее 2 метров тротуара для прохода, и публиковать схемы размещения.",
        age_days: 110,
        fate: Fate::Drafting,
    },
    Demo {
        municipality: Some("belorechensky"),
        theme: "stray-animals",
        title: "Муниципальный приют для животных",
        problem: "В районе нет приюта, отловленных собак некуда передавать.",
        goal: "Гуманное обращение с безнадзорными животными.",
        proposal: "Создать муниципальный приют на 100 мест с ветеринарным пунктом и программой пристройства.",
        age_days: 90,
        fate: Fate::NotSupported,
    },
    Demo {
        municipality: Some("armavir"),
        theme: "street-lighting",
        title: "Освещение всех пешеходных переходов",
        problem: "Многие переходы вне центра не освещены.",
        goal: "Каждый пешеходный переход освещён.",
        proposal: "Установить дополнительное освещение на всех нерегулируемых пешеходных переходах до конца года.",
        age_days: 12,
        fate: Fate::Withdrawn,
    },
    Demo {
        municipality: Some("krasnodar"),
        theme: "waste",
        title: "Раздельный сбор отходов у многоквартирных домов",
        problem: "Во дворах стоят только контейнеры для смешанных отходов, собранное жителями раздельно смешивается в мусоровозе.",
        goal: "Раздельный сбор пластика, стекла и бумаги в каждом дворе.",
        proposal: "Обязать регионального оператора устанавливать контейнеры для раздельного сбора на каждой площадке и вывозить их отдельно.",
        age_days: 75,
        fate: Fate::Expertise { text: WASTE_TEXT },
    },
    Demo {
        municipality: Some("krasnodar"),
        theme: "yard-improvement",
        title: "Согласование детских площадок с жителями",
        problem: "Детские площадки ставят без учёта мнения жителей: не там, не для того возраста, без тени.",
        goal: "Площадки, которыми пользуются.",
        proposal: "Публиковать проект площадки на портале за 30 дней до установки и учитывать голосование жителей дома.",
        age_days: 60,
        fate: Fate::Reaction {
            text: PLAYGROUND_TEXT,
        },
    },
    Demo {
        municipality: Some("gelendzhik"),
        theme: "parks-greenery",
        title: "Охрана старовозрастных деревьев",
        problem: "При благоустройстве вырубают деревья старше пятидесяти лет, которые невозможно заменить.",
        goal: "Сохранение старых деревьев города.",
        proposal: "Вести публичный реестр старовозрастных деревьев и запретить их вырубку без заключения дендролога и общественного обсуждения.",
        age_days: 100,
        fate: Fate::Reaction { text: TREES_TEXT },
    },
    Demo {
        municipality: Some("gelendzhik"),
        theme: "public-transport",
        title: "Единый билет на автобусы с пересадкой",
        problem: "Пересадка с одного городского автобуса на другой требует второго билета и второй оплаты.",
        goal: "Одна поездка — один билет.",
        proposal: "Ввести единый билет на городские автобусы с бесплатной пересадкой в течение 90 минут.",
        age_days: 140,
        fate: Fate::Adopted {
            text: TICKET_TEXT,
            act: "1245",
        },
    },
];

/// The drafts of the demo initiatives that reach the expertise: each numbers its points
/// 1 to 3, and the experts' remarks concern points 1 and 2. They belong to Krasnodar and
/// Gelendzhik, whose administrations have demo staff to edit them.
const WASTE_TEXT: &str = "О раздельном накоплении твёрдых коммунальных отходов\n\
    1. На каждой контейнерной площадке многоквартирного дома размещаются контейнеры для пластика, стекла и бумаги.\n\
    2. Региональный оператор вправе вывозить раздельно накопленные отходы по своему графику.\n\
    3. Закон вступает в силу с 1 января следующего года.";
const PLAYGROUND_TEXT: &str = "О согласовании детских игровых площадок\n\
    1. Проект детской площадки публикуется на портале не позднее чем за 30 дней до начала работ.\n\
    2. Собственники помещений дома голосуют за проект на портале в течение 14 дней.\n\
    3. Площадка устанавливается по проекту, получившему большинство голосов.";
const TREES_TEXT: &str = "Об охране старовозрастных деревьев города-курорта Геленджик\n\
    1. Деревья старше 50 лет вносятся в публичный реестр с координатами и фотографией.\n\
    2. Вырубка дерева из реестра допускается по решению администрации.\n\
    3. Реестр публикуется на портале открытых данных и обновляется ежеквартально.";
const TICKET_TEXT: &str = "О едином билете на городских автобусных маршрутах\n\
    1. Вводится единый билет на городские автобусы с бесплатной пересадкой в течение 90 минут.\n\
    2. Стоимость единого билета устанавливается администрацией.\n\
    3. Перевозчики распределяют выручку по числу поездок.";

/// The demo expert's remarks on points 1 and 2 of a draft.
const REMARKS: [(&str, RemarkCategory, &str); 2] = [
    (
        "1",
        RemarkCategory::LegalTechnique,
        "Не определено, кто отвечает за исполнение: назовите ответственный орган и срок.",
    ),
    (
        "2",
        RemarkCategory::Corruption,
        "«Вправе» и «по решению» без критериев — коррупциогенная формулировка: установите основания и порядок.",
    ),
];

const COMMENTS: [(&str, &str); 6] = [
    ("for", "Полностью поддерживаю, давно пора."),
    (
        "against",
        "Не согласен: расходы бюджета не оправданы, есть более срочные задачи.",
    ),
    ("for", "Поддерживаю, но прошу учесть мнение жителей окраин."),
    ("neutral", "Какие источники финансирования предлагаются?"),
    (
        "against",
        "Это ударит по малому бизнесу, нужен переходный период.",
    ),
    ("for", "У нас в районе это особенно актуально."),
];

/// Seeds the demo initiatives unless any exist; returns how many were made.
pub async fn seed_initiatives(
    conn: &mut AsyncMysqlConnection,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let existing: i64 = initiatives::table.count().get_result(conn).await?;
    if existing > 0 {
        return Ok(0);
    }
    let user = async |conn: &mut AsyncMysqlConnection, email: &str| -> Result<UserId, AppError> {
        Ok(users::table
            .filter(users::email.eq(email))
            .select(users::id)
            .first(conn)
            .await?)
    };
    let citizen = user(conn, "citizen@openregion.demo").await?;
    let moderator = Acting::moderator(user(conn, "moderator@openregion.demo").await?);
    let residents: Vec<UserId> = users::table
        .filter(users::email.like("resident%@openregion.demo"))
        .order(users::id)
        .select(users::id)
        .load(conn)
        .await?;
    let mut made = 0;
    for (index, demo) in DEMOS.iter().enumerate() {
        let author = if index % 3 == 0 {
            citizen
        } else {
            residents.get(index).copied().unwrap_or(citizen)
        };
        let proposed = now - Duration::days(demo.age_days);
        let id = propose(conn, demo, author, proposed).await?;
        made += 1;
        let published = proposed + Duration::hours(20);
        match demo.fate {
            Fate::Moderation => continue,
            Fate::Refused => {
                step(
                    conn,
                    id,
                    &moderator,
                    Action::Refuse,
                    "Реклама, а не предложение нормативного акта.",
                    published,
                )
                .await?;
                continue;
            }
            Fate::Withdrawn => {
                step(conn, id, &moderator, Action::Publish, "", published).await?;
                let author_acting = Acting::resident(author);
                step(
                    conn,
                    id,
                    &author_acting,
                    Action::Withdraw,
                    "Вопрос решён без нового акта: администрация включила переходы в план.",
                    published + Duration::days(4),
                )
                .await?;
                continue;
            }
            _ => step(conn, id, &moderator, Action::Publish, "", published).await?,
        }
        let supports = match demo.fate {
            Fate::Concept { supports } => supports,
            Fate::NotSupported => 6,
            _ => 14,
        };
        for (offset, supporter) in residents.iter().take(supports).enumerate() {
            let at = published + Duration::hours(2 + offset as i64 * 3);
            Initiatives::set_support(conn, id, *supporter, true, at.min(now)).await?;
        }
        match demo.fate {
            Fate::Discussion
            | Fate::Drafting
            | Fate::Expertise { .. }
            | Fate::Reaction { .. }
            | Fate::Adopted { .. } => {
                let opened = published + Duration::days(5);
                step(
                    conn,
                    id,
                    &moderator,
                    Action::Advance,
                    "Тема важна для многих жителей: обсуждение открыто до набора порога.",
                    opened,
                )
                .await?;
                for (offset, (position, text)) in COMMENTS.iter().enumerate() {
                    let commenter = residents.get(offset + 2).copied().unwrap_or(citizen);
                    let at = (opened + Duration::hours(6 + offset as i64 * 9)).min(now);
                    let comment =
                        Initiatives::add_comment(conn, id, commenter, text, position, None, at)
                            .await?;
                    // Earlier comments gather more supports, from people other than their
                    // writer, so the summary names a leading comment for and against.
                    let others = residents.iter().filter(|resident| **resident != commenter);
                    for supporter in others.take(COMMENTS.len() - offset) {
                        Initiatives::support_comment(conn, id, comment, *supporter, true, at)
                            .await?;
                    }
                    if offset == 1 {
                        Initiatives::add_comment(
                            conn,
                            id,
                            citizen,
                            "Расходы окупятся: посчитайте потери от нынешнего положения.",
                            "for",
                            Some(comment),
                            (at + Duration::hours(2)).min(now),
                        )
                        .await?;
                    }
                }
                let closes = opened + Duration::days(DISCUSSION_DAYS as i64);
                match demo.fate {
                    Fate::Drafting => {
                        Initiatives::run_stage_clock(conn, closes).await?;
                        draft(conn, id, &residents, closes).await?;
                    }
                    Fate::Expertise { .. } | Fate::Reaction { .. } | Fate::Adopted { .. } => {
                        Initiatives::run_stage_clock(conn, closes).await?;
                        examine(conn, id, demo.fate, &moderator, closes).await?;
                    }
                    _ => {}
                }
            }
            Fate::NotSupported => {
                let window_ends = published + Duration::days(CONCEPT_DAYS as i64);
                Initiatives::run_stage_clock(conn, window_ends).await?;
            }
            _ => {}
        }
    }
    // The scheduler catches up, as at a server's start: the overdue reaction is marked.
    Initiatives::run_stage_clock(conn, now).await?;
    Ok(made)
}

/// The two versions of the summer cafés' rules.
const FIRST_VERSION: &str = "Порядок размещения летних кафе в городе-курорте Геленджик\n\
    1. Летнее кафе размещается так, чтобы ширина свободного прохода по тротуару была не менее 1,5 метра.\n\
    2. Схема размещения летнего кафе утверждается администрацией и публикуется на официальном сайте.\n\
    3. Летнее кафе работает с 1 мая по 30 сентября.\n\
    4. Нарушение порядка размещения влечёт расторжение договора на размещение.";
const SECOND_ARTICLE_REVISED: &str = "Схема размещения летнего кафе утверждается администрацией и публикуется на официальном сайте в течение 3 рабочих дней.";

/// An amendment residents propose to version 1, and the editor's decision and reason
/// (`None`: it stays open).
struct DemoAmendment {
    article: &'static str,
    text: &'static str,
    justification: &'static str,
    decision: Option<(Disposition, &'static str)>,
}

const AMENDMENTS: [DemoAmendment; 4] = [
    DemoAmendment {
        article: "1",
        text: "Летнее кафе размещается так, чтобы ширина свободного прохода по тротуару была не менее 2 метров.",
        justification: "Так предлагала концепция: полтора метра не хватает для коляски и встречного пешехода.",
        decision: Some((
            Disposition::Accepted,
            "Соответствует концепции и нормам доступности.",
        )),
    },
    DemoAmendment {
        article: "3",
        text: "Летнее кафе работает с 15 апреля по 15 октября.",
        justification: "Сезон в Геленджике длиннее, в апреле и октябре тепло.",
        decision: Some((
            Disposition::Rejected,
            "Сроки сезона согласованы с курортным сбором и меняются отдельным актом.",
        )),
    },
    DemoAmendment {
        article: "4",
        text: "Нарушение порядка размещения влечёт предупреждение, а при повторном нарушении — расторжение договора.",
        justification: "Сразу расторгать договор несоразмерно: малый бизнес должен иметь возможность исправиться.",
        decision: None,
    },
    DemoAmendment {
        article: "2",
        text: "Схема размещения летнего кафе утверждается администрацией и публикуется на официальном сайте и на карте портала.",
        justification: "На карте жителям проще найти схему своего квартала.",
        decision: None,
    },
];

/// The drafting of the demo initiative in drafting: the responsible body publishes
/// version 1, residents amend and support, the editor decides two amendments and
/// publishes version 2 (which takes in the accepted one and outdates the amendment to the
/// article it rewrote), one amendment waits.
async fn draft(
    conn: &mut AsyncMysqlConnection,
    id: InitiativeId,
    residents: &[UserId],
    began: NaiveDateTime,
) -> Result<(), AppError> {
    let editor = editor_of(conn, id).await?;
    let first = split_articles(FIRST_VERSION).map_err(|_| AppError::Internal)?;
    Drafts::publish(conn, id, &editor, 0, &first, "", began + Duration::days(2)).await?;
    let mut decided = Vec::new();
    for (index, demo) in AMENDMENTS.iter().enumerate() {
        let author = residents
            .get(index + 4)
            .copied()
            .ok_or(AppError::Internal)?;
        let amendment = ValidAmendment {
            article: demo.article.to_string(),
            text: demo.text.to_string(),
            justification: demo.justification.to_string(),
            anonymous: index == 2,
        };
        let at = began + Duration::days(3 + index as i64);
        let amendment_id = Drafts::amend(conn, id, author, &amendment, at).await?;
        for supporter in residents.iter().skip(10).take(3 + index * 2) {
            Drafts::set_support(
                conn,
                amendment_id,
                *supporter,
                true,
                at + Duration::hours(5),
            )
            .await?;
        }
        if let Some((disposition, reason)) = demo.decision {
            decided.push((amendment_id, disposition, reason));
        }
    }
    for (amendment_id, disposition, reason) in decided {
        Dispositions::decide(
            conn,
            Proposal::Amendment(amendment_id),
            &editor,
            disposition,
            reason,
            began + Duration::days(9),
        )
        .await?;
    }
    let draft = Drafts::text(conn, id, None, None).await?;
    let mut second = split_articles(&draft.next_version_text()).map_err(|_| AppError::Internal)?;
    if let Some(article) = second.iter_mut().find(|article| article.label == "2") {
        article.body = SECOND_ARTICLE_REVISED.to_string();
    }
    Drafts::publish(
        conn,
        id,
        &editor,
        1,
        &second,
        "Учтена поправка о ширине прохода; установлен срок публикации схем.",
        began + Duration::days(10),
    )
    .await?;
    Ok(())
}

/// The first official of the initiative's responsible body, acting as its editor.
async fn editor_of(conn: &mut AsyncMysqlConnection, id: InitiativeId) -> Result<Acting, AppError> {
    let department = initiatives::table
        .find(id)
        .select(initiatives::department_id)
        .first::<Option<DepartmentId>>(conn)
        .await?
        .ok_or(AppError::Internal)?;
    let official: UserId = user_roles::table
        .filter(user_roles::department_id.eq(department))
        .filter(user_roles::role.eq(Role::Official.as_db()))
        .order(user_roles::id)
        .select(user_roles::user_id)
        .first(conn)
        .await?;
    Ok(Acting::official(official, department))
}

/// The drafting, expertise and reaction of a demo initiative from the day drafting
/// `began`: version 1 of its text, the demo expert assigned and concluding with two
/// remarks; then (past the expertise) both remarks decided and the expertise closed; an
/// adopted one is adopted ten days later.
async fn examine(
    conn: &mut AsyncMysqlConnection,
    id: InitiativeId,
    fate: Fate,
    moderator: &Acting,
    began: NaiveDateTime,
) -> Result<(), AppError> {
    let text = match fate {
        Fate::Expertise { text } | Fate::Reaction { text } | Fate::Adopted { text, .. } => text,
        _ => return Ok(()),
    };
    let editor = editor_of(conn, id).await?;
    let expert: UserId = users::table
        .filter(users::email.eq("expert@openregion.demo"))
        .select(users::id)
        .first(conn)
        .await?;
    let articles = split_articles(text).map_err(|_| AppError::Internal)?;
    let day = |days: i64| began + Duration::days(days);
    Drafts::publish(conn, id, &editor, 0, &articles, "", day(2)).await?;
    Expertises::assign(conn, id, moderator, expert, day(3)).await?;
    step(conn, id, &editor, Action::StartExpertise, "", day(4)).await?;
    let conclusion = ValidConclusion {
        verdict: Verdict::SupportWithRemarks,
        text: "Проект соответствует федеральному законодательству и может быть принят после устранения замечаний.".to_string(),
        remarks: REMARKS
            .iter()
            .enumerate()
            .map(|(row, (article, category, text))| ValidRemark {
                row,
                article: (*article).to_string(),
                category: *category,
                text: (*text).to_string(),
            })
            .collect(),
    };
    Expertises::conclude(conn, id, expert, &conclusion, day(10)).await?;
    if matches!(fate, Fate::Expertise { .. }) {
        return Ok(());
    }
    let view = Expertises::view(conn, id, None).await?;
    let remarks: Vec<_> = view
        .conclusions
        .iter()
        .flat_map(|conclusion| &conclusion.remarks)
        .map(|remark| remark.id)
        .collect();
    let decisions = [
        (
            Disposition::Accepted,
            "Ответственный орган и срок будут указаны в следующей редакции.",
        ),
        (
            Disposition::PartlyAccepted,
            "Основания установим; порядок определит отдельное постановление.",
        ),
    ];
    for (remark, (disposition, reason)) in remarks.into_iter().zip(decisions) {
        Dispositions::decide(
            conn,
            Proposal::Remark(remark),
            &editor,
            disposition,
            reason,
            day(13),
        )
        .await?;
    }
    step(conn, id, &editor, Action::CloseExpertise, "", day(14)).await?;
    if let Fate::Adopted { act, .. } = fate {
        let adopted = day(24);
        let act = Act {
            number: act.to_string(),
            date: platform::clock::region_date(adopted),
            url: None,
        };
        Initiatives::adopt(conn, id, &editor, &act, adopted).await?;
    }
    Ok(())
}

async fn propose(
    conn: &mut AsyncMysqlConnection,
    demo: &Demo,
    author: UserId,
    at: NaiveDateTime,
) -> Result<InitiativeId, AppError> {
    let municipality_id: Option<MunicipalityId> = match demo.municipality {
        None => None,
        Some(slug) => Some(
            municipalities::table
                .filter(municipalities::slug.eq(slug))
                .select(municipalities::id)
                .first(conn)
                .await?,
        ),
    };
    let theme_id: ThemeId = themes::table
        .filter(themes::slug.eq(demo.theme))
        .select(themes::id)
        .first(conn)
        .await?;
    let initiative = ValidInitiative {
        municipality_id,
        theme_id,
        title: demo.title.to_string(),
        problem: demo.problem.to_string(),
        goal: demo.goal.to_string(),
        proposal: demo.proposal.to_string(),
    };
    conn.transaction(async move |conn| Initiatives::create(conn, author, &initiative, at).await)
        .await
}

async fn step(
    conn: &mut AsyncMysqlConnection,
    id: InitiativeId,
    acting: &Acting,
    action: Action,
    reason: &str,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    Initiatives::step(conn, id, acting, action, reason, at)
        .await
        .map(drop)
}
