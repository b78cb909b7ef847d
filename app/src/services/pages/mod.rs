//! `/services` (the month's ranks and the catalogue), `/services/:id` (a service: its
//! providers' history, the rating form, the reviews with the providers' answers) and
//! `/manage/services` (the moderators' catalogue).

mod manage;

pub use manage::ManageServicesPage;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::model::{
    GovService, HistoryPoint, MARKS, OfferingId, RankMethod, ServiceDetail, ServicesOverview,
    Standing, StandingRow, month_code,
};
use super::server_fns::{AnswerRating, RateService, load_service, load_services};
use crate::discussion::components::{
    CommentActions, CommentList, CommentModeration, CommentModerationStatus,
};
use crate::i18n::{
    Locale, Message as _, Msg, format_decimal, format_integer, format_month, use_i18n,
};
use crate::organisation::components::names_resource;
use crate::organisation::model::{DepartmentId, DepartmentLevel, Names};
use crate::ui::chart::{LineChart, LinePoint};
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error};
use crate::ui::form::SelectField;
use crate::ui::table::TableHead;
use civic::comments::Comment;

/// A provider's name from the catalogue of names.
fn provider_name(names: &Names, locale: Locale, department: DepartmentId) -> String {
    names
        .department(department)
        .map(|department| department.name(locale).to_string())
        .unwrap_or_default()
}

/// A rank, or "too few ratings".
fn rank_text(locale: Locale, rank: Option<u32>) -> String {
    match rank {
        Some(rank) => rank.to_string(),
        None => Msg::SvcTooFew.text(locale).to_string(),
    }
}

/// The published method in words, with the numbers of the snapshot's version.
fn method_text(locale: Locale, method: RankMethod) -> String {
    Msg::SvcMethodText
        .text(locale)
        .replace("{weight}", &method.prior_weight.to_string())
        .replace("{min}", &method.min_ratings.to_string())
        .replace("{version}", &method.version.to_string())
}

