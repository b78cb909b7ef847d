//! Priority ranks against a real MariaDB: the vote budget and one vote per priority,
//! exact counts under concurrent voters, votes counted where the voter lived when voting,
//! one change of home a quarter, the running counts of the provisional standings equal to
//! the votes counted, the moderators' decisions with their audit and notifications, and
//! quarterly snapshots built once and never changed.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::jobs::build_due_snapshots_once;
use super::model::{
    ACCEPTED, Decision, PriorityId, PriorityStatus, RankMethod, Scope, ValidPriority, rank_quarter,
};
use super::queries::{Priorities, RankSnapshots};
use crate::auth::testing::{municipality_id, test_user_in};
use crate::geography::model::MunicipalityId;
use crate::organisation::testing::Cast;
use platform::db::schema::{audit_log, notifications, priority_rank_rows, priority_votes};
use platform::db::testing::TestDb;
use platform::error::{AppError, ErrorCode, FieldError};
use platform::ids::UserId;

/// The third quarter of 2026, closed, and the fourth, open on 6 December.
fn q3() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, 1).expect("date")
}

fn q4() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 1).expect("date")
}

fn at(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(12, 0, 0).expect("time")
}

/// A method with a small minimum, so a few test voters make a rank.
const SMALL: RankMethod = RankMethod {
    version: 1,
    votes_per_voter: 5,
    min_voters: 3,
};

/// `count` open priorities: regional unless `municipality` is given.
async fn open_priorities(
    conn: &mut AsyncMysqlConnection,
    cast: &Cast,
    count: usize,
    municipality: Option<MunicipalityId>,
) -> Vec<PriorityId> {
    let mut ids = Vec::new();
    for index in 0..count {
        let priority = ValidPriority {
            municipality,
            theme: cast.road_theme,
            title: format!("Приоритет {index}"),
            description: "Описание приоритета для проверки.".into(),
            place: None,
        };
        ids.push(
            Priorities::create(
                conn,
                Some(cast.moderator),
                &priority,
                PriorityStatus::Open,
                at(q3()),
            )
            .await
            .expect("priority"),
        );
    }
    ids
}

fn refused_field<T: std::fmt::Debug>(result: Result<T, AppError>) -> FieldError {
    match result {
        Err(AppError::Invalid { mut errors }) if errors.len() == 1 => errors.remove(0),
        other => panic!("expected one refused field, got {other:?}"),
    }
}

async fn vote(
    conn: &mut AsyncMysqlConnection,
    user: UserId,
    priority: PriorityId,
    quarter: NaiveDate,
) -> Result<u32, AppError> {
    Priorities::vote(conn, user, priority, quarter, SMALL, at(quarter)).await
}

async fn stored_votes(conn: &mut AsyncMysqlConnection, user: UserId) -> i64 {
    priority_votes::table
        .filter(priority_votes::user_id.eq(user))
        .count()
        .get_result(conn)
        .await
        .expect("votes")
}

/// The running counts (the provisional standings' input) hold the same numbers as the
/// votes counted (the snapshot's input).
async fn assert_running_counts_agree(conn: &mut AsyncMysqlConnection, quarter: NaiveDate) {
    let counted = Priorities::tally(conn, quarter).await.expect("tally");
    let running = Priorities::running_tally(conn, quarter)
        .await
        .expect("running tally");
    assert_eq!(
        running.in_key_order(),
        counted.in_key_order(),
        "the running counts of {quarter}"
    );
}

