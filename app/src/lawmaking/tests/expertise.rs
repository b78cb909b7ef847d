//! Database tests of the expertise and the government's reaction: who chooses and who is
//! an expert, conclusions on the version under expertise, the rule that closes the stage,
//! the reaction clock with several scheduler instances, and the act, the send-back and
//! the rejection that end it.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::super::exports;
use super::super::jobs::run_stage_clock_once;
use super::super::model::drafting::Disposition;
use super::super::model::expertise::{
    Act, ExpertRole, RemarkCategory, RemarkId, RemarkStatus, ValidConclusion, ValidRemark, Verdict,
};
use super::super::model::work::BodyReactions;
use super::super::model::{Action, InitiativeId, Stage};
use super::super::queries::disposition::{Dispositions, Proposal};
use super::super::queries::drafting::Drafts;
use super::super::queries::expertise::Expertises;
use super::super::queries::work::work_of;
use super::super::queries::{Initiatives, StageClockReport};
use super::drafting::FIRST;
use super::{World, at, events_of, session, stage_of, world};
use crate::auth::model::{Acting, Role, UserId};
use crate::auth::queries::Roles;
use crate::auth::testing::test_user_in;
use crate::i18n::Locale;
use crate::organisation::model::DepartmentId;
use civic::audit::AuditEntry;
use civic::notifications::Notifications;
use civic::reaction_clock::ClockReport;
use platform::db::schema::departments;
use platform::error::{AppError, ErrorCode, FieldError};

/// A user holding the expert role.
async fn expert(w: &World, conn: &mut AsyncMysqlConnection, name: &str) -> UserId {
    let user = test_user_in(conn, name, w.cast.krasnodar).await;
    Roles::grant(
        conn,
        user,
        Role::Expert,
        None,
        None,
        at("2026-01-01 00:00:00"),
    )
    .await
    .expect("grant");
    user
}

fn remark(row: usize, article: &str, category: RemarkCategory, text: &str) -> ValidRemark {
    ValidRemark {
        row,
        article: article.into(),
        category,
        text: text.into(),
    }
}

fn with_remarks(remarks: Vec<ValidRemark>) -> ValidConclusion {
    ValidConclusion {
        verdict: if remarks.is_empty() {
            Verdict::Support
        } else {
            Verdict::SupportWithRemarks
        },
        text: "Проект соответствует законодательству с учётом замечаний.".into(),
        remarks,
    }
}

impl World {
    /// An initiative whose version 1 is under expertise, with `expert` assigned.
    async fn in_expertise(
        &self,
        conn: &mut AsyncMysqlConnection,
        expert: UserId,
        now: NaiveDateTime,
    ) -> InitiativeId {
        let id = self.drafting(conn, now).await;
        self.publish(conn, id, 0, FIRST, now)
            .await
            .expect("version 1");
        Expertises::assign(conn, id, &self.cast.as_moderator(), expert, now)
            .await
            .expect("assign");
        Initiatives::step(
            conn,
            id,
            &self.cast.as_official(),
            Action::StartExpertise,
            "",
            now,
        )
        .await
        .expect("start the expertise");
        id
    }

    /// An initiative waiting for the government's reaction since `now`, its one remark
    /// accepted.
    async fn in_reaction(
        &self,
        conn: &mut AsyncMysqlConnection,
        expert: UserId,
        now: NaiveDateTime,
    ) -> InitiativeId {
        let id = self.in_expertise(conn, expert, now).await;
        let conclusion = with_remarks(vec![remark(
            0,
            "2",
            RemarkCategory::LegalTechnique,
            "Уточнить размер штрафа.",
        )]);
        Expertises::conclude(conn, id, expert, &conclusion, now)
            .await
            .expect("conclude");
        let remark = remarks_of(conn, id).await[0].0;
        Dispositions::decide(
            conn,
            Proposal::Remark(remark),
            &self.cast.as_official(),
            Disposition::Accepted,
            "Учтём в следующей редакции.",
            now,
        )
        .await
        .expect("dispose");
        Initiatives::step(
            conn,
            id,
            &self.cast.as_official(),
            Action::CloseExpertise,
            "",
            now,
        )
        .await
        .expect("close the expertise");
        id
    }
}

