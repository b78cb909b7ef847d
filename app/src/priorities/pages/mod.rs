//! `/ranks` (a scope's standings in a quarter, the reader's votes, proposals),
//! `/ranks/priority/:id` (a priority: its rank over the quarters, where its votes come
//! from, the discussion) and `/manage/priorities` (the keepers' catalogue).

mod manage;

pub use manage::ManagePrioritiesPage;

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::model::{
    Ballot, HistoryPoint, Priority, PriorityDetail, PriorityId, PriorityStanding, PriorityStatus,
    RankMethod, RanksView, Scope, quarter_code,
};
use super::server_fns::{
    ChangeHome, CommentPriority, ProposePriority, VotePriority, WithdrawVote, load_priority,
    load_ranks,
};
use crate::discussion::components::{CommentField, CommentModeration, Discussion};
use crate::geography::model::MunicipalityId;
use crate::i18n::{
    Locale, Message as _, Msg, format_decimal, format_integer, format_quarter, use_i18n,
};
use crate::organisation::components::names_resource;
use crate::organisation::model::Names;
use crate::ui::chart::{LineChart, LinePoint};
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error};
use crate::ui::form::{Field, SelectField};
use crate::ui::map::{MapMarker, MapView};
use crate::ui::point_picker::PointPicker;
use crate::ui::table::TableHead;

/// Where a priority is for: the region, or its municipality's name.
fn where_text(names: &Names, locale: Locale, municipality: Option<MunicipalityId>) -> String {
    match municipality {
        Some(municipality) => names.municipality(municipality, locale),
        None => Msg::PriRegional.text(locale).to_string(),
    }
}

/// A scope's name.
fn scope_text(names: &Names, locale: Locale, scope: Scope) -> String {
    match scope {
        Scope::Region => Msg::PriWholeRegion.text(locale).to_string(),
        Scope::Municipality(municipality) => names.municipality(municipality, locale),
    }
}

/// A share of voters as a percentage.
pub fn percent(locale: Locale, share: f64) -> String {
    format!("{} %", format_decimal(locale, share * 100.0, 1))
}

/// A rank, or "not enough votes".
pub fn rank_text(locale: Locale, rank: Option<u32>) -> String {
    match rank {
        Some(rank) => rank.to_string(),
        None => Msg::PriTooFew.text(locale).to_string(),
    }
}

/// The movement since the previous quarter: up, down, same, or new.
fn movement_text(locale: Locale, standing: &PriorityStanding) -> String {
    match standing.movement() {
        Some(up) if up > 0 => format!("▲ {up}"),
        Some(down) if down < 0 => format!("▼ {}", -down),
        Some(_) => "=".to_string(),
        None if standing.rank.is_some() => Msg::PriNew.text(locale).to_string(),
        None => String::new(),
    }
}

/// The status's name.
fn status_msg(status: PriorityStatus) -> Msg {
    match status {
        PriorityStatus::Proposed => Msg::PriStatusProposed,
        PriorityStatus::Open => Msg::PriStatusOpen,
        PriorityStatus::Rejected => Msg::PriStatusRejected,
        PriorityStatus::Closed => Msg::PriStatusClosed,
    }
}

/// The published method in words, with the numbers of the snapshot's version.
fn method_text(locale: Locale, method: RankMethod) -> String {
    Msg::PriMethodText
        .text(locale)
        .replace("{votes}", &method.votes_per_voter.to_string())
        .replace("{min}", &method.min_voters.to_string())
        .replace("{version}", &method.version.to_string())
}

/// The actions of the ranks' pages.
#[derive(Clone, Copy)]
struct RankActions {
    vote: ServerAction<VotePriority>,
    withdraw: ServerAction<WithdrawVote>,
}

impl RankActions {
    fn new() -> Self {
        Self {
            vote: ServerAction::new(),
            withdraw: ServerAction::new(),
        }
    }

    /// Whether the last vote or withdrawal succeeded (then the page reads again).
    fn done(self) -> bool {
        matches!(self.vote.value().get(), Some(Ok(())))
            || matches!(self.withdraw.value().get(), Some(Ok(())))
    }