#[tokio::test]
async fn a_voter_has_five_votes_a_quarter_one_per_priority() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let ids = open_priorities(&mut conn, &cast, 7, None).await;
    for (index, id) in ids.iter().take(5).enumerate() {
        let left = vote(&mut conn, cast.author, *id, q4()).await.expect("vote");
        assert_eq!(left, 4 - index as u32);
    }
    let sixth = vote(&mut conn, cast.author, ids[5], q4()).await;
    assert_eq!(
        refused_field(sixth),
        FieldError::new("priority", ErrorCode::VotesUsedUp { budget: 5 })
    );
    let again = vote(&mut conn, cast.author, ids[0], q4()).await;
    assert_eq!(
        refused_field(again),
        FieldError::new("priority", ErrorCode::Duplicate)
    );
    assert_eq!(stored_votes(&mut conn, cast.author).await, 5);
    // A vote moves: withdrawn from one, given to another.
    assert!(
        Priorities::withdraw(&mut conn, cast.author, ids[0], q4())
            .await
            .expect("withdraw")
    );
    vote(&mut conn, cast.author, ids[5], q4())
        .await
        .expect("the freed vote");
    assert!(
        !Priorities::withdraw(&mut conn, cast.author, ids[0], q4())
            .await
            .expect("nothing to withdraw")
    );
    // Another quarter is another budget.
    vote(&mut conn, cast.author, ids[0], q3())
        .await
        .expect("another quarter");
    // A proposal, a closed priority and an unknown one take no votes.
    let closed = ids[6];
    Priorities::decide(
        &mut conn,
        cast.moderator,
        closed,
        &Decision::Close("Уже сделано".into()),
        at(q4()),
    )
    .await
    .expect("close");
    let refused = vote(&mut conn, cast.official, closed, q4()).await;
    assert_eq!(
        refused_field(refused),
        FieldError::new("priority", ErrorCode::NotAllowed)
    );
    assert!(matches!(
        vote(&mut conn, cast.official, PriorityId(999_999), q4()).await,
        Err(AppError::NotFound)
    ));
    assert_eq!(stored_votes(&mut conn, cast.official).await, 0);
    assert_running_counts_agree(&mut conn, q3()).await;
    assert_running_counts_agree(&mut conn, q4()).await;
    // Withdrawing every vote leaves the person no voter of the quarter.
    for id in Priorities::voted(&mut conn, cast.author, q4())
        .await
        .expect("voted")
    {
        assert!(
            Priorities::withdraw(&mut conn, cast.author, id, q4())
                .await
                .expect("withdraw")
        );
    }
    assert_running_counts_agree(&mut conn, q4()).await;
    let running = Priorities::running_tally(&mut conn, q4())
        .await
        .expect("running tally");
    assert_eq!((running.region_voters, running.votes.len()), (0, 0));
}

#[tokio::test]
async fn concurrent_voters_give_exact_counts_and_the_budget_holds() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let ids = open_priorities(&mut conn, &cast, 8, None).await;
    let mut voters = Vec::new();
    for index in 0..200 {
        voters.push(test_user_in(&mut conn, &format!("voter{index}"), cast.krasnodar).await);
    }
    let eager = test_user_in(&mut conn, "eager", cast.krasnodar).await;
    drop(conn);
    // Every voter taps twice at once for the first priority, from separate connections,
    // while another sends votes for all eight priorities at once.
    let mut tasks = Vec::new();
    let taps = voters
        .iter()
        .chain(voters.iter())
        .map(|voter| (*voter, ids[0]));
    let burst = ids.iter().map(|id| (eager, *id));
    for (voter, priority) in taps.chain(burst) {
        let pool = db.pool().clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.expect("connection");
            vote(&mut conn, voter, priority, q4()).await
        }));
    }
    let mut refused = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(_) => {}
            Err(AppError::Invalid { .. }) => refused += 1,
            // A tap the database gives up on (a lock wait) is reported, not stored twice.
            Err(_) => refused += 1,
        }
    }
    let mut conn = db.conn().await;
    let tally = Priorities::tally(&mut conn, q4()).await.expect("tally");
    let first: u32 = tally
        .votes
        .iter()
        .filter(|count| count.priority == ids[0])
        .map(|count| count.votes)
        .sum();
    assert_eq!(
        first,
        200 + u32::from(eager_first(&mut conn, eager, ids[0]).await),
        "{refused} refused"
    );
    assert_eq!(tally.region_voters, 201);
    assert_eq!(stored_votes(&mut conn, eager).await, 5);
    assert_running_counts_agree(&mut conn, q4()).await;
}

/// Whether `eager`'s burst gave one of its five votes to `first`.
async fn eager_first(conn: &mut AsyncMysqlConnection, eager: UserId, first: PriorityId) -> bool {
    Priorities::voted(conn, eager, q4())
        .await
        .expect("voted")
        .contains(&first)
}