/// The remarks of an initiative with their status, in order.
async fn remarks_of(
    conn: &mut AsyncMysqlConnection,
    id: InitiativeId,
) -> Vec<(RemarkId, RemarkStatus)> {
    Expertises::view(conn, id, None)
        .await
        .expect("view")
        .conclusions
        .into_iter()
        .flat_map(|conclusion| conclusion.remarks)
        .map(|remark| (remark.id, remark.status))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn moderators_assign_experts_volunteers_wait_and_only_assigned_experts_conclude() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-05-01 10:00:00");
    let volunteer = expert(&w, &mut conn, "volunteer").await;
    let assigned = expert(&w, &mut conn, "assigned").await;
    let id = w.drafting(&mut conn, now).await;
    w.publish(&mut conn, id, 0, FIRST, now)
        .await
        .expect("version 1");

    assert_eq!(
        Expertises::volunteer(&mut conn, id, w.cast.author, now).await,
        Err(AppError::Forbidden),
        "only experts volunteer"
    );
    Expertises::volunteer(&mut conn, id, volunteer, now)
        .await
        .expect("volunteer");
    Expertises::volunteer(&mut conn, id, volunteer, now)
        .await
        .expect("volunteering twice changes nothing");
    assert_eq!(
        Expertises::assign(&mut conn, id, &w.cast.as_official(), assigned, now).await,
        Err(AppError::Forbidden),
        "officials do not choose the experts of their own draft"
    );
    assert_eq!(
        Expertises::assign(&mut conn, id, &w.cast.as_moderator(), w.cast.author, now).await,
        Err(AppError::invalid("expert", ErrorCode::UnknownUser)),
        "only holders of the expert role"
    );
    Expertises::assign(&mut conn, id, &w.cast.as_moderator(), assigned, now)
        .await
        .expect("assign");
    let viewer = session(&w, &mut conn, volunteer).await;
    let view = Expertises::view(&mut conn, id, Some(&viewer))
        .await
        .expect("view");
    assert_eq!(view.expert_role, ExpertRole::Volunteered);
    let experts: Vec<(UserId, bool)> = view
        .experts
        .iter()
        .map(|expert| (expert.id, expert.assigned))
        .collect();
    assert_eq!(experts, [(assigned, true), (volunteer, false)]);

    let conclusion = with_remarks(Vec::new());
    assert_eq!(
        Expertises::conclude(&mut conn, id, assigned, &conclusion, now).await,
        Err(AppError::IllegalTransition {
            status: "drafting".into(),
            action: "conclude".into()
        }),
        "no conclusion before the expertise starts"
    );
    Initiatives::step(
        &mut conn,
        id,
        &w.cast.as_official(),
        Action::StartExpertise,
        "",
        now,
    )
    .await
    .expect("start");
    assert_eq!(
        Expertises::conclude(&mut conn, id, volunteer, &conclusion, now).await,
        Err(AppError::Forbidden),
        "a volunteer concludes only once approved"
    );
    let unknown_article = with_remarks(vec![
        remark(
            0,
            "1",
            RemarkCategory::Corruption,
            "«Вправе» — без критериев.",
        ),
        remark(2, "9", RemarkCategory::Other, "Такой статьи нет."),
    ]);
    assert_eq!(
        Expertises::conclude(&mut conn, id, assigned, &unknown_article, now).await,
        Err(AppError::Invalid {
            errors: vec![FieldError::new("remarks.2.article", ErrorCode::NotAllowed)]
        }),
        "a remark names an article of the version under expertise, by its form row"
    );
    Expertises::assign(&mut conn, id, &w.cast.as_moderator(), volunteer, now)
        .await
        .expect("approve the volunteer");
    Expertises::conclude(&mut conn, id, assigned, &conclusion, now)
        .await
        .expect("conclude");
    assert_eq!(
        Expertises::conclude(&mut conn, id, assigned, &conclusion, now).await,
        Err(AppError::invalid("text", ErrorCode::Duplicate)),
        "one conclusion per expert and version"
    );
    assert!(
        events_of(&mut conn, id)
            .await
            .contains(&"conclusion_published".to_string())
    );
    let told = Notifications::recent(&mut conn, volunteer, 10)
        .await
        .expect("notifications");
    assert!(told.iter().any(|item| item.kind == "expert_assigned"));
    let told = Notifications::recent(&mut conn, w.cast.official, 10)
        .await
        .expect("notifications");
    assert!(
        told.iter().any(|item| item.kind == "conclusion_published"),
        "the responsible body is told of each conclusion"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_expertise_closes_only_when_every_remark_has_its_disposition() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-05-01 10:00:00");
    let examiner = expert(&w, &mut conn, "examiner").await;
    let id = w.in_expertise(&mut conn, examiner, now).await;
    let close = async |conn: &mut AsyncMysqlConnection| {
        Initiatives::step(
            conn,
            id,
            &w.cast.as_official(),
            Action::CloseExpertise,
            "",
            now,
        )
        .await
    };
    assert_eq!(
        close(&mut conn).await,
        Err(AppError::invalid("action", ErrorCode::NoConclusion))
    );
    let conclusion = with_remarks(vec![
        remark(
            0,
            "1",
            RemarkCategory::Corruption,
            "«Вправе» — без критериев.",
        ),
        remark(1, "2", RemarkCategory::Budget, "Нет оценки расходов."),
    ]);
    Expertises::conclude(&mut conn, id, examiner, &conclusion, now)
        .await
        .expect("conclude");
    assert_eq!(
        close(&mut conn).await,
        Err(AppError::invalid(
            "action",
            ErrorCode::RemarksOpen { count: 2 }
        ))
    );
    let remarks = remarks_of(&mut conn, id).await;
    assert_eq!(
        remarks
            .iter()
            .map(|(_, status)| *status)
            .collect::<Vec<_>>(),
        [RemarkStatus::Open, RemarkStatus::Open]
    );
    let (first, second) = (remarks[0].0, remarks[1].0);
    for stranger in [w.cast.as_moderator(), Acting::resident(examiner)] {
        assert_eq!(
            Dispositions::decide(
                &mut conn,
                Proposal::Remark(first),
                &stranger,
                Disposition::Accepted,
                "Да",
                now
            )
            .await,
            Err(AppError::Forbidden)
        );
    }
    Dispositions::decide(
        &mut conn,
        Proposal::Remark(first),
        &w.cast.as_official(),
        Disposition::PartlyAccepted,
        "Критерии добавим в статью 1.",
        now,
    )
    .await
    .expect("dispose");
    assert_eq!(
        Dispositions::decide(
            &mut conn,
            Proposal::Remark(first),
            &w.cast.as_official(),
            Disposition::Rejected,
            "Передумали",
            now
        )
        .await,
        Err(AppError::IllegalTransition {
            status: "partly_accepted".into(),
            action: "dispose".into()
        }),
        "a disposition is final"
    );
    assert_eq!(
        close(&mut conn).await,
        Err(AppError::invalid(
            "action",
            ErrorCode::RemarksOpen { count: 1 }
        ))
    );
    Dispositions::decide(
        &mut conn,
        Proposal::Remark(second),
        &w.cast.as_official(),
        Disposition::Rejected,
        "Расходов закон не требует.",
        now,
    )
    .await
    .expect("dispose");
    assert_eq!(close(&mut conn).await, Ok(Stage::Reaction));
    let detail = Initiatives::detail(&mut conn, id, None, None, now)
        .await
        .expect("detail");
    let due = now + Duration::days(30);
    assert_eq!(detail.summary.stage_ends_at, Some(due));
    assert_eq!(detail.reaction.map(|clock| clock.due_at), Some(due));
    assert_eq!(
        remarks_of(&mut conn, id).await,
        [
            (first, RemarkStatus::Decided(Disposition::PartlyAccepted)),
            (second, RemarkStatus::Decided(Disposition::Rejected))
        ]
    );
    let audited = AuditEntry::recent(&mut conn, Some(("initiative", id.0)), 20)
        .await
        .expect("audit");
    assert_eq!(
        audited
            .iter()
            .filter(|entry| entry.action == "initiative.dispose_remark")
            .count(),
        2
    );
    let told = Notifications::recent(&mut conn, examiner, 10)
        .await
        .expect("notifications");
    assert!(told.iter().any(|item| item.kind == "remark_decided"));

    // The summary of proposals carries every remark with its fate.
    let draft = Drafts::text(&mut conn, id, None, None).await.expect("text");
    let conclusions = Expertises::view(&mut conn, id, None)
        .await
        .expect("view")
        .conclusions;
    let document = exports::document(id, &draft, &conclusions, Locale::Ru);
    assert_eq!(document.tables[1].rows.len(), 2, "both remarks");
    let pdf = crate::export::write_pdf(&document).expect("pdf");
    let extracted = pdf_extract::extract_text_from_mem(&pdf).expect("text");
    let flat = extracted.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Нет оценки расходов."), "{flat}");
    assert!(flat.contains("Расходов закон не требует."), "{flat}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_reaction_clock_reminds_marks_overdue_and_escalates_once_under_two_instances() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let start = at("2026-06-01 10:00:00");
    let examiner = expert(&w, &mut conn, "examiner").await;
    let supervisor: DepartmentId = departments::table
        .filter(departments::slug.eq("min-transport"))
        .select(departments::id)
        .first(&mut conn)
        .await
        .expect("ministry");
    diesel::update(departments::table.find(w.cast.department))
        .set(departments::supervisor_id.eq(supervisor))
        .execute(&mut conn)
        .await
        .expect("supervisor");
    let id = w.in_reaction(&mut conn, examiner, start).await;
    let due = start + Duration::days(30);
    drop(conn);

    let run_twice = async |now: NaiveDateTime| {
        let mut tasks = Vec::new();
        for instance in 0..2 {
            let pool = w.db.pool().clone();
            tasks.push(tokio::spawn(async move {
                let mut conn = pool.get().await.expect("connection");
                run_stage_clock_once(&mut conn, &format!("instance-{instance}"), now)
                    .await
                    .expect("run")
            }));
        }
        let mut total = ClockReport::default();
        for task in tasks {
            if let Some(StageClockReport { reaction, .. }) = task.await.expect("task") {
                total.reminded += reaction.reminded;
                total.overdue += reaction.overdue;
                total.escalated += reaction.escalated;
            }
        }
        total
    };
    assert_eq!(
        run_twice(due - Duration::days(10)).await,
        ClockReport::default()
    );
    assert_eq!(
        run_twice(due - Duration::days(4)).await,
        ClockReport {
            reminded: 1,
            ..ClockReport::default()
        }
    );
    assert_eq!(
        run_twice(due + Duration::minutes(1)).await,
        ClockReport {
            overdue: 1,
            escalated: 1,
            ..ClockReport::default()
        }
    );
    assert_eq!(
        run_twice(due + Duration::days(1)).await,
        ClockReport::default(),
        "nothing moves twice"
    );
    let mut conn = w.db.conn().await;
    let events = events_of(&mut conn, id).await;
    for kind in ["reaction_overdue", "reaction_escalated"] {
        assert_eq!(
            events.iter().filter(|event| *event == kind).count(),
            1,
            "{kind} once"
        );
    }
    let clock = Initiatives::detail(&mut conn, id, None, None, due)
        .await
        .expect("detail")
        .reaction
        .expect("a reaction clock");
    assert_eq!(clock.overdue_since, Some(due + Duration::minutes(1)));
    assert_eq!(clock.escalated_to, Some(supervisor));
    let told = Notifications::recent(&mut conn, w.cast.official, 20)
        .await
        .expect("notifications");
    for kind in ["reaction_reminder", "reaction_overdue"] {
        assert!(told.iter().any(|item| item.kind == kind), "{kind}");
    }

    // Late, but adopted: the act is on the page and the clock stops.
    let late = due + Duration::days(2);
    assert_eq!(
        Initiatives::step(
            &mut conn,
            id,
            &w.cast.as_official(),
            Action::Adopt,
            "",
            late
        )
        .await,
        Err(AppError::invalid("number", ErrorCode::Required)),
        "adopting needs the act"
    );
    let act = Act {
        number: "4321-КЗ".into(),
        date: NaiveDate::from_ymd_opt(2026, 7, 2).expect("date"),
        url: Some("https://publication.pravo.gov.ru/document/4321".into()),
    };
    assert_eq!(
        Initiatives::adopt(&mut conn, id, &w.cast.as_moderator(), &act, late).await,
        Err(AppError::Forbidden),
        "only the responsible body adopts"
    );
    assert_eq!(
        Initiatives::adopt(&mut conn, id, &w.cast.as_official(), &act, late).await,
        Ok(Stage::Adopted)
    );
    let detail = Initiatives::detail(&mut conn, id, None, None, late)
        .await
        .expect("detail");
    assert_eq!(detail.act, Some(act));
    drop(conn);
    assert_eq!(
        run_twice(late + Duration::days(1)).await,
        ClockReport::default()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sent_back_draft_is_revised_and_examined_again_and_a_rejection_ends_it() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-06-01 10:00:00");
    let examiner = expert(&w, &mut conn, "examiner").await;
    let id = w.in_reaction(&mut conn, examiner, now).await;
    let later = now + Duration::days(3);
    assert_eq!(
        Initiatives::step(
            &mut conn,
            id,
            &w.cast.as_official(),
            Action::SendBack,
            "Учесть замечание о штрафе",
            later
        )
        .await,
        Ok(Stage::Drafting)
    );
    w.publish(
        &mut conn,
        id,
        1,
        &FIRST.replace("500 рублей", "от 500 до 1000 рублей"),
        later,
    )
    .await
    .expect("version 2");
    let view = Expertises::view(&mut conn, id, None).await.expect("view");
    assert_eq!(
        view.conclusions[0].remarks[0].taken_in,
        Some(2),
        "the accepted remark is taken in by the next version"
    );
    Initiatives::step(
        &mut conn,
        id,
        &w.cast.as_official(),
        Action::StartExpertise,
        "",
        later,
    )
    .await
    .expect("examined again");
    assert_eq!(
        Initiatives::step(
            &mut conn,
            id,
            &w.cast.as_official(),
            Action::CloseExpertise,
            "",
            later
        )
        .await,
        Err(AppError::invalid("action", ErrorCode::NoConclusion)),
        "version 2 needs its own conclusion"
    );
    Expertises::conclude(&mut conn, id, examiner, &with_remarks(Vec::new()), later)
        .await
        .expect("a conclusion on version 2");
    Initiatives::step(
        &mut conn,
        id,
        &w.cast.as_official(),
        Action::CloseExpertise,
        "",
        later,
    )
    .await
    .expect("close");
    let clock = Initiatives::detail(&mut conn, id, None, None, later)
        .await
        .expect("detail")
        .reaction
        .expect("clock");
    assert_eq!(
        clock.due_at,
        later + Duration::days(30),
        "a new clock after the send-back"
    );
    assert_eq!(
        Initiatives::step(
            &mut conn,
            id,
            &w.cast.as_official(),
            Action::Reject,
            "Противоречит бюджету",
            later
        )
        .await,
        Ok(Stage::Rejected)
    );
    assert_eq!(stage_of(&mut conn, id).await, Stage::Rejected);
    assert_eq!(
        Initiatives::step(
            &mut conn,
            id,
            &w.cast.as_author(),
            Action::Withdraw,
            "",
            later
        )
        .await,
        Err(AppError::IllegalTransition {
            status: "rejected".into(),
            action: "withdraw".into()
        })
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_staff_see_their_own_queues_and_the_control_view_counts_reactions_per_body() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-06-01 10:00:00");
    let examiner = expert(&w, &mut conn, "examiner").await;
    let waiting = w.propose(&mut conn, false, now).await;
    let drafted = w.drafting(&mut conn, now).await;
    let examined = w.in_expertise(&mut conn, examiner, now).await;
    Expertises::conclude(
        &mut conn,
        examined,
        examiner,
        &with_remarks(vec![remark(0, "1", RemarkCategory::Other, "Уточнить.")]),
        now,
    )
    .await
    .expect("conclude");
    let late = w
        .in_reaction(&mut conn, examiner, now - Duration::days(40))
        .await;
    let on_time = w.in_reaction(&mut conn, examiner, now).await;
    Initiatives::run_stage_clock(&mut conn, now)
        .await
        .expect("clock");

    let moderator = session(&w, &mut conn, w.cast.moderator).await;
    let queues = work_of(&mut conn, &moderator, now).await.expect("work");
    let ids = |items: &[crate::lawmaking::model::InitiativeSummary]| -> Vec<InitiativeId> {
        items.iter().map(|item| item.id).collect()
    };
    assert_eq!(ids(&queues.moderation), [waiting]);
    assert_eq!(
        ids(&queues.experts_needed),
        [drafted],
        "the others have their expert"
    );
    assert!(queues.drafting.is_empty(), "a moderator edits no draft");
    let reactions: Vec<(InitiativeId, bool)> = queues
        .reactions
        .iter()
        .map(|item| (item.summary.id, item.clock.overdue_since.is_some()))
        .collect();
    assert_eq!(
        reactions,
        [(late, true), (on_time, false)],
        "the nearest deadline first"
    );
    assert_eq!(
        queues.control,
        [BodyReactions {
            department_id: w.cast.department,
            due: 2,
            overdue: 1
        }]
    );

    let official = session(&w, &mut conn, w.cast.official).await;
    let queues = work_of(&mut conn, &official, now).await.expect("work");
    assert!(queues.moderation.is_empty() && queues.experts_needed.is_empty());
    assert_eq!(ids(&queues.drafting), [drafted]);
    let expertise: Vec<(InitiativeId, u32)> = queues
        .expertise
        .iter()
        .map(|(summary, open)| (summary.id, *open))
        .collect();
    assert_eq!(
        expertise,
        [(examined, 1)],
        "one remark waits for a decision"
    );
    assert_eq!(queues.reactions.len(), 2);

    let citizen = session(&w, &mut conn, w.cast.author).await;
    assert_eq!(
        work_of(&mut conn, &citizen, now).await,
        Err(AppError::Forbidden)
    );
}