    /// The last refusal of either.
    fn error(self) -> Signal<Option<platform::error::AppError>> {
        let vote = last_error(self.vote.value());
        let withdraw = last_error(self.withdraw.value());
        Signal::derive(move || vote.get().or_else(|| withdraw.get()))
    }
}

/// `/ranks`.
#[component]
pub fn RanksPage() -> impl IntoView {
    let i18n = use_i18n();
    let url = use_query_map();
    let query = Memo::new(move |_| {
        url.with(|map| {
            (
                map.get("quarter").unwrap_or_default(),
                map.get("municipality").unwrap_or_default(),
            )
        })
    });
    let names = names_resource();
    let actions = RankActions::new();
    let home = ServerAction::<ChangeHome>::new();
    let propose = ServerAction::<ProposePriority>::new();
    // Read again after a completed write only: a refused form keeps what was typed.
    let written = RwSignal::new(0u32);
    Effect::new(move |_| {
        if actions.done() || matches!(home.value().get(), Some(Ok(()))) {
            written.update(|count| *count += 1);
        }
    });
    let ranks = Resource::new(
        move || (query.get(), written.get()),
        |((quarter, municipality), _)| load_ranks(quarter, municipality),
    );
    view! {
        <Title text=move || i18n.t(Msg::NavRanks) />
        <h1 class="page-title">{move || i18n.t(Msg::NavRanks)}</h1>
        <p class="lead">{move || i18n.t(Msg::PriLead)}</p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match ranks.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(view) => view! { <Ranks view names actions home propose /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Ranks(
    view: RanksView,
    names: Names,
    actions: RankActions,
    home: ServerAction<ChangeHome>,
    propose: ServerAction<ProposePriority>,
) -> impl IntoView {
    let i18n = use_i18n();
    let RanksView {
        open_quarter,
        quarter,
        scope,
        snapshot,
        method,
        figures,
        standings,
        quarters,
        priorities,
        ballot,
    } = view;
    let provisional = snapshot.is_none();
    let voting = provisional && ballot.is_some();
    let region = scope == Scope::Region;
    let scope_options = {
        let names = names.clone();
        move || {
            let mut options = vec![(
                String::new(),
                Msg::PriWholeRegion.text(i18n.locale()).to_string(),
            )];
            options.extend(
                names
                    .municipalities
                    .iter()
                    .map(|m| (m.id.to_string(), m.name(i18n.locale()).to_string())),
            );
            options
        }
    };
    let selected_scope = match scope {
        Scope::Region => String::new(),
        Scope::Municipality(id) => id.to_string(),
    };
    let title_of = {
        let priorities = priorities.clone();
        move |id: PriorityId| priorities.iter().find(|p| p.id == id).cloned()
    };
    let rows = standings
        .iter()
        .map(|standing| {
            let standing = *standing;
            let priority = title_of(standing.priority);
            let names = names.clone();
            let ballot = ballot.clone();
            let municipality = priority.as_ref().and_then(|p| p.municipality);
            let title = priority.map(|p| p.title).unwrap_or_default();
            view! {
                <tr data-test="priority-rank-row">
                    <td data-test="rank">{move || rank_text(i18n.locale(), standing.rank)}</td>
                    <td class="movement" data-test="movement">{move || movement_text(i18n.locale(), &standing)}</td>
                    <td><A href=format!("/ranks/priority/{}", standing.priority)>{title}</A></td>
                    <td>{move || where_text(&names, i18n.locale(), municipality)}</td>
                    <td data-test="votes">{move || format_integer(i18n.locale(), i64::from(standing.votes))}</td>
                    <td>{move || percent(i18n.locale(), standing.share)}</td>
                    {region.then(|| view! {
                        <td>{move || standing.weighted_share.map(|share| percent(i18n.locale(), share)).unwrap_or_default()}</td>
                        <td data-test="weighted-rank">{move || rank_text(i18n.locale(), standing.weighted_rank)}</td>
                    })}
                    {voting.then(|| view! { <td><VoteButton priority=standing.priority ballot=ballot.clone() actions /></td> })}
                </tr>
            }
        })
        .collect_view();
    let unvoted: Vec<Priority> = priorities
        .iter()
        .filter(|p| p.status == PriorityStatus::Open)
        .filter(|p| !standings.iter().any(|s| s.priority == p.id))
        .cloned()
        .collect();
    let columns: &'static [Msg] = match (region, voting) {
        (true, true) => &[
            Msg::PriRank,
            Msg::PriMovement,
            Msg::PriPriority,
            Msg::PriWhere,
            Msg::PriVotes,
            Msg::PriShare,
            Msg::PriWeightedShare,
            Msg::PriWeightedRank,
            Msg::PriYourVote,
        ],
        (true, false) => &[
            Msg::PriRank,
            Msg::PriMovement,
            Msg::PriPriority,
            Msg::PriWhere,
            Msg::PriVotes,
            Msg::PriShare,
            Msg::PriWeightedShare,
            Msg::PriWeightedRank,
        ],
        (false, true) => &[
            Msg::PriRank,
            Msg::PriMovement,
            Msg::PriPriority,
            Msg::PriWhere,
            Msg::PriVotes,
            Msg::PriShare,
            Msg::PriYourVote,
        ],
        (false, false) => &[
            Msg::PriRank,
            Msg::PriMovement,
            Msg::PriPriority,
            Msg::PriWhere,
            Msg::PriVotes,
            Msg::PriShare,
        ],
    };
    let error = actions.error();
    let heading_names = names.clone();
    view! {
        <form class="form-inline ranks-filter" method="get" action="/ranks" data-test="ranks-filter">
            <label for="ranks-municipality">{move || i18n.t(Msg::PriScope)}</label>
            <select id="ranks-municipality" name="municipality">
                {move || scope_options().into_iter().map(|(value, text)| {
                    let selected = value == selected_scope;
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
            <QuarterSelect id="ranks-quarter" open_quarter quarters=quarters.clone() selected=(!provisional).then_some(quarter) />
            <button type="submit" class="secondary">{move || i18n.t(Msg::SvcShow)}</button>
        </form>
        {ballot.clone().map(|ballot| view! { <BallotPanel ballot names=names.clone() home /> })}
        {(!voting && ballot.is_none()).then(|| view! {
            <p class="notice" data-test="ranks-sign-in">
                <A href="/login">{move || i18n.t(Msg::SignIn)}</A> " " {move || i18n.t(Msg::PriSignInToVote)}
            </p>
        })}
        <section class="stack" data-test="ranks-standings">
            <h2>{move || format!("{} · {}", scope_text(&heading_names, i18n.locale(), scope), format_quarter(i18n.locale(), quarter))}</h2>
            {provisional.then(|| view! { <p class="notice" data-test="ranks-provisional">{move || i18n.t(Msg::PriProvisionalNotice)}</p> })}
            <p class="muted" data-test="ranks-figures">
                {move || format!(
                    "{}: {} · {}: {}",
                    i18n.t(Msg::PriVoters),
                    format_integer(i18n.locale(), figures.map_or(0, |f| i64::from(f.voters))),
                    i18n.t(Msg::PriVotes),
                    format_integer(i18n.locale(), figures.map_or(0, |f| i64::from(f.votes))),
                )}
            </p>
            {(!figures.is_some_and(|f| f.ranked)).then(|| view! {
                <p class="notice" data-test="ranks-too-few">{move || i18n.t(Msg::PriNotEnoughVoters).replace("{min}", &method.min_voters.to_string())}</p>
            })}
            <ActionError error />
            <FieldMessage error field="priority" />
            {if standings.is_empty() {
                view! { <p class="muted">{move || i18n.t(Msg::PriNoVotes)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0">
                        <table class="data-table" data-test="ranks-table">
                            <TableHead columns />
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {(voting && !unvoted.is_empty()).then(|| view! {
                <h3>{move || i18n.t(Msg::PriOtherOpen)}</h3>
                <ul class="stack" data-test="ranks-unvoted">
                    {unvoted.into_iter().map(|priority| {
                        let names = names.clone();
                        let ballot = ballot.clone();
                        let municipality = priority.municipality;
                        view! {
                            <li class="row" data-test="unvoted-priority">
                                <A href=format!("/ranks/priority/{}", priority.id)>{priority.title.clone()}</A>
                                <span class="muted">{move || where_text(&names, i18n.locale(), municipality)}</span>
                                <VoteButton priority=priority.id ballot actions />
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <details class="method" data-test="ranks-method">
                <summary>{move || i18n.t(Msg::PriMethod)}</summary>
                <p>{move || method_text(i18n.locale(), method)}</p>
            </details>
        </section>
        {ballot.is_some().then(|| view! { <ProposeForm names=names.clone() propose /> })}
    }
}

/// The reader's votes left, where they count, and the change of home.
#[component]
fn BallotPanel(ballot: Ballot, names: Names, home: ServerAction<ChangeHome>) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(home.value());
    let home_name = {
        let names = names.clone();
        move || names.municipality(ballot.home, i18n.locale())
    };
    let options = {
        let names = names.clone();
        Signal::derive(move || {
            names
                .municipalities
                .iter()
                .map(|m| (m.id.to_string(), m.name(i18n.locale()).to_string()))
                .collect::<Vec<_>>()
        })
    };
    let left = ballot.left();
    let budget = ballot.budget;
    view! {
        <section class="card stack" data-test="ballot">
            <p data-test="ballot-left">
                {move || i18n.t(Msg::PriVotesLeft)
                    .replace("{left}", &left.to_string())
                    .replace("{budget}", &budget.to_string())}
            </p>
            {(left == 0).then(|| view! { <p class="muted" data-test="ballot-empty">{move || i18n.t(Msg::PriNoVotesLeft)}</p> })}
            <p data-test="ballot-home">{move || i18n.t(Msg::PriCountsFor).replace("{home}", &home_name())}</p>
            {if ballot.moved_this_quarter {
                view! { <p class="muted" data-test="home-moved">{move || i18n.t(Msg::PriMovedThisQuarter)}</p> }.into_any()
            } else {
                view! {
                    <details data-test="home-change">
                        <summary>{move || i18n.t(Msg::PriChangeHome)}</summary>
                        <ActionForm action=home attr:class="form stack" attr:data-test="home-form">
                            <p class="field-hint">{move || i18n.t(Msg::PriChangeHomeHint)}</p>
                            <ActionError error />
                            <SelectField name="municipality" label=Msg::HomeMunicipality error options required=true />
                            <Field name="reason" label=Msg::PriReason error required=true />
                            <button type="submit" class="secondary" data-test="home-submit">{move || i18n.t(Msg::PriChangeHome)}</button>
                        </ActionForm>
                    </details>
                }.into_any()
            }}
        </section>
    }
}

/// Vote for `priority`, or withdraw the vote given.
#[component]
fn VoteButton(priority: PriorityId, ballot: Option<Ballot>, actions: RankActions) -> impl IntoView {
    let i18n = use_i18n();
    let Some(ballot) = ballot else {
        return ().into_any();
    };
    if ballot.voted.contains(&priority) {
        view! {
            <ActionForm action=actions.withdraw attr:class="inline" attr:data-test="withdraw-form">
                <input type="hidden" name="priority" value=priority.to_string() />
                <button type="submit" class="secondary" data-test="withdraw">{move || i18n.t(Msg::PriWithdraw)}</button>
            </ActionForm>
        }
        .into_any()
    } else {
        // Enabled with no votes left too: the server's refusal says what to do.
        view! {
            <ActionForm action=actions.vote attr:class="inline" attr:data-test="vote-form">
                <input type="hidden" name="priority" value=priority.to_string() />
                <button type="submit" class="primary" data-test="vote">{move || i18n.t(Msg::PriVote)}</button>
            </ActionForm>
        }
        .into_any()
    }
}

/// The inputs of a priority: where, theme, title, description and an optional place.
/// Used by a citizen's proposal and by the keepers' form.
#[component]
pub(super) fn PriorityFields(
    names: Names,
    #[prop(into)] error: Signal<Option<platform::error::AppError>>,
    /// The municipalities offered; `None`: all, and the region.
    municipalities: Option<Vec<MunicipalityId>>,
    /// The values to start from (an edited priority).
    #[prop(optional)]
    initial: Option<Priority>,
) -> impl IntoView {
    let i18n = use_i18n();
    let regional = municipalities.is_none();
    let places = {
        let names = names.clone();
        Signal::derive(move || {
            let mut options = Vec::new();
            if regional {
                options.push((
                    String::new(),
                    Msg::PriWholeRegion.text(i18n.locale()).to_string(),
                ));
            }
            options.extend(
                names
                    .municipalities
                    .iter()
                    .filter(|m| {
                        municipalities
                            .as_ref()
                            .is_none_or(|kept| kept.contains(&m.id))
                    })
                    .map(|m| (m.id.to_string(), m.name(i18n.locale()).to_string())),
            );
            options
        })
    };
    let themes = {
        let names = names.clone();
        Signal::derive(move || {
            names
                .themes
                .iter()
                .filter(|theme| theme.is_active)
                .map(|theme| (theme.id.to_string(), theme.name(i18n.locale()).to_string()))
                .collect::<Vec<_>>()
        })
    };
    let initial_municipality = initial
        .as_ref()
        .and_then(|p| p.municipality)
        .map(|m| m.to_string())
        .unwrap_or_default();
    let initial_theme = initial
        .as_ref()
        .map(|p| p.theme.to_string())
        .unwrap_or_default();
    let title = initial
        .as_ref()
        .map(|p| p.title.clone())
        .unwrap_or_default();
    let description = initial
        .as_ref()
        .map(|p| p.description.clone())
        .unwrap_or_default();
    let place = RwSignal::new(initial.as_ref().and_then(|p| p.place));
    let form_key = format!("priority-{}", initial.as_ref().map_or(0, |p| p.id.0));
    let description_id = format!("{form_key}-description");
    view! {
        <SelectField name="input[municipality]" label=Msg::PriWhere error options=places selected=initial_municipality required=!regional />
        <SelectField name="input[theme]" label=Msg::Theme error options=themes selected=initial_theme empty=Msg::PriChooseTheme required=true />
        <Field name="input[title]" label=Msg::PriTitle error required=true value=title />
        <div class="field">
            <label for=description_id.clone()>{move || i18n.t(Msg::PriDescription)}</label>
            <textarea id=description_id name="input[description]" rows="4" required=true>{description}</textarea>
            <FieldMessage error field="description" />
        </div>
        <p class="field-hint">{move || i18n.t(Msg::PriPlaceHint)}</p>
        <PointPicker point=place lat_name="input[lat]" lon_name="input[lon]" error optional=true id_prefix=form_key />
    }
}

/// A citizen's proposal of a new priority.
#[component]
fn ProposeForm(names: Names, propose: ServerAction<ProposePriority>) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(propose.value());
    let sent = Signal::derive(move || matches!(propose.value().get(), Some(Ok(()))));
    view! {
        <section class="stack" data-test="propose">
            <details>
                <summary>{move || i18n.t(Msg::PriPropose)}</summary>
                <ActionForm action=propose attr:class="form stack" attr:data-test="propose-form">
                    <p class="field-hint">{move || i18n.t(Msg::PriProposeHint)}</p>
                    <ActionError error />
                    <PriorityFields names error municipalities=None />
                    <Show when=move || sent.get()>
                        <p class="notice" role="status" data-test="proposal-sent">{move || i18n.t(Msg::PriProposalSent)}</p>
                    </Show>
                    <button type="submit" class="primary" data-test="propose-submit" disabled=move || propose.pending().get()>{move || i18n.t(Msg::PriSendProposal)}</button>
                </ActionForm>
            </details>
        </section>
    }
}

/// `/ranks/priority/:id`.
#[component]
pub fn PriorityPage() -> impl IntoView {
    let params = use_params_map();
    let url = use_query_map();
    let names = names_resource();
    let actions = RankActions::new();
    let comment = ServerAction::<CommentPriority>::new();
    let moderation = CommentModeration::new();
    let written = RwSignal::new(0u32);
    Effect::new(move |_| {
        if actions.done() || matches!(comment.value().get(), Some(Ok(()))) {
            written.update(|count| *count += 1);
        }
    });
    let detail = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                url.with(|q| q.get("quarter").unwrap_or_default()),
                written.get(),
                moderation.version(),
            )
        },
        |(id, quarter, _, _)| load_priority(id, quarter),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match detail.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(detail) => view! { <PriorityView detail names actions comment moderation /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PriorityView(
    detail: PriorityDetail,
    names: Names,
    actions: RankActions,
    comment: ServerAction<CommentPriority>,
    moderation: CommentModeration,
) -> impl IntoView {
    let i18n = use_i18n();
    let PriorityDetail {
        priority,
        open_quarter,
        quarter,
        by_municipality,
        quarters,
        history,
        ballot,
        comments,
        moderator,
    } = detail;
    let id = priority.id;
    let title = priority.title.clone();
    let heading = priority.title.clone();
    let municipality = priority.municipality;
    let theme = priority.theme;
    let status = priority.status;
    let where_names = names.clone();
    let theme_names = names.clone();
    let place_marker: Vec<MapMarker> = priority
        .place
        .map(|place| vec![MapMarker::new(place, priority.title.clone())])
        .unwrap_or_default();
    let vote_markers: Vec<MapMarker> = by_municipality
        .iter()
        .filter_map(|(municipality, votes)| {
            let found = names
                .municipalities
                .iter()
                .find(|m| m.id == *municipality)?;
            Some(MapMarker {
                at: found.centre,
                title: format!("{}: {votes}", found.name(i18n.locale())),
                href: None,
                count: u64::from(*votes),
            })
        })
        .collect();
    let vote_rows = by_municipality
        .iter()
        .map(|(municipality, votes)| {
            let names = names.clone();
            let municipality = *municipality;
            let votes = i64::from(*votes);
            view! {
                <tr data-test="votes-by-municipality">
                    <td>{move || names.municipality(municipality, i18n.locale())}</td>
                    <td>{move || format_integer(i18n.locale(), votes)}</td>
                </tr>
            }
        })
        .collect_view();
    let comment_error = last_error(comment.value());
    let signed_in = ballot.is_some();
    let voting = status == PriorityStatus::Open;
    let has_votes = !by_municipality.is_empty();
    let has_place = !place_marker.is_empty();
    view! {
        <Title text=title />
        <article class="stack" data-test="priority">
            <p><A href="/ranks">{move || i18n.t(Msg::NavRanks)}</A></p>
            <h1 class="page-title" data-test="priority-title">{heading}</h1>
            <p class="muted">
                <span data-test="priority-status">{move || i18n.t(status_msg(status))}</span> " · "
                {move || where_text(&where_names, i18n.locale(), municipality)} " · "
                {move || theme_names.theme(theme, i18n.locale())}
            </p>
            <p class="prewrap">{priority.description.clone()}</p>
            {(!priority.decision_reason.is_empty()).then(|| {
                let reason = priority.decision_reason.clone();
                view! { <p class="notice" data-test="decision-reason">{move || i18n.t(Msg::PriDecisionReason)} ": " {reason.clone()}</p> }
            })}
            {voting.then(|| view! {
                <div class="row">
                    <ActionError error=actions.error() />
                    <FieldMessage error=actions.error() field="priority" />
                    <VoteButton priority=id ballot=ballot.clone() actions />
                    {ballot.as_ref().map(|ballot| {
                        let left = ballot.left();
                        let budget = ballot.budget;
                        view! { <span class="muted" data-test="ballot-left">{move || i18n.t(Msg::PriVotesLeft).replace("{left}", &left.to_string()).replace("{budget}", &budget.to_string())}</span> }
                    })}
                </div>
            })}
            {has_place.then(|| view! {
                <MapView markers=Signal::derive(move || place_marker.clone()) label=Signal::derive(move || i18n.t(Msg::PriPlace).to_string()) />
            })}
            {(!history.is_empty()).then(|| view! {
                <section class="stack">
                    <h2>{move || i18n.t(Msg::PriHistory)}</h2>
                    <RankChart points=history.clone() />
                    <div class="table-wrap" tabindex="0">
                        <table class="data-table" data-test="priority-history">
                            <TableHead columns=&[Msg::PriQuarter, Msg::PriVotes, Msg::PriShare, Msg::PriRank, Msg::PriWeightedRank] />
                            <tbody>
                                {history.iter().rev().map(|point| {
                                    let point = *point;
                                    view! {
                                        <tr>
                                            <td>{move || format_quarter(i18n.locale(), point.quarter)}</td>
                                            <td>{move || format_integer(i18n.locale(), i64::from(point.standing.votes))}</td>
                                            <td>{move || percent(i18n.locale(), point.standing.share)}</td>
                                            <td>{move || rank_text(i18n.locale(), point.standing.rank)}</td>
                                            <td>{move || rank_text(i18n.locale(), point.standing.weighted_rank)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
            })}
            <section class="stack" data-test="priority-geography">
                <h2>{move || i18n.t(Msg::PriWhereVotes)}</h2>
                <form class="form-inline" method="get" action=format!("/ranks/priority/{id}")>
                    <QuarterSelect id="priority-quarter" open_quarter quarters=quarters.clone() selected=(quarter != open_quarter).then_some(quarter) />
                    <button type="submit" class="secondary">{move || i18n.t(Msg::SvcShow)}</button>
                </form>
                {if has_votes {
                    view! {
                        <MapView markers=Signal::derive(move || vote_markers.clone()) label=Signal::derive(move || i18n.t(Msg::PriWhereVotes).to_string()) />
                        <div class="table-wrap" tabindex="0">
                            <table class="data-table">
                                <TableHead columns=&[Msg::Municipality, Msg::PriVotes] />
                                <tbody>{vote_rows}</tbody>
                            </table>
                        </div>
                    }.into_any()
                } else {
                    view! { <p class="muted">{move || i18n.t(Msg::PriNoVotes)}</p> }.into_any()
                }}
            </section>
            <Discussion heading=Msg::PriDiscussion empty=Msg::PriNoComments comments signed_in moderator moderation test_id="priority-discussion">
                <ActionForm action=comment attr:class="form stack" attr:data-test="priority-comment-form">
                    <input type="hidden" name="priority" value=id.to_string() />
                    <ActionError error=comment_error />
                    <CommentField error=comment_error />
                    <button type="submit" class="primary">{move || i18n.t(Msg::PriSendComment)}</button>
                </ActionForm>
            </Discussion>
        </article>
    }
}

/// The quarter field of a GET form (`quarter`): the open quarter, provisional, as the empty
/// value, then every quarter with a snapshot; `selected` is a closed quarter or none for
/// the open one.
#[component]
fn QuarterSelect(
    id: &'static str,
    open_quarter: NaiveDate,
    quarters: Vec<NaiveDate>,
    selected: Option<NaiveDate>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label for=id>{move || i18n.t(Msg::PriQuarter)}</label>
        <select id=id name="quarter">
            <option value="" selected=selected.is_none()>{move || format!("{} ({})", format_quarter(i18n.locale(), open_quarter), i18n.t(Msg::PriProvisional))}</option>
            {quarters.into_iter().map(|quarter| {
                view! { <option value=quarter_code(quarter) selected=selected == Some(quarter)>{move || format_quarter(i18n.locale(), quarter)}</option> }
            }).collect_view()}
        </select>
    }
}

/// A priority's regional rank over the quarters: rank 1 at the top; quarters without a
/// rank (too few voters) are skipped.
#[component]
fn RankChart(points: Vec<HistoryPoint>) -> impl IntoView {
    let i18n = use_i18n();
    let worst = points
        .iter()
        .filter_map(|point| point.standing.rank)
        .max()
        .unwrap_or(1)
        .max(2);
    let points = points
        .into_iter()
        .map(|point| {
            let (quarter, rank) = (point.quarter, point.standing.rank);
            LinePoint {
                tooltip: Signal::derive(move || {
                    let rank = rank.map(|rank| rank.to_string()).unwrap_or_default();
                    format!("{}: {rank}", format_quarter(i18n.locale(), quarter))
                }),
                value: rank.map(f64::from),
            }
        })
        .collect();
    view! {
        <LineChart points low=1.0 high=f64::from(worst) marks=vec![1.0, f64::from(worst)] best_at_top=true
            title=Signal::derive(move || i18n.t(Msg::PriRankChart).to_string()) test_id="rank-chart" />
    }
}