#[tokio::test]
async fn votes_count_where_the_voter_lived_and_home_changes_once_a_quarter() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let sochi = municipality_id(&mut conn, "sochi").await;
    let ids = open_priorities(&mut conn, &cast, 2, None).await;
    vote(&mut conn, cast.author, ids[0], q4())
        .await
        .expect("vote in Krasnodar");
    Priorities::change_home(
        &mut conn,
        cast.author,
        sochi,
        "Переехал к семье",
        q4(),
        at(q4()),
    )
    .await
    .expect("move");
    vote(&mut conn, cast.author, ids[1], q4())
        .await
        .expect("vote in Sochi");
    let second = Priorities::change_home(
        &mut conn,
        cast.author,
        cast.krasnodar,
        "Вернулся",
        q4(),
        at(q4()),
    )
    .await;
    assert_eq!(
        refused_field(second),
        FieldError::new("municipality", ErrorCode::MovedThisQuarter)
    );
    let (home, moved) = Priorities::home(&mut conn, cast.author, q4())
        .await
        .expect("home");
    assert_eq!((home, moved), (sochi, true));
    let tally = Priorities::tally(&mut conn, q4()).await.expect("tally");
    let counted: Vec<(MunicipalityId, PriorityId)> = {
        let mut counted: Vec<_> = tally
            .votes
            .iter()
            .map(|count| (count.municipality, count.priority))
            .collect();
        counted.sort();
        counted
    };
    let mut expected = vec![(cast.krasnodar, ids[0]), (sochi, ids[1])];
    expected.sort();
    assert_eq!(counted, expected);
    // One person who moved is a voter in both homes and once in the region.
    let voters_in = |municipality| {
        tally
            .municipalities
            .iter()
            .find(|m| m.municipality == municipality)
            .map(|m| m.voters)
    };
    assert_eq!(
        (voters_in(cast.krasnodar), voters_in(sochi)),
        (Some(1), Some(1))
    );
    assert_eq!(tally.region_voters, 1);
    assert_running_counts_agree(&mut conn, q4()).await;
    // Withdrawn in Krasnodar, the person is Sochi's voter only, and still the region's.
    assert!(
        Priorities::withdraw(&mut conn, cast.author, ids[0], q4())
            .await
            .expect("withdraw")
    );
    assert_running_counts_agree(&mut conn, q4()).await;
    // The same home is no change, and the next quarter allows one again.
    let next = NaiveDate::from_ymd_opt(2027, 1, 1).expect("date");
    let same = Priorities::change_home(&mut conn, cast.author, sochi, "Остаюсь", next, at(next));
    assert_eq!(
        refused_field(same.await),
        FieldError::new("municipality", ErrorCode::Unchanged)
    );
    Priorities::change_home(
        &mut conn,
        cast.author,
        cast.krasnodar,
        "Вернулся домой",
        next,
        at(next),
    )
    .await
    .expect("a new quarter");
}

/// Votes of the third quarter: four Krasnodar residents, two of Sochi.
async fn voted_q3(conn: &mut AsyncMysqlConnection, cast: &Cast, ids: &[PriorityId]) {
    let sochi = municipality_id(conn, "sochi").await;
    let ballots: [(MunicipalityId, &[usize]); 6] = [
        (cast.krasnodar, &[0, 1]),
        (cast.krasnodar, &[0, 1]),
        (cast.krasnodar, &[0]),
        (cast.krasnodar, &[2]),
        (sochi, &[2]),
        (sochi, &[2, 1]),
    ];
    for (index, (home, picks)) in ballots.into_iter().enumerate() {
        let voter = test_user_in(conn, &format!("q3voter{index}"), home).await;
        for pick in picks {
            vote(conn, voter, ids[*pick], q3()).await.expect("vote");
        }
    }
}

