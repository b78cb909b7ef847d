//! The dataset page's table: a version's rows, sorted by a clicked column header,
//! filtered per column, page by page by cursor.
//!
//! The table's state lives in the page URL (`?sort=-name&prefix.name=…&filter.floors=3&
//! cursor=…`), read by the server exactly as the rows API reads it. Every state is
//! therefore a plain link or a GET form: it works before and without the WebAssembly,
//! can be bookmarked, and the back button walks it.

use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

use super::super::model::row_params::{CARRIED, CURSOR, EQUALS, SORT, STARTS_WITH, VERSION};
use super::super::model::{ColumnInfo, RowsPage};
use super::super::server_fns::opendata_rows;
use crate::i18n::{Message as _, Msg, error_code_text, error_text, format_date, use_i18n};
use platform::error::AppError;

/// The table's parameters of a page URL, in their order (others, such as a language
/// switch, are the page's business). Empty values, which the filter form sends for every
/// empty input, mean "no filter" and are dropped, so links stay short.
fn table_params(map: &ParamsMap) -> Vec<(String, String)> {
    map.into_iter()
        .filter(|(key, value)| is_table_param(key) && !value.is_empty())
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect()
}

/// Whether `key` is one of the table's parameters.
fn is_table_param(key: &str) -> bool {
    key == CURSOR
        || CARRIED.iter().any(|name| match name.strip_suffix('.') {
            Some(_) => key.starts_with(name) && key.len() > name.len(),
            None => key == *name,
        })
}

/// `params` as a query string.
fn encode(params: &[(String, String)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (key, value) in params {
        query.append_pair(key, value);
    }
    query.finish()
}

/// The page `base` with `params`.
fn link(base: &str, params: &[(String, String)]) -> String {
    if params.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", encode(params))
    }
}

/// `params` without the cursor and the parameter `drop` (when given), and with `add`
/// appended: the link of another state of the table.
fn changed(
    params: &[(String, String)],
    drop: Option<&str>,
    add: &[(&str, String)],
) -> Vec<(String, String)> {
    params
        .iter()
        .filter(|(key, _)| key != CURSOR && Some(key.as_str()) != drop)
        .cloned()
        .chain(
            add.iter()
                .map(|(key, value)| (key.to_string(), value.clone())),
        )
        .collect()
}

/// How the table is sorted on `column`: `Some(false)` ascending, `Some(true)`
/// descending, `None` not sorted on it.
fn sorted_on(params: &[(String, String)], column: &str) -> Option<bool> {
    let sort = params.iter().find(|(key, _)| key == SORT)?;
    match sort.1.strip_prefix('-') {
        Some(name) => (name == column).then_some(true),
        None => (sort.1 == column).then_some(false),
    }
}

/// The filter input's parameter of a column: starts-with for text, equality otherwise.
fn filter_param(column: &ColumnInfo) -> String {
    let prefix = if column.kind == "string" {
        STARTS_WITH
    } else {
        EQUALS
    };
    format!("{prefix}{}", column.name)
}