/// `/services`.
#[component]
pub fn ServicesPage() -> impl IntoView {
    let i18n = use_i18n();
    let url = use_query_map();
    let month = Memo::new(move |_| url.with(|map| map.get("month").unwrap_or_default()));
    let names = names_resource();
    let overview = Resource::new(move || month.get(), load_services);
    view! {
        <Title text=move || i18n.t(Msg::NavServices) />
        <h1 class="page-title">{move || i18n.t(Msg::NavServices)}</h1>
        <p class="lead">{move || i18n.t(Msg::SvcLead)}</p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match overview.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(overview) => view! { <Overview overview names /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Overview(overview: ServicesOverview, names: Names) -> impl IntoView {
    let i18n = use_i18n();
    let ServicesOverview {
        services,
        snapshot,
        rows,
        months,
        open_month,
    } = overview;
    let shown = snapshot.map(|snapshot| snapshot.month);
    let service_names = services.clone();
    let service_name = move |id| {
        service_names
            .iter()
            .find(|service: &&GovService| service.id == id)
            .map(|service| service.name(i18n.locale()).to_string())
            .unwrap_or_default()
    };
    let ranked = {
        let names = names.clone();
        move |row: StandingRow| {
            let names = names.clone();
            let service = service_name(row.service);
            let standing = row.standing;
            view! {
                <tr data-test="service-rank-row">
                    <td data-test="rank-overall">{move || rank_text(i18n.locale(), standing.rank_overall)}</td>
                    <td><A href=format!("/services/{}", row.service)>{service}</A></td>
                    <td>{move || provider_name(&names, i18n.locale(), row.department_id)}</td>
                    <StandingCells standing />
                    <td>{move || rank_text(i18n.locale(), standing.rank_in_service)}</td>
                </tr>
            }
        }
    };
    view! {
        {(!months.is_empty()).then(|| view! {
            <form class="form-inline services-month" method="get" action="/services" data-test="services-month">
                <label for="services-month">{move || i18n.t(Msg::SvcMonth)}</label>
                <select id="services-month" name="month">
                    {months.iter().map(|month| {
                        let selected = Some(*month) == shown;
                        let month = *month;
                        view! { <option value=month_code(month) selected=selected>{move || format_month(i18n.locale(), month)}</option> }
                    }).collect_view()}
                </select>
                <button type="submit" class="secondary">{move || i18n.t(Msg::SvcShow)}</button>
            </form>
        })}
        {match snapshot {
            None => view! { <p class="notice" data-test="services-no-snapshot">{move || i18n.t(Msg::SvcNoSnapshot)}</p> }.into_any(),
            Some(snapshot) => view! {
                <section class="stack" data-test="services-snapshot">
                    <h2>{move || format!("{} {}", i18n.t(Msg::SvcRanksOf), format_month(i18n.locale(), snapshot.month))}</h2>
                    <p class="muted">{move || format!("{}: {}", i18n.t(Msg::SvcRatings), format_integer(i18n.locale(), i64::from(snapshot.ratings)))}</p>
                    <div class="table-wrap" tabindex="0">
                        <table class="data-table" data-test="services-ranks">
                            <TableHead columns=&[Msg::SvcRank, Msg::SvcService, Msg::SvcProvider, Msg::SvcRatings, Msg::SvcQuality, Msg::SvcConvenience, Msg::SvcSpeed, Msg::SvcScore, Msg::SvcRankInService] />
                            <tbody>{rows.into_iter().map(ranked.clone()).collect_view()}</tbody>
                        </table>
                    </div>
                    <details class="method" data-test="services-method">
                        <summary>{move || i18n.t(Msg::SvcMethod)}</summary>
                        <p>{move || method_text(i18n.locale(), snapshot.method)}</p>
                    </details>
                </section>
            }.into_any(),
        }}
        <section class="stack">
            <h2>{move || i18n.t(Msg::SvcCatalogue)}</h2>
            <p class="muted">{move || i18n.t(Msg::SvcOpenMonth).replace("{month}", &format_month(i18n.locale(), open_month))}</p>
            <ul class="cards" data-test="services-catalogue">
                {services.into_iter().map(|service| {
                    let href = format!("/services/{}", service.id);
                    let providers = service.offerings.len() as i64;
                    let level = level_msg(service.level);
                    let closed = !service.is_active;
                    view! {
                        <li class="card" data-test="service-card">
                            <h3><A href=href>{move || service.name(i18n.locale()).to_string()}</A></h3>
                            <p class="muted">
                                {move || i18n.t(level)} " · "
                                {move || format!("{}: {}", i18n.t(Msg::SvcProviders), format_integer(i18n.locale(), providers))}
                                {closed.then(|| view! { " · " {move || i18n.t(Msg::SvcNotRated)} })}
                            </p>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The level's name.
fn level_msg(level: DepartmentLevel) -> Msg {
    match level {
        DepartmentLevel::Regional => Msg::RegionalLevel,
        DepartmentLevel::Municipal => Msg::MunicipalLevel,
    }
}

/// A standing's count, three means and score as table cells.
#[component]
fn StandingCells(standing: Standing) -> impl IntoView {
    let i18n = use_i18n();
    let decimal = move |value: f64| format_decimal(i18n.locale(), value, 2);
    view! {
        <td>{move || format_integer(i18n.locale(), i64::from(standing.ratings))}</td>
        <td>{move || decimal(standing.mean_quality)}</td>
        <td>{move || decimal(standing.mean_convenience)}</td>
        <td>{move || decimal(standing.mean_speed)}</td>
        <td data-test="score"><strong>{move || decimal(standing.score)}</strong></td>
    }
}

/// The actions of a service's page.
#[derive(Clone, Copy)]
struct ServiceActions {
    rate: ServerAction<RateService>,
    answer: ServerAction<AnswerRating>,
    moderation: CommentModeration,
}

/// `/services/:id`.
#[component]
pub fn ServicePage() -> impl IntoView {
    let params = use_params_map();
    let names = names_resource();
    let actions = ServiceActions {
        rate: ServerAction::new(),
        answer: ServerAction::new(),
        moderation: CommentModeration::new(),
    };
    // Read again after a completed write only: a refused rating keeps its form as typed.
    let written = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(actions.rate.value().get(), Some(Ok(())))
            || matches!(actions.answer.value().get(), Some(Ok(())))
        {
            written.update(|count| *count += 1);
        }
    });
    let detail = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                written.get(),
                actions.moderation.version(),
            )
        },
        |(id, _, _)| load_service(id),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match detail.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(detail) => view! { <ServiceView detail names actions /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ServiceView(detail: ServiceDetail, names: Names, actions: ServiceActions) -> impl IntoView {
    let i18n = use_i18n();
    let service = detail.service.clone();
    let title = service.clone();
    let heading = service.clone();
    let description = service.clone();
    let level = level_msg(service.level);
    let latest = |offering: OfferingId| -> Option<HistoryPoint> {
        detail
            .history
            .iter()
            .find(|(id, _)| *id == offering)
            .and_then(|(_, points)| points.last().copied())
    };
    let open_count = |offering: OfferingId| {
        detail
            .open_counts
            .iter()
            .find(|(id, _)| *id == offering)
            .map_or(0, |(_, count)| *count)
    };
    let provider_rows = service
        .offerings
        .iter()
        .map(|offering| {
            let names = names.clone();
            let department = offering.department_id;
            let point = latest(offering.id);
            let count = i64::from(open_count(offering.id));
            view! {
                <tr data-test="service-provider">
                    <td>{move || provider_name(&names, i18n.locale(), department)}</td>
                    <td data-test="open-count">{move || format_integer(i18n.locale(), count)}</td>
                    {match point {
                        Some(point) => view! {
                            <td>{move || format_month(i18n.locale(), point.month)}</td>
                            <td>{move || format_integer(i18n.locale(), i64::from(point.standing.ratings))}</td>
                            <td><strong>{move || format_decimal(i18n.locale(), point.standing.score, 2)}</strong></td>
                            <td>{move || rank_text(i18n.locale(), point.standing.rank_in_service)}</td>
                        }.into_any(),
                        None => view! { <td colspan="4" class="muted">{move || i18n.t(Msg::SvcNoSnapshotYet)}</td> }.into_any(),
                    }}
                </tr>
            }
        })
        .collect_view();
    let history = detail
        .history
        .iter()
        .map(|(offering, points)| {
            let department = service
                .offerings
                .iter()
                .find(|candidate| candidate.id == *offering)
                .map(|candidate| candidate.department_id);
            let names = names.clone();
            let points = points.clone();
            view! {
                <figure class="stack" data-test="service-history">
                    <figcaption>{move || department.map(|department| provider_name(&names, i18n.locale(), department)).unwrap_or_default()}</figcaption>
                    <ScoreChart points=points.clone() />
                    <details>
                    <summary>{move || i18n.t(Msg::SvcHistoryTable)}</summary>
                    <div class="table-wrap" tabindex="0">
                        <table class="data-table">
                            <TableHead columns=&[Msg::SvcMonth, Msg::SvcRatings, Msg::SvcQuality, Msg::SvcConvenience, Msg::SvcSpeed, Msg::SvcScore, Msg::SvcRankInService] />
                            <tbody>
                                {points.into_iter().rev().map(|point| view! {
                                    <tr>
                                        <td>{move || format_month(i18n.locale(), point.month)}</td>
                                        <StandingCells standing=point.standing />
                                        <td>{move || rank_text(i18n.locale(), point.standing.rank_in_service)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    </details>
                </figure>
            }
        })
        .collect_view();
    let rateable: Vec<(String, DepartmentId)> = service
        .offerings
        .iter()
        .filter(|offering| offering.is_active && service.is_active)
        .map(|offering| (offering.id.to_string(), offering.department_id))
        .collect();
    view! {
        <Title text=move || title.name(i18n.locale()).to_string() />
        <article class="stack" data-test="service">
            <p><A href="/services">{move || i18n.t(Msg::NavServices)}</A></p>
            <h1 class="page-title" data-test="service-title">{move || heading.name(i18n.locale()).to_string()}</h1>
            <p class="muted">{move || i18n.t(level)}</p>
            <p>{move || description.description(i18n.locale()).to_string()}</p>
            {if service.offerings.is_empty() {
                view! { <p class="notice">{move || i18n.t(Msg::SvcNoProviders)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0">
                        <table class="data-table" data-test="service-providers">
                            <TableHead columns=&[Msg::SvcProvider, Msg::SvcThisMonth, Msg::SvcLastRanked, Msg::SvcRatings, Msg::SvcScore, Msg::SvcRankInService] />
                            <tbody>{provider_rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <RatingForm detail=detail.clone() names=names.clone() rateable actions />
            {(!detail.history.is_empty()).then(|| view! {
                <section class="stack">
                    <h2>{move || i18n.t(Msg::SvcHistory)}</h2>
                    {history}
                </section>
            })}
            <Reviews detail names actions />
        </article>
    }
}

/// The rating form of the open month, with the reader's ratings so far.
#[component]
fn RatingForm(
    detail: ServiceDetail,
    names: Names,
    rateable: Vec<(String, DepartmentId)>,
    actions: ServiceActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(actions.rate.value());
    let saved = Signal::derive(move || matches!(actions.rate.value().get(), Some(Ok(()))));
    if rateable.is_empty() {
        return ().into_any();
    }
    if !detail.signed_in {
        return view! {
            <p class="notice" data-test="service-sign-in">
                <A href="/login">{move || i18n.t(Msg::SignIn)}</A> " " {move || i18n.t(Msg::SvcSignInToRate)}
            </p>
        }
        .into_any();
    }
    let open_month = detail.open_month;
    let provider_options = {
        let names = names.clone();
        let rateable = rateable.clone();
        Signal::derive(move || {
            rateable
                .iter()
                .map(|(value, department)| {
                    (
                        value.clone(),
                        provider_name(&names, i18n.locale(), *department),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let marks: Vec<(String, String)> = MARKS
        .map(|mark| (mark.to_string(), mark.to_string()))
        .collect();
    let own = detail.own.clone();
    let offerings = detail.service.offerings.clone();
    view! {
        <section class="stack" data-test="service-rating">
            <h2>{move || i18n.t(Msg::SvcRateTitle)}</h2>
            {(!own.is_empty()).then(|| view! {
                <ul class="stack" data-test="own-ratings">
                    {own.into_iter().map(|rating| {
                        let names = names.clone();
                        let department = offerings.iter().find(|offering| offering.id == rating.offering).map(|offering| offering.department_id);
                        view! {
                            <li data-test="own-rating">
                                {move || department.map(|department| provider_name(&names, i18n.locale(), department)).unwrap_or_default()} ": "
                                {move || marks_text(i18n.locale(), rating.marks)}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <ActionForm action=actions.rate attr:class="form stack" attr:data-test="rating-form">
                <p class="field-hint">{move || i18n.t(Msg::SvcRateHint).replace("{month}", &format_month(i18n.locale(), open_month))}</p>
                <input type="hidden" name="input[month]" value=month_code(open_month) />
                <ActionError error />
                <FieldMessage error field="month" />
                <SelectField name="input[offering]" label=Msg::SvcProvider error options=provider_options required=true />
                <SelectField name="input[quality]" label=Msg::SvcQuality error options=marks.clone() empty=Msg::SvcChooseMark required=true />
                <SelectField name="input[convenience]" label=Msg::SvcConvenience error options=marks.clone() empty=Msg::SvcChooseMark required=true />
                <SelectField name="input[speed]" label=Msg::SvcSpeed error options=marks empty=Msg::SvcChooseMark required=true />
                <div class="field">
                    <label for="field-input-comment">{move || i18n.t(Msg::SvcComment)}</label>
                    <p class="field-hint" id="field-input-comment-hint">{move || i18n.t(Msg::SvcCommentHint)}</p>
                    <textarea id="field-input-comment" name="input[comment]" rows="3" aria-describedby="field-input-comment-hint"></textarea>
                    <FieldMessage error field="comment" />
                </div>
                <Show when=move || saved.get()>
                    <p class="notice" role="status" data-test="rating-saved">{move || i18n.t(Msg::SvcRated)}</p>
                </Show>
                <button type="submit" class="primary" data-test="submit" disabled=move || actions.rate.pending().get()>{move || i18n.t(Msg::SvcSaveRating)}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// "quality 4, convenience 5, speed 3".
fn marks_text(locale: Locale, marks: super::model::Marks) -> String {
    format!(
        "{} {}, {} {}, {} {}",
        Msg::SvcQuality.text(locale).to_lowercase(),
        marks.quality,
        Msg::SvcConvenience.text(locale).to_lowercase(),
        marks.convenience,
        Msg::SvcSpeed.text(locale).to_lowercase(),
        marks.speed
    )
}

/// The reviews: the ratings' comments with their marks, and the providers' answers,
/// which an official of the rated provider writes under the review.
#[component]
fn Reviews(detail: ServiceDetail, names: Names, actions: ServiceActions) -> impl IntoView {
    let i18n = use_i18n();
    let answer_error = last_error(actions.answer.value());
    let rated = detail.rated.clone();
    let answerable = detail.answerable.clone();
    let comment_actions: CommentActions = Callback::new(move |comment: Comment| {
        let Some(rating) = rated
            .iter()
            .find(|rated| rated.comment == comment.id)
            .copied()
        else {
            return ().into_any();
        };
        let names = names.clone();
        let may_answer = answerable.contains(&rating.department_id);
        view! {
            <p class="muted" data-test="review-marks">
                {move || provider_name(&names, i18n.locale(), rating.department_id)} " · "
                {move || format_month(i18n.locale(), rating.month)} " · "
                {move || marks_text(i18n.locale(), rating.marks)}
            </p>
            {may_answer.then(|| view! {
                <details class="comment-action">
                    <summary>{move || i18n.t(Msg::SvcAnswer)}</summary>
                    <ActionForm action=actions.answer attr:class="stack" attr:data-test="answer-form">
                        <input type="hidden" name="review" value=comment.id.to_string() />
                        <textarea name="comment" rows="3" required=true aria-label=move || i18n.t(Msg::SvcAnswer)></textarea>
                        <button type="submit" class="secondary">{move || i18n.t(Msg::SvcPublishAnswer)}</button>
                    </ActionForm>
                </details>
            })}
        }
        .into_any()
    });
    view! {
        <section class="stack" data-test="service-reviews">
            <h2>{move || i18n.t(Msg::SvcReviews)}</h2>
            <ActionError error=answer_error />
            <FieldMessage error=answer_error field="comment" />
            <CommentModerationStatus moderation=actions.moderation />
            {if detail.comments.is_empty() {
                view! { <p class="muted">{move || i18n.t(Msg::SvcNoReviews)}</p> }.into_any()
            } else {
                view! { <CommentList comments=detail.comments signed_in=detail.signed_in moderator=detail.moderator moderation=actions.moderation actions=comment_actions /> }.into_any()
            }}
        </section>
    }
}

/// A provider's score over the months, on the whole 1–5 scale.
#[component]
fn ScoreChart(points: Vec<HistoryPoint>) -> impl IntoView {
    let i18n = use_i18n();
    let points = points
        .into_iter()
        .map(|point| {
            let (month, score) = (point.month, point.standing.score);
            LinePoint {
                tooltip: Signal::derive(move || {
                    format!(
                        "{}: {}",
                        format_month(i18n.locale(), month),
                        format_decimal(i18n.locale(), score, 2)
                    )
                }),
                value: Some(score),
            }
        })
        .collect();
    view! {
        <LineChart points low=1.0 high=5.0 marks=vec![1.0, 3.0, 5.0]
            title=Signal::derive(move || i18n.t(Msg::SvcScoreChart).to_string()) test_id="score-chart" />
    }
}
