//! Charts drawn as SVG by the app itself (no chart service): a horizontal bar chart (one
//! row per group, up to two bars per row, e.g. reports and, inside them, confirmed
//! violations) and a line chart of one figure over periods (a score, a rank).

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

/// One period of a line chart: its tooltip and its value, or none where the period has no
/// value (e.g. no rank for too few voters): no dot then, and the line skips it.
#[derive(Debug, Clone)]
pub struct LinePoint {
    pub tooltip: Signal<String>,
    pub value: Option<f64>,
}

/// Width and height of a line chart, in SVG units, the left margin of its scale labels and
/// the padding around the plot.
const LINE_WIDTH: f64 = 360.0;
const LINE_HEIGHT: f64 = 120.0;
const LINE_LEFT: f64 = 24.0;
const LINE_PAD: f64 = 8.0;

/// A figure over periods, oldest first, on the fixed scale `low..=high` (a scale fitted to
/// the data would make a change of a tenth look like a fall), with grid lines at `marks`.
/// `best_at_top` puts `low` at the top, as ranks read (1 is best).
#[component]
pub fn LineChart(
    points: Vec<LinePoint>,
    low: f64,
    high: f64,
    marks: Vec<f64>,
    #[prop(optional)] best_at_top: bool,
    #[prop(into)] title: Signal<String>,
    test_id: &'static str,
) -> impl IntoView {
    let last = points.len().saturating_sub(1).max(1) as f64;
    let span = if high > low { high - low } else { 1.0 };
    let x =
        move |index: usize| LINE_LEFT + index as f64 / last * (LINE_WIDTH - LINE_LEFT - LINE_PAD);
    let y = move |value: f64| {
        let offset = (value - low) / span * (LINE_HEIGHT - 2.0 * LINE_PAD);
        if best_at_top {
            LINE_PAD + offset
        } else {
            LINE_HEIGHT - LINE_PAD - offset
        }
    };
    let line = points
        .iter()
        .enumerate()
        .filter_map(|(index, point)| Some(format!("{:.1},{:.1}", x(index), y(point.value?))))
        .collect::<Vec<_>>()
        .join(" ");
    let dots = points
        .into_iter()
        .enumerate()
        .filter_map(|(index, point)| {
            let value = point.value?;
            Some(view! {
                <circle cx=format!("{:.1}", x(index)) cy=format!("{:.1}", y(value)) r="3">
                    <title>{move || point.tooltip.get()}</title>
                </circle>
            })
        })
        .collect_view();
    let scale = marks
        .into_iter()
        .map(|mark| {
            let level = format!("{:.1}", y(mark));
            view! {
                <line x1=format!("{LINE_LEFT}") x2=format!("{}", LINE_WIDTH - LINE_PAD) y1=level.clone() y2=level.clone() class="grid" />
                <text x="4" y=level class="mark" dominant-baseline="middle">{mark.to_string()}</text>
            }
        })
        .collect_view();
    view! {
        <svg class="line-chart" viewBox=format!("0 0 {LINE_WIDTH} {LINE_HEIGHT}") role="img"
            aria-label=move || title.get() data-test=test_id>
            {scale}
            <polyline points=line class="line" />
            {dots}
        </svg>
    }
}