#[tokio::test]
async fn a_quarter_is_built_once_with_its_method_and_never_changes() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let sochi = municipality_id(&mut conn, "sochi").await;
    let ids = open_priorities(&mut conn, &cast, 3, None).await;
    voted_q3(&mut conn, &cast, &ids).await;
    drop(conn);
    // Two instances build the same quarter at once.
    let builders: Vec<_> = (0..2)
        .map(|_| {
            let pool = db.pool().clone();
            tokio::spawn(async move {
                let mut conn = pool.get().await.expect("connection");
                RankSnapshots::build(&mut conn, q3(), SMALL, at(q4())).await
            })
        })
        .collect();
    let mut built = Vec::new();
    for builder in builders {
        built.push(builder.await.expect("task").expect("build"));
    }
    assert_eq!(built.iter().filter(|summary| summary.is_some()).count(), 1);
    let mut conn = db.conn().await;
    let summary = RankSnapshots::summary(&mut conn, q3())
        .await
        .expect("summary")
        .expect("built");
    assert_eq!(
        (summary.votes, summary.voters, summary.method),
        (9, 6, SMALL)
    );
    let region = RankSnapshots::standings(&mut conn, q3(), Some(Scope::Region))
        .await
        .expect("region");
    let ranks: Vec<_> = region
        .iter()
        .map(|s| (s.priority, s.votes, s.rank))
        .collect();
    assert_eq!(
        ranks,
        [
            (ids[0], 3, Some(1)),
            (ids[1], 3, Some(1)),
            (ids[2], 3, Some(1))
        ]
    );
    // Krasnodar has four voters, a rank; Sochi two, below the minimum of three.
    let krasnodar =
        RankSnapshots::standings(&mut conn, q3(), Some(Scope::Municipality(cast.krasnodar)))
            .await
            .expect("krasnodar");
    assert_eq!(
        krasnodar
            .iter()
            .map(|s| (s.priority, s.rank))
            .collect::<Vec<_>>(),
        [(ids[0], Some(1)), (ids[1], Some(2)), (ids[2], Some(3))]
    );
    let sochi_figures = RankSnapshots::figures(&mut conn, q3(), Scope::Municipality(sochi))
        .await
        .expect("figures")
        .expect("sochi voted");
    assert_eq!(
        (
            sochi_figures.voters,
            sochi_figures.ranked,
            sochi_figures.weight
        ),
        (2, false, 0.0)
    );
    // Only Krasnodar is weighted: the weighted ranks follow its shares (3/4, 2/4, 1/4).
    let weighted: Vec<_> = region.iter().map(|s| s.weighted_rank).collect();
    assert_eq!(weighted, [Some(1), Some(2), Some(3)]);
    // The published figures recompute to the stored ranks.
    let tally = Priorities::tally(&mut conn, q3()).await.expect("tally");
    let recomputed = rank_quarter(&tally, &[], SMALL);
    let stored = RankSnapshots::standings(&mut conn, q3(), None)
        .await
        .expect("all");
    assert_eq!(recomputed.standings.len(), stored.len());
    // A vote recorded late (by hand) changes nothing published, and a second build is none.
    let late = test_user_in(&mut conn, "late", cast.krasnodar).await;
    vote(&mut conn, late, ids[2], q3())
        .await
        .expect("late vote");
    assert_eq!(
        RankSnapshots::build(&mut conn, q3(), SMALL, at(q4()))
            .await
            .expect("again"),
        None
    );
    let after = RankSnapshots::standings(&mut conn, q3(), None)
        .await
        .expect("after");
    assert_eq!(after, stored);
    // The next quarter's snapshot carries the movements.
    let q4_voters = [cast.author, cast.moderator, cast.official];
    for voter in q4_voters {
        vote(&mut conn, voter, ids[2], q4()).await.expect("q4");
    }
    vote(&mut conn, cast.author, ids[0], q4())
        .await
        .expect("q4");
    // While the fourth quarter is open its provisional standings (the current method, 25
    // voters for a rank) count its votes so far, with the third quarter's ranks beside them.
    let provisional = Priorities::provisional(&mut conn, q4(), Scope::Region)
        .await
        .expect("provisional");
    let figures = provisional.figures.expect("voters");
    assert_eq!(
        (figures.voters, figures.votes, figures.ranked),
        (3, 4, false)
    );
    let q3_region = RankSnapshots::standings(&mut conn, q3(), Some(Scope::Region))
        .await
        .expect("q3 region");
    let q3_rank = |id: PriorityId| {
        q3_region
            .iter()
            .find(|s| s.priority == id)
            .and_then(|s| s.rank)
    };
    let leaders = provisional.leaders(5);
    assert_eq!(
        leaders
            .iter()
            .map(|s| (s.priority, s.votes, s.rank, s.previous_rank))
            .collect::<Vec<_>>(),
        [
            (ids[2], 3, None, q3_rank(ids[2])),
            (ids[0], 1, None, q3_rank(ids[0]))
        ]
    );
    RankSnapshots::build(
        &mut conn,
        q4(),
        SMALL,
        at(q4()) + chrono::Duration::days(92),
    )
    .await
    .expect("q4 build")
    .expect("built");
    let krasnodar_q4 =
        RankSnapshots::standings(&mut conn, q4(), Some(Scope::Municipality(cast.krasnodar)))
            .await
            .expect("q4 krasnodar");
    let third = krasnodar_q4
        .iter()
        .find(|s| s.priority == ids[2])
        .copied()
        .expect("voted");
    assert_eq!(
        (third.rank, third.previous_rank, third.movement()),
        (Some(1), Some(3), Some(2))
    );
}