/// A version's rows with a sort link on every column header, a filter input under it,
/// and "next page" / "to the start" links by cursor.
#[component]
pub fn RowsTable(identifier: String, columns: Vec<ColumnInfo>) -> impl IntoView {
    let i18n = use_i18n();
    let url = use_query_map();
    let params = Memo::new(move |_| url.with(table_params));
    let rows = Resource::new(
        {
            let identifier = identifier.clone();
            move || (identifier.clone(), encode(&params.get()))
        },
        |(identifier, query)| opendata_rows(identifier, query),
    );
    let base = StoredValue::new(format!("/opendata/{identifier}"));
    let columns = StoredValue::new(columns);
    view! {
        <section class="stack" data-test="rows-section">
            <h2 id="rows-title">{move || i18n.t(Msg::OpenDataTable)}</h2>
            <p class="muted">{move || i18n.t(Msg::OpenDataRowsSortHint)}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let params = params.get_untracked();
                    match rows.await {
                        Ok(page) => view! {
                            <RowsView page params base=base.get_value() columns=columns.get_value() />
                        }.into_any(),
                        Err(error) => view! {
                            <RowsRefused error base=base.get_value() />
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A refused table state (a filter value that does not fit its column, a stale cursor):
/// what was wrong, and the way back to the whole table.
#[component]
fn RowsRefused(error: AppError, base: String) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || {
        let locale = i18n.locale();
        match error.field_errors().first() {
            Some(field) => format!(
                "{}: {} — {}",
                Msg::OpenDataRowsInvalid.text(locale),
                field.field,
                error_code_text(field.code, locale)
            ),
            None => error_text(&error, locale),
        }
    };
    view! {
        <p class="notice error" role="alert" data-test="rows-error">{message}</p>
        <p><A href=base attr:data-test="rows-reset">{move || i18n.t(Msg::OpenDataRowsReset)}</A></p>
    }
}

/// One page of the table.
#[component]
fn RowsView(
    page: RowsPage,
    params: Vec<(String, String)>,
    base: String,
    columns: Vec<ColumnInfo>,
) -> impl IntoView {
    let i18n = use_i18n();
    let filtered = params
        .iter()
        .any(|(key, _)| !matches!(key.as_str(), SORT | VERSION | CURSOR));
    let at_start = !params.iter().any(|(key, _)| key == CURSOR);
    // The next page stays in the version shown, even if a newer one is published.
    let next = page.next.clone().map(|cursor| {
        let mut add = vec![(CURSOR, cursor)];
        if let (Some(version), false) = (page.version, params.iter().any(|(k, _)| k == VERSION)) {
            add.insert(0, (VERSION, version.format("%Y%m%d").to_string()));
        }
        link(&base, &changed(&params, None, &add))
    });
    let first = link(&base, &changed(&params, None, &[]));
    let reset = link(
        &base,
        &params
            .iter()
            .filter(|(key, _)| key == SORT || key == VERSION)
            .cloned()
            .collect::<Vec<_>>(),
    );
    // Parameters the visible inputs do not carry (the sort, the version, an API-style
    // `min.`/`max.` from a shared link) ride along as hidden inputs.
    let shown: Vec<String> = columns.iter().map(filter_param).collect();
    let hidden: Vec<(String, String)> = params
        .iter()
        .filter(|(key, _)| key != CURSOR && !shown.contains(key))
        .cloned()
        .collect();
    let empty = page.rows.is_empty();
    let partial = page.partial;
    let version = page.version;
    let headers = columns
        .iter()
        .map(|column| {
            let name = column.name.clone();
            let state = sorted_on(&params, &name);
            let sort = match state {
                Some(false) => format!("-{name}"),
                _ => name.clone(),
            };
            let href = link(&base, &changed(&params, Some(SORT), &[(SORT, sort)]));
            let (aria, arrow) = match state {
                Some(false) => ("ascending", " ▲"),
                Some(true) => ("descending", " ▼"),
                None => ("none", ""),
            };
            let test = format!("sort-{name}");
            view! {
                <th scope="col" aria-sort=aria data-test="rows-header">
                    <A href=href attr:data-test=test>{name}</A>
                    <span aria-hidden="true">{arrow}</span>
                </th>
            }
        })
        .collect_view();
    let inputs = columns
        .iter()
        .map(|column| {
            let param = filter_param(column);
            let value = params
                .iter()
                .find(|(key, _)| *key == param)
                .map(|(_, value)| value.clone())
                .unwrap_or_default();
            let placeholder = if column.kind == "string" {
                Msg::OpenDataRowsStartsWith
            } else {
                Msg::OpenDataRowsEquals
            };
            let name = column.name.clone();
            let label = move || format!("{} {name}", i18n.t(Msg::OpenDataRowsFilter));
            let input_type = if column.kind == "date" {
                "text"
            } else {
                "search"
            };
            view! {
                <td>
                    <input type=input_type name=param.clone() value=value aria-label=label
                        placeholder=move || i18n.t(placeholder) class="rows-filter-input"
                        data-test=format!("filter-{}", column.name) />
                </td>
            }
        })
        .collect_view();
    view! {
        <Form method="GET" action=base.clone() attr:class="stack" attr:data-test="rows-filters">
            {hidden.into_iter().map(|(key, value)| view! { <input type="hidden" name=key value=value /> }).collect_view()}
            {version.map(|version| view! {
                <p class="muted" data-test="rows-version">
                    {move || i18n.t(Msg::OpenDataVersionOf)} " " {move || format_date(i18n.locale(), version)}
                </p>
            })}
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="rows-title">
                <table class="data-table rows-table" data-test="rows">
                    <thead>
                        <tr>
                            <th scope="col">"№"</th>
                            {headers}
                        </tr>
                        <tr class="rows-filter">
                            <td></td>
                            {inputs}
                        </tr>
                    </thead>
                    <tbody>
                        {page.rows.into_iter().map(|(number, cells)| view! {
                            <tr data-test="row">
                                <td class="number">{number}</td>
                                {cells.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="row">
                <button type="submit" class="primary" data-test="rows-apply">{move || i18n.t(Msg::FilterApply)}</button>
                {filtered.then(|| view! {
                    <A href=reset attr:class="button secondary" attr:data-test="rows-reset">{move || i18n.t(Msg::OpenDataRowsReset)}</A>
                })}
            </div>
        </Form>
        {(empty && !partial).then(|| view! {
            <p class="muted" data-test="rows-empty">
                {move || i18n.t(if filtered { Msg::OpenDataRowsNone } else { Msg::OpenDataRowsEmpty })}
            </p>
        })}
        {partial.then(|| view! { <p class="muted" data-test="rows-partial">{move || i18n.t(Msg::OpenDataRowsPartial)}</p> })}
        <nav class="row" aria-label=move || i18n.t(Msg::OpenDataTable)>
            {(!at_start).then(|| view! {
                <A href=first attr:data-test="rows-first">{move || i18n.t(Msg::OpenDataFirstRows)}</A>
            })}
            {next.map(|href| view! {
                <A href=href attr:class="button secondary" attr:data-test="rows-next">
                    {move || i18n.t(if partial { Msg::OpenDataRowsSearchOn } else { Msg::OpenDataNextRows })}
                </A>
            })}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn empty_filters_are_no_filters() {
        let map: ParamsMap = [("prefix.name", ""), ("sort", "name"), ("lang", "en")]
            .into_iter()
            .collect();
        assert_eq!(table_params(&map), pairs(&[("sort", "name")]));
    }

    #[test]
    fn only_the_tables_parameters_are_carried() {
        for key in [
            "sort",
            "cursor",
            "version",
            "filter.name",
            "prefix.name",
            "min.floors",
            "max.floors",
        ] {
            assert!(is_table_param(key), "{key}");
        }
        for key in ["lang", "filter.", "sorted", "after", "q"] {
            assert!(!is_table_param(key), "{key}");
        }
    }

    #[test]
    fn sort_links_toggle_and_start_from_the_first_page() {
        let params = pairs(&[("prefix.name", "Юг"), ("sort", "name"), ("cursor", "abc")]);
        assert_eq!(sorted_on(&params, "name"), Some(false));
        assert_eq!(sorted_on(&params, "floors"), None);
        assert_eq!(
            link(
                "/opendata/x",
                &changed(&params, Some(SORT), &[(SORT, "-name".into())])
            ),
            "/opendata/x?prefix.name=%D0%AE%D0%B3&sort=-name"
        );
        assert_eq!(
            sorted_on(&pairs(&[("sort", "-floors")]), "floors"),
            Some(true)
        );
        assert_eq!(link("/opendata/x", &[]), "/opendata/x");
    }

    #[test]
    fn text_columns_filter_by_start_others_by_equality() {
        let column = |kind: &str| ColumnInfo {
            name: "c".into(),
            english: String::new(),
            russian: String::new(),
            kind: kind.into(),
        };
        assert_eq!(filter_param(&column("string")), "prefix.c");
        assert_eq!(filter_param(&column("date")), "filter.c");
        assert_eq!(filter_param(&column("integer")), "filter.c");
    }
}
