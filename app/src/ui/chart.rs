//! A horizontal bar chart drawn as SVG by the app itself (no chart service): one row per
//! group, up to two bars per row (e.g. reports and, inside them, confirmed violations).

use leptos::prelude::*;

/// One row of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartRow {
    /// The group's label.
    pub label: String,
    /// The main value.
    pub value: u64,
    /// A part of the main value drawn over it (e.g. confirmed violations).
    pub part: u64,
}

/// Height of one row in SVG units.
const ROW_HEIGHT: u32 = 22;
/// Width of the label column in SVG units.
const LABEL_WIDTH: u32 = 260;
/// Width of the bar area in SVG units.
const BAR_WIDTH: u32 = 420;

/// The chart; `title` is its accessible name, `value_name` / `part_name` name the bars in
/// each row's tooltip.
#[component]
pub fn BarChart(
    rows: Vec<ChartRow>,
    #[prop(into)] title: String,
    #[prop(into)] value_name: String,
    #[prop(into)] part_name: String,
) -> impl IntoView {
    let max = rows.iter().map(|row| row.value).max().unwrap_or(0).max(1);
    let height = ROW_HEIGHT * rows.len().max(1) as u32;
    let width = LABEL_WIDTH + BAR_WIDTH + 60;
    let label = title.clone();
    let scale = |value: u64| (value as f64 / max as f64 * f64::from(BAR_WIDTH)).round();
    view! {
        <svg class="bar-chart" role="img" viewBox=format!("0 0 {width} {height}") aria-label=label data-test="bar-chart">
            <title>{title}</title>
            {rows.into_iter().enumerate().map(|(index, row)| {
                let y = index as u32 * ROW_HEIGHT;
                let tooltip = format!("{}: {} {}, {} {}", row.label, value_name, row.value, part_name, row.part);
                view! {
                    <g>
                        <title>{tooltip}</title>
                        <text x=LABEL_WIDTH - 6 y=y + 15 text-anchor="end" class="bar-label">{row.label.clone()}</text>
                        <rect x=LABEL_WIDTH y=y + 3 width=scale(row.value) height=ROW_HEIGHT - 6 class="bar-value" />
                        <rect x=LABEL_WIDTH y=y + 3 width=scale(row.part) height=ROW_HEIGHT - 6 class="bar-part" />
                        <text x={ f64::from(LABEL_WIDTH) + scale(row.value) + 4.0 } y=y + 15 class="bar-number">{format!("{} / {}", row.value, row.part)}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}