#[tokio::test]
async fn the_job_builds_the_quarters_due_under_its_lease() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let ids = open_priorities(&mut conn, &cast, 3, None).await;
    voted_q3(&mut conn, &cast, &ids).await;
    // 2 October 2026: the third quarter is closed, the fourth open.
    let now = at(NaiveDate::from_ymd_opt(2026, 10, 2).expect("date"));
    let built = build_due_snapshots_once(&mut conn, "instance-a", now)
        .await
        .expect("job")
        .expect("the lease");
    assert_eq!(built.iter().map(|s| s.quarter).collect::<Vec<_>>(), [q3()]);
    let next =
        build_due_snapshots_once(&mut conn, "instance-a", now + chrono::Duration::minutes(1))
            .await
            .expect("job");
    assert_eq!(next.map(|built| built.len()), Some(0));
    platform::jobs::try_lease(
        &mut conn,
        super::jobs::SNAPSHOT_JOB,
        "instance-b",
        now + chrono::Duration::minutes(2),
        chrono::Duration::minutes(10),
    )
    .await
    .expect("lease");
    let held =
        build_due_snapshots_once(&mut conn, "instance-a", now + chrono::Duration::minutes(3))
            .await
            .expect("job");
    assert_eq!(held, None);
    let rows: i64 = priority_rank_rows::table
        .count()
        .get_result(&mut conn)
        .await
        .expect("rows");
    // The region's three, Krasnodar's three, Sochi's two.
    assert_eq!(rows, 8);
}

#[tokio::test]
async fn proposals_are_decided_audited_and_their_authors_told() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let proposal = ValidPriority {
        municipality: Some(cast.krasnodar),
        theme: cast.road_theme,
        title: "Переход у школы".into(),
        description: "Нужен светофор у школы на Северной.".into(),
        place: None,
    };
    let id = Priorities::create(
        &mut conn,
        Some(cast.author),
        &proposal,
        PriorityStatus::Proposed,
        at(q4()),
    )
    .await
    .expect("proposed");
    // Not votable before it is published.
    let early = vote(&mut conn, cast.official, id, q4()).await;
    assert_eq!(
        refused_field(early),
        FieldError::new("priority", ErrorCode::NotAllowed)
    );
    // A proposal cannot be closed, only published or rejected.
    let wrong = Priorities::decide(
        &mut conn,
        cast.moderator,
        id,
        &Decision::Close("Закрыть".into()),
        at(q4()),
    )
    .await;
    assert!(
        matches!(wrong, Err(AppError::IllegalTransition { .. })),
        "{wrong:?}"
    );
    let to = Priorities::decide(&mut conn, cast.moderator, id, &Decision::Open, at(q4()))
        .await
        .expect("publish");
    assert_eq!(to, PriorityStatus::Open);
    vote(&mut conn, cast.official, id, q4())
        .await
        .expect("votable now");
    let told: Vec<(u64, String)> = notifications::table
        .filter(notifications::user_id.eq(cast.author))
        .select((notifications::subject_id, notifications::kind))
        .load(&mut conn)
        .await
        .expect("notifications");
    assert_eq!(told, [(id.0, ACCEPTED.to_string())]);
    let audited: Vec<(Option<UserId>, String)> = audit_log::table
        .filter(audit_log::target_kind.eq("priority"))
        .order(audit_log::id.asc())
        .select((audit_log::actor_user_id, audit_log::action))
        .load(&mut conn)
        .await
        .expect("audit");
    assert_eq!(
        audited,
        [(Some(cast.moderator), "priority.approve".to_string())]
    );
}

#[tokio::test]
async fn the_demo_has_ranked_quarters_and_is_made_once() {
    let db = TestDb::new().await;
    crate::seed::seed_demo_for_test(db.pool()).await;
    let mut conn = db.conn().await;
    let quarters = RankSnapshots::quarters(&mut conn).await.expect("quarters");
    assert_eq!(quarters.len(), 4);
    let krasnodar = municipality_id(&mut conn, "krasnodar").await;
    for quarter in &quarters {
        let region = RankSnapshots::standings(&mut conn, *quarter, Some(Scope::Region))
            .await
            .expect("region");
        assert!(region.iter().any(|s| s.rank == Some(1)));
        assert!(region.iter().any(|s| s.weighted_rank == Some(1)));
        let city = RankSnapshots::figures(&mut conn, *quarter, Scope::Municipality(krasnodar))
            .await
            .expect("figures")
            .expect("Krasnodar voted");
        assert!(city.ranked, "{city:?}");
        let all = RankSnapshots::standings(&mut conn, *quarter, None)
            .await
            .expect("all");
        // The demo residents elsewhere are too few for a rank.
        assert!(
            all.iter()
                .any(|s| s.scope != Scope::Region && s.rank.is_none())
        );
    }
    let proposals = Priorities::list(&mut conn, &[PriorityStatus::Proposed], None)
        .await
        .expect("proposals");
    assert_eq!(proposals.len(), 1);
    let hash = "irrelevant";
    let again = super::seed::seed_priorities(&mut conn, hash, platform::clock::now())
        .await
        .expect("seed again");
    assert_eq!(again, 0);
}
